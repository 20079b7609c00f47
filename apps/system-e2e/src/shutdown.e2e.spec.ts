import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServices, signHttp } from '@iam/testing';
import { type Credentials, type RunningSystem, startDistributedSystem } from './support/gateway';
import { freePort, RunningProcess, startApp, waitForStatus } from './support/processes';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', HOST: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', IAM_ACCOUNT_ID: '' };
/** Writers at once. */
const CLIENTS = 12;
/** Acknowledged writes before the signal. */
const BEFORE_SIGNAL = 30;

jest.setTimeout(400_000);

/** What one write got: an answer with its status and code, or a connection error. */
interface WriteOutcome {
  name: string;
  sentAt: number;
  answeredAt: number;
  status?: number;
  code?: string;
  error?: string;
}

/** One `CreateUser` over REST (SigV4), on a connection of its own, so a refused connection means it was never taken. */
async function createUser(base: string, root: Credentials, name: string): Promise<WriteOutcome> {
  const body = JSON.stringify({ UserName: name, Path: '/shutdown/' });
  const { url, headers } = await signHttp(base, root, { method: 'POST', path: '/v1/users', headers: { 'content-type': 'application/json' }, body });
  const sentAt = performance.now();
  return new Promise((done) => {
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, connection: 'close', 'content-length': Buffer.byteLength(body) }, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          code = text.slice(0, 200);
        }
        done({ name, sentAt, answeredAt: performance.now(), status: response.statusCode, code });
      });
      response.on('error', (error) => done({ name, sentAt, answeredAt: performance.now(), error: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    request.on('error', (error) => done({ name, sentAt, answeredAt: performance.now(), error: (error as NodeJS.ErrnoException).code ?? error.message }));
    request.end(body);
  });
}

/** `CLIENTS` writers creating users one after the other until told to stop, or until the gateway refuses connections. */
function writeLoad(base: () => string, root: Credentials, prefix: string) {
  const outcomes: WriteOutcome[] = [];
  let stopping = false;
  let waiter: { count: number; resolve: () => void } | undefined;
  const acknowledged = () => outcomes.filter((o) => o.status === 201).length;
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    for (let n = 0; !stopping; n++) {
      const outcome = await createUser(base(), root, `${prefix}-${client}-${n}`);
      outcomes.push(outcome);
      if (waiter && acknowledged() >= waiter.count) waiter.resolve();
      // The gateway is gone: this client is done.
      if (outcome.error === 'ECONNREFUSED') return;
    }
  });
  return {
    outcomes,
    untilAcknowledged: (count: number) => new Promise<void>((resolve) => (acknowledged() >= count ? resolve() : (waiter = { count, resolve }))),
    stop: async () => {
      stopping = true;
      await Promise.all(clients);
      return outcomes;
    },
  };
}

