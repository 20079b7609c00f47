import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { body, freePort, ROOT, RunningProcess, start, startApp, waitForStatus } from './support/processes';
import { type Credentials, signedFetch } from './support/gateway';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', HOST: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', CI: '', IAM_REBUILD: '' };
const MAIN = join(ROOT, 'dist/apps/standalone/main.js');

// Whole systems start as processes on a machine that may be busy.
jest.setTimeout(180_000);

function npmStart(env: Record<string, string>): RunningProcess {
  return start('npm start', process.execPath, [join(ROOT, 'tools/start.mjs')], { ...CLEAN, ...env });
}

/** Runs a command to its end (at most `ms`), with its output. */
function run(args: string[], env: Record<string, string>, ms = 60_000) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...CLEAN, ...env }, encoding: 'utf8', timeout: ms });
  return { status: result.status, signal: result.signal, output: `${result.stdout}${result.stderr}` };
}

describe('first run of the embedded default', () => {
  const folders: string[] = [];
  const processes: RunningProcess[] = [];
  const dataDir = () => {
    const folder = mkdtempSync(join(tmpdir(), 'iam-first-run-operations-'));
    folders.push(folder);
    return join(folder, 'data');
  };

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('starts from the current build without rebuilding, binds 127.0.0.1, and ends with the plain lines', async () => {
    // Makes the build current (the suite's setup built it with Nx; npm start records its inputs).
    const first = npmStart({ PORT: String(await freePort()), IAM_DATA_DIR: dataDir() });
    processes.push(first);
    await first.waitForLine(/^Root access keys /, 240_000);
    await first.stop();

    const builtAt = statSync(MAIN).mtimeMs;
    const port = await freePort();
    const folder = dataDir();
    const second = npmStart({ PORT: String(port), IAM_DATA_DIR: folder });
    processes.push(second);
    const keysLine = await second.waitForLine(/^Root access keys generated and stored in /);
    expect(second.lines.some((line) => /^Starting from the current build in dist\/apps\/standalone/.test(line))).toBe(true);
    expect(second.lines.some((line) => /Building the embedded default|nx run standalone:build/.test(line))).toBe(false);
    expect(statSync(MAIN).mtimeMs).toBe(builtAt);

    // What it really binds, said; the console, the explorer and the keys as the last plain lines.
    const listening = second.lines.find((line) => line.startsWith('IAM is listening on '));
    expect(listening).toBe(`IAM is listening on http://127.0.0.1:${port} (bound to 127.0.0.1: this machine only; set HOST=0.0.0.0 to open it to the network; data in ${folder}).`);
    const plain = second.lines.slice(second.lines.indexOf(listening as string));
    expect(plain).toEqual([
      listening,
      `Web console: http://127.0.0.1:${port}/console/ (to sign in as root, start with IAM_ROOT_PASSWORD set).`,
      `API explorer: http://127.0.0.1:${port}/docs`,
      keysLine,
    ]);
    expect(keysLine).toContain(join(folder, 'root-credentials.json'));
    // JSON logs before them (stdout is not a terminal here).
    const logs = second.lines.slice(0, second.lines.indexOf(listening as string)).filter((line) => line.startsWith('{'));
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
    await waitForStatus(`http://127.0.0.1:${port}/health`);

    // Bound to loopback only: another address of this machine is refused.
    const tcp = readFileSync(`/proc/${second.child.pid}/net/tcp`, 'utf8');
    expect(tcp).toContain(`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`);
    expect(tcp).not.toContain(`00000000:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A`);
  }, 400_000);

  it('opens to the network only with an explicit HOST, and says so', async () => {
    const port = await freePort();
    const app = npmStart({ PORT: String(port), HOST: '0.0.0.0', IAM_DATA_DIR: dataDir() });
    processes.push(app);
    const line = await app.waitForLine(/^IAM is listening on /);
    expect(line).toContain(`:${port} (bound to 0.0.0.0: every network interface, reachable from other machines;`);
    await app.stop();
  }, 180_000);

  it('refuses a port in use in one line, before generating anything in a new data folder', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((done) => busy.listen(0, '127.0.0.1', () => done((busy.address() as { port: number }).port)));
    try {
      const folder = dataDir();
      const result = run([MAIN], { PORT: String(port), IAM_DATA_DIR: folder });
      expect(result.status).toBe(1);
      expect(result.output.trim()).toBe(`iam: failed to start: Port ${port} on 127.0.0.1 is already in use (another IAM, or another program): stop it or start with PORT set to a free port, e.g. PORT=8081 npm start.`);
      expect(existsSync(folder)).toBe(false);
    } finally {
      busy.close();
    }
  });

  it.each([['/proc/iam-data'], ['/proc/self'], ['/sys/kernel/iam']])('refuses IAM_DATA_DIR=%s at once, in one line', async (folder) => {
    const result = run([MAIN], { PORT: String(await freePort()), IAM_DATA_DIR: folder }, 30_000);
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.output.trim()).toMatch(new RegExp(`^iam: failed to start: IAM_DATA_DIR ${folder} is under /(proc|sys), a kernel file system that cannot hold data: set IAM_DATA_DIR to a folder on a disk, e.g. ./data.$`));
  });

  it('refuses an IAM_DATA_DIR that cannot be a folder in one line', async () => {
    const file = join(dataDir(), '..', 'a-file');
    writeFileSync(file, 'not a folder');
    const result = run([MAIN], { PORT: String(await freePort()), IAM_DATA_DIR: join(file, 'data') }, 30_000);
    expect(result.status).toBe(1);
    expect(result.output.trim()).toBe(`iam: failed to start: IAM_DATA_DIR ${join(file, 'data')} cannot be a folder: ${file} is a file: set IAM_DATA_DIR to a folder you own, e.g. ./data.`);
  });

  it('names NATS and PostgreSQL that do not answer, and a missing database, in one line each (distributed apps)', async () => {
    const closed = await freePort();
    const nats = run([join(ROOT, 'dist/apps/gateway/main.js')], { NATS_URL: `nats://127.0.0.1:${closed}`, PORT: String(await freePort()), HOST: '127.0.0.1' }, 60_000);
    expect(nats.status).toBe(1);
    expect(nats.output.trim().split('\n').pop()).toBe(`gateway: failed to start: NATS is not answering at nats://127.0.0.1:${closed}: start it (nats-server -js) or set NATS_URL to where it runs.`);

    const database = `iam_missing_${process.pid}`;
    const env = (url: string) => ({ NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: url, IAM_BUS_SUBJECT_PREFIX: `firstrun${process.pid}`, IAM_HEALTH_PORT: '' });
    const missing = run([join(ROOT, 'dist/apps/directory/main.js')], env(`postgres://postgres@127.0.0.1:5432/${database}`), 90_000);
    expect(missing.status).toBe(1);
    expect(missing.output.trim().split('\n').pop()).toBe(
      `directory: failed to start: The database "${database}" named in DATABASE_URL (postgres://postgres@127.0.0.1:5432/${database}) does not exist: create it (createdb ${database}, or npm run start:services creates it) or name an existing one.`,
    );
  }, 200_000);
});

