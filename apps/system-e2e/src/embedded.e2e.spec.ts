import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Every path under `folder`, itself first. */
function everything(folder: string): string[] {
  const found = [folder];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (lstatSync(path).isDirectory()) found.push(...everything(path));
    else found.push(path);
  }
  return found;
}

/** The TCP ports a process listens on, and the paths of the unix sockets it listens on. */
function listeningOf(pid: number): { tcp: number[]; unix: string[] } {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const table = (file: string) =>
    readFileSync(`/proc/${pid}/net/${file}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
  const tcp = ['tcp', 'tcp6'].flatMap((file) => table(file).filter((f) => f[3] === '0A' && inodes.has(f[9])).map((f) => parseInt(f[1].split(':')[1], 16)));
  // A listening unix socket has __SO_ACCEPTCON (0x10000) in its flags.
  const unix = table('unix')
    .filter((f) => inodes.has(f[6]) && (parseInt(f[3], 16) & 0x10000) !== 0)
    .map((f) => f[7] ?? '(unnamed)');
  return { tcp: [...new Set(tcp)], unix };
}

/**
 * Lets other users pass through the checkout's ancestors while `work` runs (a fresh CI clone
 * may sit in a folder only root may enter), so that a process of theirs finds Node's modules.
 */
async function withPassableAncestors<T>(work: () => Promise<T>): Promise<T> {
  const restore: Array<[string, number]> = [];
  for (let folder = ROOT; folder !== dirname(folder); folder = dirname(folder)) {
    const mode = statSync(folder).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      restore.push([folder, mode]);
      chmodSync(folder, mode | 0o001);
    }
  }
  try {
    return await work();
  } finally {
    for (const [folder, mode] of restore) chmodSync(folder, mode);
  }
}

/** Run as another OS user: reads every file and lists every folder it is given, then tries to open the database. */
const INTRUDER = `
const fs = require('node:fs');
const paths = JSON.parse(process.argv[1]);
const opened = [];
for (const path of paths) {
  try {
    if (fs.lstatSync(path).isDirectory()) fs.readdirSync(path); else fs.readFileSync(path);
    opened.push(path);
  } catch {}
}
require('@electric-sql/pglite').PGlite.create(process.argv[2]).then(
  (db) => db.query('SELECT 1').then(() => 'opened'),
  (error) => 'refused: ' + (error.code || error.message),
).then((database) => { console.log(JSON.stringify({ opened, database })); process.exit(0); });
`;

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
    await withPassableAncestors(async () => {
      const port = await freePort();
      app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir, HOME: dataDir }, { uid: nobody, gid: nobody });
      await waitForStatus(`http://127.0.0.1:${port}/health`, 200, 90_000);
      await createAndRead(`http://127.0.0.1:${port}`, rootOf(dataDir));
      expect(statSync(join(dataDir, 'postgres')).uid).toBe(nobody);
    });
  });

  (asRoot ? it : it.skip)('keeps the database and every file of the data folder from other OS users (nobody), even in a folder made beforehand with open modes', async () => {
    const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
    const port = await freePort();
    const env = { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir };
    const base = `http://127.0.0.1:${port}`;

    // A data folder made beforehand, open to everyone; a database in it; then everything opened up
    // as a careless copy would leave it.
    chmodSync(dataDir, 0o755);
    app = startApp('standalone', env);
    await waitForStatus(`${base}/health`, 200, 90_000);
    await createAndRead(base, rootOf(dataDir));
    await app.stop('SIGTERM');
    writeFileSync(join(dataDir, 'notes.txt'), 'left here by hand\n');
    for (const path of everything(dataDir)) chmodSync(path, lstatSync(path).isDirectory() ? 0o755 : 0o644);
    expect(statSync(join(dataDir, 'postgres', 'PG_VERSION')).mode & 0o777).toBe(0o644);

    app = startApp('standalone', env);
    await waitForStatus(`${base}/health`, 200, 90_000);
    const paths = everything(dataDir);
    expect(paths.length).toBeGreaterThan(500);
    expect(paths.filter((path) => (lstatSync(path).mode & 0o077) !== 0)).toEqual([]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);

    // No database port: the process listens on its HTTP port and nothing else.
    expect(listeningOf(app.child.pid as number)).toEqual({ tcp: [port], unix: [] });

    // Another OS user can read no file, list no folder, and not open the database.
    const intruder = await withPassableAncestors(async () =>
      spawnSync(process.execPath, ['-e', INTRUDER, JSON.stringify(paths), join(dataDir, 'postgres')], { cwd: ROOT, uid: nobody, gid: nobody, encoding: 'utf8', timeout: 60_000 }),
    );
    expect(intruder.stderr).toBe('');
    expect(JSON.parse(intruder.stdout)).toEqual({ opened: [], database: 'refused: EACCES' });

    // The service goes on as before.
    const again = await signedFetch(base, rootOf(dataDir), { method: 'GET', path: '/v1/users/newcomer' });
    expect(again.status).toBe(200);
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