/** The names of the users under /shutdown/, every page. */
async function storedUsers(base: string, root: Credentials): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | undefined;
  do {
    const { url, headers } = await signHttp(base, root, { method: 'GET', path: '/v1/users', query: { pathPrefix: '/shutdown/', limit: '1000', ...(cursor ? { cursor } : {}) } });
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { Users: Array<{ UserName: string }>; nextCursor?: string };
    for (const user of page.Users) names.add(user.UserName);
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

/** A connection the process accepted but never read a request from, closed as it stopped. */
const RESET = new Set(['ECONNRESET', 'EPIPE', 'socket hang up']);

/**
 * What a SIGTERM with writes in flight must leave: the process exits 0 by itself; every write
 * was answered 201 or refused with a clean 503 (never a 500), or its connection was refused
 * because nothing listened any more, or reset before the process read its request (such a write
 * must then be absent: checked after the restart); at least one write was in flight when the
 * signal came.
 */
function expectCleanShutdown(outcomes: WriteOutcome[], signalAt: number, exitCode: number | null) {
  expect(exitCode).toBe(0);
  const unclean = outcomes.filter((o) => !(o.status === 201 || o.status === 503 || o.error === 'ECONNREFUSED' || RESET.has(o.error ?? '')));
  expect(unclean).toEqual([]);
  // A 503 from this system is ServiceUnavailable, or the HTTP server's own answer while it closes.
  for (const refused of outcomes.filter((o) => o.status === 503)) expect(['ServiceUnavailable', undefined]).toContain(refused.code);
  const inFlight = outcomes.filter((o) => o.sentAt < signalAt && o.answeredAt > signalAt && o.status !== undefined);
  expect(inFlight.length).toBeGreaterThan(0);
  return {
    acknowledged: outcomes.filter((o) => o.status === 201).map((o) => o.name),
    /** Writes that must not have been applied: their connection was closed before their request was read. */
    unread: outcomes.filter((o) => RESET.has(o.error ?? '')).map((o) => o.name),
  };
}

describe('SIGTERM with writes in flight: the embedded default', () => {
  let folder: string;
  const processes: RunningProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('answers or refuses every write cleanly, exits 0, and has every acknowledged write after a restart', async () => {
    folder = mkdtempSync(join(tmpdir(), 'iam-shutdown-'));
    const dataDir = join(folder, 'data');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir });
    processes.push(app);
    await app.waitForLine(/^Root access keys generated and stored in /, 240_000);
    const root = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as Credentials;

    const load = writeLoad(() => base, root, 'embedded');
    await load.untilAcknowledged(BEFORE_SIGNAL);
    const signalAt = performance.now();
    // Waits for the exit; a process still running after 60 s is killed, and its code is then not 0.
    const exitCode = await app.stop('SIGTERM', 60_000);
    const outcomes = await load.stop();
    expect(app.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    const { acknowledged, unread } = expectCleanShutdown(outcomes, signalAt, exitCode);
    expect(acknowledged.length).toBeGreaterThanOrEqual(BEFORE_SIGNAL);

    const again = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: dataDir });
    processes.push(again);
    await again.waitForLine(/^Root access keys are in /, 240_000);
    const stored = await storedUsers(base, root);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    expect(unread.filter((name) => stored.has(name))).toEqual([]);
    await again.stop();
  });
});

describeWithServices('SIGTERM with writes in flight: the distributed mode', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startDistributedSystem();
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('a service drains: the writes it took complete, later ones are refused with 503, it exits 0, and nothing acknowledged is lost', async () => {
    const load = writeLoad(() => system.base, system.root, 'identity');
    await load.untilAcknowledged(BEFORE_SIGNAL);
    const signalAt = performance.now();
    const exitCode = await system.processes['identity'].stop('SIGTERM', 60_000);
    const outcomes = await load.stop();
    const { acknowledged, unread } = expectCleanShutdown(outcomes, signalAt, exitCode);

    system.processes['identity'] = startApp('identity', system.env);
    await system.processes['identity'].waitForLine(/is listening on the bus/);
    await waitForStatus(`${system.base}/health`);
    const stored = await storedUsers(system.base, system.root);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    expect(unread.filter((name) => stored.has(name))).toEqual([]);
  });

  it('the gateway drains: requests in flight complete, then it refuses connections and exits 0; nothing acknowledged is lost', async () => {
    let base = system.base;
    const load = writeLoad(() => base, system.root, 'gateway');
    await load.untilAcknowledged(BEFORE_SIGNAL);
    const signalAt = performance.now();
    const exitCode = await system.processes['gateway'].stop('SIGTERM', 60_000);
    const outcomes = await load.stop();
    const { acknowledged, unread } = expectCleanShutdown(outcomes, signalAt, exitCode);

    const port = await freePort();
    system.processes['gateway'] = startApp('gateway', { ...system.env, PORT: String(port), HOST: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health`);
    const stored = await storedUsers(base, system.root);
    expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    expect(unread.filter((name) => stored.has(name))).toEqual([]);
  });
});
