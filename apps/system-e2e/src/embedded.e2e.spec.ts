import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Credentials, signedFetch } from './support/gateway';
import { body, freePort, ROOT, RunningProcess, start, startApp, waitForStatus } from './support/processes';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', CI: '' };

/** The root keys the embedded default wrote into its data folder. */
function rootOf(dataDir: string): Credentials {
  return JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'));
}

async function createAndRead(base: string, root: Credentials) {
  const created = await signedFetch(base, root, {
    method: 'POST',
    path: '/v1/users',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ UserName: 'newcomer' }),
  });
  expect(created.status).toBe(201);
  const { User } = await body(created);
  const read = await signedFetch(base, root, { method: 'GET', path: '/v1/users/NEWCOMER' });
  expect(read.status).toBe(200);
  expect((await body(read)).User).toEqual(User);
  return User;
}

// These specs start whole systems as processes.
jest.setTimeout(180_000);

describe('embedded default: `npm start` as a newcomer runs it', () => {
  let dataDir: string;
  let app: RunningProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-embedded-'));
  });

  afterEach(async () => {
    await app?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, serves users, and keeps them across a restart', async () => {
    const port = await freePort();
    const env = { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir };
    const base = `http://127.0.0.1:${port}`;

    app = start('npm start', 'npm', ['start'], env);
    await waitForStatus(`${base}/health`, 200, 90_000);
    await app.waitForLine(/IAM is listening on http:\/\//);
    // It prints where the web console is, and serves it there.
    const consoleLine = await app.waitForLine(/^Web console: http:\/\/\S+\/console\//);
    const consoleUrl = (/(http:\/\/\S+\/console\/)/.exec(consoleLine) as RegExpExecArray)[1].replace('localhost', '127.0.0.1');
    const page = await fetch(consoleUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>IAM console</title>');
    const banner = await app.waitForLine(/Root access keys generated and stored in/);
    expect(banner).toContain(join(dataDir, 'root-credentials.json'));
    const credentials = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'));
    expect(credentials.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(credentials.secretAccessKey).toHaveLength(40);
    expect(statSync(join(dataDir, 'root-credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);

    const user = await createAndRead(base, rootOf(dataDir));
    await app.stop('SIGTERM');

    app = start('npm start', 'npm', ['start'], env);
    await waitForStatus(`${base}/health`, 200, 90_000);
    const again = await signedFetch(base, rootOf(dataDir), { method: 'GET', path: '/v1/users/newcomer' });
    expect((await body(again)).User).toEqual(user);
    await app.waitForLine(/Root access keys are in/);
    expect(JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'))).toEqual(credentials);
  });

  it('refuses a second process on the same data folder', async () => {
    const port = await freePort();
    app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir });
    await waitForStatus(`http://127.0.0.1:${port}/health`, 200, 90_000);
    const second = startApp('standalone', { ...CLEAN, PORT: String(await freePort()), IAM_DATA_DIR: dataDir });
    const line = await second.waitForLine(/Another process is using the data folder/);
    expect(line).toContain(dataDir);
    expect(await second.waitForExit()).toBe(1);
  });

  const asRoot = process.getuid?.() === 0;
  (asRoot ? it : it.skip)('runs as an ordinary user (here: nobody) when started by root', async () => {
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    chownSync(dataDir, nobody, nobody);
    // The checkout may sit under a folder only root may enter (a fresh CI clone
    // in a mktemp folder): let others pass through its ancestors for this test only.
    const restore: Array<[string, number]> = [];
    for (let folder = ROOT; folder !== dirname(folder); folder = dirname(folder)) {
      const mode = statSync(folder).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        restore.push([folder, mode]);
        chmodSync(folder, mode | 0o001);
      }
    }
    try {
      const port = await freePort();
      app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir, HOME: dataDir }, { uid: nobody, gid: nobody });
      await waitForStatus(`http://127.0.0.1:${port}/health`, 200, 90_000);
      await createAndRead(`http://127.0.0.1:${port}`, rootOf(dataDir));
      expect(statSync(join(dataDir, 'postgres')).uid).toBe(nobody);
    } finally {
      for (const [folder, mode] of restore) chmodSync(folder, mode);
    }
  });

  it('rotates the generated master key with the system stopped, and resumes a rotation cut short', async () => {
    const port = await freePort();
    const env = { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir };
    const base = `http://127.0.0.1:${port}`;
    const masterKeyFile = join(dataDir, 'master.key');
    const previousKeyFile = join(dataDir, 'master.key.previous');
    const runRotation = async () => {
      const command = start('rotate-master-key', process.execPath, [join(ROOT, 'dist/apps/standalone/main.js'), 'rotate-master-key'], env);
      const code = await command.waitForExit();
      return { code, output: command.lines.join('\n') };
    };
    const startSystem = async () => {
      app = startApp('standalone', env);
      await waitForStatus(`${base}/health`, 200, 90_000);
    };
    const asKeyholder = (credentials: Credentials) => signedFetch(base, credentials, { method: 'GET', path: '/v1/me' });

    await startSystem();
    const root = rootOf(dataDir);
    const json = { 'content-type': 'application/json' };
    expect((await signedFetch(base, root, { method: 'POST', path: '/v1/users', headers: json, body: JSON.stringify({ UserName: 'keyholder' }) })).status).toBe(201);
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };
    expect(
      (await signedFetch(base, root, { method: 'PUT', path: '/v1/users/keyholder/policies/self', headers: json, body: JSON.stringify({ PolicyDocument: document }) })).status,
    ).toBe(204);
    const created = await signedFetch(base, root, { method: 'POST', path: '/v1/users/keyholder/access-keys', headers: json, body: '{}' });
    expect(created.status).toBe(201);
    const { AccessKey } = await body(created);
    const keyholder = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    expect((await body(await asKeyholder(keyholder))).User.UserName).toBe('keyholder');

    // Refused while the system holds the data folder: nothing changes.
    const firstKey = readFileSync(masterKeyFile, 'utf8');
    const refused = await runRotation();
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`Another process is using the data folder ${dataDir}`);
    expect(readFileSync(masterKeyFile, 'utf8')).toBe(firstKey);
    expect(existsSync(previousKeyFile)).toBe(false);
    await app?.stop('SIGTERM');

    const rotated = await runRotation();
    expect(rotated.code).toBe(0);
    expect(rotated.output).toMatch(/re-encrypted 1 access key secret\(s\) from master key [0-9a-f]{16} to [0-9a-f]{16}; the new key is in /);
    expect(rotated.output).toContain(`the new key is in ${masterKeyFile}.`);
    const secondKey = readFileSync(masterKeyFile, 'utf8');
    expect(secondKey).not.toBe(firstKey);
    expect(Buffer.from(secondKey.trim(), 'base64')).toHaveLength(32);
    expect(statSync(masterKeyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(previousKeyFile)).toBe(false);

    // Only the new key is on disk, so the secret was re-encrypted under it.
    await startSystem();
    expect((await body(await asKeyholder(keyholder))).User.UserName).toBe('keyholder');
    await app?.stop('SIGTERM');

    // A rotation cut short after replacing the key file: the retired key waits beside the new
    // one, the system still verifies the old secret, and the command finishes the job.
    writeFileSync(previousKeyFile, secondKey, { mode: 0o600 });
    writeFileSync(masterKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    await startSystem();
    expect((await body(await asKeyholder(keyholder))).User.UserName).toBe('keyholder');
    await app?.stop('SIGTERM');
    const resumed = await runRotation();
    expect(resumed.code).toBe(0);
    expect(resumed.output).toContain('re-encrypted 1 access key secret(s)');
    expect(existsSync(previousKeyFile)).toBe(false);
    await startSystem();
    expect((await body(await asKeyholder(keyholder))).User.UserName).toBe('keyholder');
    await app?.stop('SIGTERM');

    // Keys that open none of the secrets: the command says so, exits 1 and keeps the retired key.
    const stray = () => `${randomBytes(32).toString('base64')}\n`;
    writeFileSync(previousKeyFile, stray(), { mode: 0o600 });
    writeFileSync(masterKeyFile, stray(), { mode: 0o600 });
    const stranded = await runRotation();
    expect(stranded.code).toBe(1);
    expect(stranded.output).toMatch(/iam rotate-master-key: secrets under neither key remain \(1 under [0-9a-f]{16}\)\./);
    expect(existsSync(previousKeyFile)).toBe(true);
  });
});