describe('REST errors a newcomer meets', () => {
  let app: RunningProcess;
  let base: string;
  let root: Credentials;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'iam-first-run-rest-operations-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: join(folder, 'data') });
    await app.waitForLine(/^Root access keys /);
    root = JSON.parse(readFileSync(join(folder, 'data', 'root-credentials.json'), 'utf8'));
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers an unknown route 404 NotFound, and speaks REST parameter names', async () => {
    const nowhere = await signedFetch(base, root, { method: 'GET', path: '/v1/nowhere' });
    expect(nowhere.status).toBe(404);
    expect(await body(nowhere)).toMatchObject({ code: 'NotFound', message: 'No route for GET /v1/nowhere.' });
    const limit = await signedFetch(base, root, { method: 'GET', path: '/v1/users', query: { limit: '0' } });
    expect(limit.status).toBe(400);
    expect((await body(limit)).message).toBe("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('tells an AWS client pointed at /v1 where the Query API is, in XML it can read', async () => {
    const { IAMClient, ListUsersCommand } = await import('@aws-sdk/client-iam');
    const client = new IAMClient({ endpoint: `${base}/v1`, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    await expect(client.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'NotFound',
      message: expect.stringContaining('AWS SDKs and the AWS CLI speak the Query API at /: set the endpoint to the address without /v1'),
    });
    client.destroy();
  });

  it('serves /metrics and the probes on the same port', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^iam_http_requests_total\{operation="ListUsers",outcome="ValidationError"\} 1$/m);
  });
});
