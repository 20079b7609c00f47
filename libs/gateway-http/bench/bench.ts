/**
 * HTTP gateway benchmark: `nx bench gateway-http` (builds the four apps first).
 *
 * Needs the PostgreSQL and NATS of the integration specs. Starts the real system as the
 * distributed deployment runs it: identity, directory, authorization and the gateway, each its
 * own process from `dist/apps/<app>/main.js`, on a fresh database and a NATS subject prefix of
 * their own, with their default settings (database pool of 10 per service, `LOG_LEVEL=info`,
 * the logs going to files). Seeds an account through the gateway (root creates a group with a
 * managed policy allowing `iam:GetUser` and `iam:ListUsers`, a user in it with an access key
 * and a password, and 100 more users), checks every path's answers (status and body, and that
 * authentication and authorization really refuse), counts the bus requests each path makes by
 * listening on the prefix, then measures with one client (node:http, keep-alive):
 *
 *   A  a bare node:http server answering a small JSON body (its own process);
 *   B  the same server making one NATS request/reply per request to a trivial responder (its
 *      own process): the cost of one bus hop;
 *   and through the gateway: `GET /health`; `GetUser` (Query API, SigV4) as an IAM user and as
 *   root; `GET /v1/users/{name}` with a bearer session as the IAM user; `ListUsers` with
 *   `MaxItems=100` as the IAM user.
 *
 * Each path runs at 1 and at `BENCH_IN_FLIGHT` (50) requests in flight, for `BENCH_ROUND_MS`
 * (2000) after a short warm-up, in `BENCH_ROUNDS` (5) rounds that interleave the paths; the
 * figures are medians over the rounds. Signed requests are signed at the start of each round
 * and sent as they are for its duration (the gateway verifies each one in full, as it must any
 * request; AWS, too, accepts a signed request again within its clock skew), so the client's
 * signing does not count. `BENCH_PROFILE=<dir>` starts the gateway with `--cpu-prof` into <dir>.
 *
 * Then the embedded default beside the distributed mode: the embedded default started as `npm
 * start` runs it (`dist/apps/standalone/main.js`, a fresh data folder), the same account seeded,
 * and on both systems `GetUser` as the IAM user and a write mix (a user's whole life as an
 * administrator through the REST front: eight writes), at 1 and `BENCH_MODES_IN_FLIGHT` (32) in
 * flight, rounds interleaving paths and systems.
 *
 * Then one and two replicas of each service: a second system with two replicas of identity,
 * directory and authorization (one gateway), the same account, and on both `GetUser` as the IAM user
 * and the write mix at `BENCH_MODES_IN_FLIGHT` in flight, rounds interleaving paths and systems.
 *
 * `BENCH_SECTIONS=gateway`, `=modes` or `=replicas` measures one of them. Any failed check ends the
 * run with an error and writes nothing. The figures go into the `## Gateway`, `## Embedded default
 * beside the distributed mode` and `## One and two replicas of each service` sections of
 * docs/benchmarks.md (those sections only) and are printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { createTestDatabase, officialSigner, TEST_NATS_URL, type TestDatabase } from '@iam/testing';
import { type Component, CpuMeter } from './cpu';
import { type Call, type Expected, type Figures, LoadClient, type Meter, type Script } from './load';

const COMMAND = 'NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench gateway-http';
const ROOT = resolve(__dirname, '..', '..', '..');
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 2000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 50);
const WARMUP_MS = 300;
const PROFILE_DIR = process.env['BENCH_PROFILE'];
const ONLY = process.env['BENCH_ONLY']?.split(',').map((k) => k.trim());
const LOAD_AT_START = os.loadavg();
const ACCOUNT = '123456789012';
const TARGET_USER = 'bench-user-042';
const READER = 'bench-reader';
const PASSWORD = 'Bench-Passw0rd!-Reader';
const USERS = 100;
/** Callers for the embedded default beside the distributed mode. */
const MODES_IN_FLIGHT = Number(process.env['BENCH_MODES_IN_FLIGHT'] ?? 32);
/** Which sections to measure: `gateway` (the paths and baselines), `modes` (embedded beside distributed), `replicas` (one and two replicas of each service). */
const SECTIONS = (process.env['BENCH_SECTIONS'] ?? 'gateway,modes,replicas').split(',').map((s) => s.trim());
const ADMIN = 'bench-admin';
const ADMIN_PASSWORD = 'Bench-Passw0rd!-Admin';

function fail(message: string): never {
  throw new Error(`BENCHMARK CHECK FAILED: ${message}`);
}

// ── processes ───────────────────────────────────────────────────────────────

interface Process {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
}

const processes: Process[] = [];
let logDir = '';

/** Starts `node <args>` in its own process group, its output going to a log file. */
function startProcess(name: string, args: string[], env: Record<string, string>): Process {
  const log = join(logDir, `${name}.log`);
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true });
  const started = { name, child, log };
  processes.push(started);
  return started;
}

function tail(p: Process, lines = 30): string {
  return readFileSync(p.log, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Resolves with the first line of the process's log that matches, or fails after `ms` or when it exits. */
async function waitForLine(p: Process, pattern: RegExp, ms = 60_000): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const line = readFileSync(p.log, 'utf8').split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`${p.name} never printed ${pattern}; its output:\n${tail(p)}`);
}

async function stopAll(): Promise<void> {
  await Promise.all(
    processes.map(async (p) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined) return;
      const exited = new Promise((done) => p.child.once('exit', done));
      try {
        process.kill(-p.child.pid, 'SIGTERM');
      } catch {
        p.child.kill('SIGTERM');
      }
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

function randomRoot(): Credentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AKIA';
  for (const byte of randomBytes(16)) id += alphabet[byte % 32];
  return { accessKeyId: id, secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'A') };
}

interface System {
  port: number;
  prefix: string;
  root: Credentials;
}

async function startSystem(database: TestDatabase, replicas = 1): Promise<System> {
  for (const app of ['identity', 'directory', 'authorization', 'gateway']) {
    if (!existsSync(join(ROOT, 'dist', 'apps', app, 'main.js'))) fail(`dist/apps/${app}/main.js is missing: build the apps first (nx bench builds them)`);
  }
  const root = randomRoot();
  const prefix = `gwbench${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: database.url,
    IAM_BUS_SUBJECT_PREFIX: prefix,
    IAM_ACCOUNT_ID: ACCOUNT,
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_ROOT_PASSWORD: `Root-${randomBytes(6).toString('hex')}-Pw1!`,
    IAM_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
  };
  const profile = PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(PROFILE_DIR)}`] : [];
  // Replicas of a service share its queue group on the same prefix and database.
  const services = ['identity', 'directory', 'authorization'].flatMap((app) =>
    Array.from({ length: replicas }, (_, n) => startProcess(replicas === 1 ? app : `${app}-${n + 1}of${replicas}`, [...profile, join(ROOT, 'dist', 'apps', app, 'main.js')], env)),
  );
  await Promise.all(services.map((p) => waitForLine(p, /is listening on the bus/)));
  const port = await freePort();
  const gateway = startProcess(replicas === 1 ? 'gateway' : `gateway-for-${replicas}`, [...profile, join(ROOT, 'dist', 'apps', 'gateway', 'main.js')], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await waitForLine(gateway, /gateway is listening/);
  return { port, prefix, root };
}

/** Starts a baseline server (`plain` or `nats`) and answers its port. */
async function startBaseline(mode: 'plain' | 'nats', subject: string): Promise<number> {
  const p = startProcess(`baseline-${mode}`, [join(__dirname, 'baseline.mjs'), mode], { PORT: '0', NATS_URL: TEST_NATS_URL, SUBJECT: subject });
  return Number((await waitForLine(p, /^listening \d+$/)).split(' ')[1]);
}

// ── requests ────────────────────────────────────────────────────────────────

/** A request signed with SigV4 (service `iam`) by the official signer, now. */
async function signed(port: number, credentials: Credentials, method: 'GET' | 'POST', path: string, body?: { type: string; text: string }): Promise<Call> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...(body ? { 'content-type': body.type } : {}) };
  const request = await officialSigner(credentials).sign({
    method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path,
    query: {},
    headers,
    ...(body ? { body: body.text } : {}),
  });
  const out = { ...(request.headers as Record<string, string>) };
  if (body) out['content-length'] = String(Buffer.byteLength(body.text));
  return { method, path, headers: out, ...(body ? { body: Buffer.from(body.text) } : {}) };
}

function query(port: number, credentials: Credentials, params: Record<string, string>): Promise<Call> {
  const text = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  return signed(port, credentials, 'POST', '/', { type: 'application/x-www-form-urlencoded; charset=utf-8', text });
}

function plain(port: number, path: string, headers: Record<string, string> = {}): Call {
  return { method: 'GET', path, headers: { host: `127.0.0.1:${port}`, ...headers } };
}

/** Seeding and checks: one request, the JSON reply of a REST call signed as `credentials`. */
async function rest(client: LoadClient, port: number, credentials: Credentials, method: 'GET' | 'POST' | 'PUT', path: string, body?: object) {
  const call = body
    ? await signed(port, credentials, method as 'POST', path, { type: 'application/json', text: JSON.stringify(body) })
    : await signed(port, credentials, method as 'GET', path);
  const reply = await client.once(call);
  if (reply.status >= 300) fail(`${method} ${path} answered ${reply.status}: ${reply.text}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (reply.text ? JSON.parse(reply.text) : {}) as any;
}

interface Account {
  reader: Credentials;
  session: string;
}

async function seed(client: LoadClient, system: System): Promise<Account> {
  const { port, root } = system;
  const asRoot = (method: 'GET' | 'POST' | 'PUT', path: string, body?: object) => rest(client, port, root, method, path, body);
  const policy = await asRoot('POST', '/v1/policies', {
    PolicyName: 'bench-read-users',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'ReadUsers', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }] },
  });
  await asRoot('POST', '/v1/groups', { GroupName: 'bench-readers' });
  await asRoot('POST', '/v1/groups/bench-readers/attached-policies', { PolicyArn: policy.Policy.Arn });
  await asRoot('POST', '/v1/users', { UserName: READER });
  await asRoot('PUT', `/v1/groups/bench-readers/members/${READER}`);
  const key = await asRoot('POST', `/v1/users/${READER}/access-keys`);
  await asRoot('POST', `/v1/users/${READER}/login-profile`, { Password: PASSWORD, PasswordResetRequired: false });
  for (let i = 0; i < USERS; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        asRoot('POST', '/v1/users', { UserName: `bench-user-${String(i + k).padStart(3, '0')}`, Path: '/bench/', Tags: [{ Key: 'team', Value: `t${(i + k) % 7}` }] }),
      ),
    );
  }
  const signIn = await client.once({
    method: 'POST',
    path: '/v1/sessions',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ UserName: READER, Password: PASSWORD })),
  });
  if (signIn.status !== 201) fail(`signing in as ${READER} answered ${signIn.status}: ${signIn.text}`);
  return { reader: { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey }, session: JSON.parse(signIn.text).SessionToken };
}

// ── the paths ───────────────────────────────────────────────────────────────

interface Path {
  readonly key: string;
  readonly label: string;
  readonly port: number;
  /** The request, made (signed) afresh for each round. */
  readonly call: () => Promise<Call> | Call;
  readonly expected: Expected;
  /** Sends its bus requests all at once (`/health`). */
  readonly parallel?: boolean;
  /** The processes whose CPU time the path uses (besides the client's). */
  readonly components: readonly Component[];
  /** Checks one reply in full (status and body) before anything is measured. */
  readonly check: (status: number, text: string) => string | undefined;
}

const marker = (text: string) => Buffer.from(text);
const count = (text: string, piece: string) => text.split(piece).length - 1;

function paths(running: System, account: Account, baselines: { plain: number; nats: number }): Path[] {
  const { port, root } = running;
  const okJson = (status: number, text: string) => (status === 200 && JSON.parse(text).ok === true ? undefined : `${status} ${text}`);
  const system = ['gateway', 'identity', 'directory', 'authorization', 'postgres', 'nats'];
  const getUserXml = (status: number, text: string) =>
    status === 200 && text.includes('<GetUserResponse') && text.includes(`<UserName>${TARGET_USER}</UserName>`) && text.includes('<Path>/bench/</Path>')
      ? undefined
      : `${status} ${text.slice(0, 400)}`;
  return [
    {
      key: 'A',
      label: 'A: bare node:http server, small JSON body',
      port: baselines.plain,
      call: () => plain(baselines.plain, '/'),
      expected: { status: 200, marker: marker('"ok":true') },
      components: ['baseline-plain'],
      check: okJson,
    },
    {
      key: 'B',
      label: 'B: bare server + one NATS request/reply',
      port: baselines.nats,
      call: () => plain(baselines.nats, '/'),
      expected: { status: 200, marker: marker('"ok":true') },
      components: ['baseline-nats', 'baseline-responder', 'nats'],
      check: okJson,
    },
    {
      key: 'health',
      label: '`GET /health` (no authentication)',
      port,
      parallel: true,
      components: system,
      call: () => plain(port, '/health'),
      expected: { status: 200, marker: marker('"status":"ok"') },
      check: (status, text) => {
        const body = status === 200 ? JSON.parse(text) : undefined;
        return body?.status === 'ok' && ['gateway', 'identity', 'directory', 'authorization'].every((s) => body.details?.[s]?.status === 'up') ? undefined : `${status} ${text}`;
      },
    },
    {
      key: 'getUser',
      label: '`GetUser` (Query API, SigV4) as the IAM user',
      port,
      components: system,
      call: () => query(port, account.reader, { Action: 'GetUser', UserName: TARGET_USER }),
      expected: { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) },
      check: getUserXml,
    },
    {
      key: 'getUserRoot',
      label: '`GetUser` (Query API, SigV4) as root',
      port,
      components: system,
      call: () => query(port, root, { Action: 'GetUser', UserName: TARGET_USER }),
      expected: { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) },
      check: getUserXml,
    },
    {
      key: 'restUser',
      label: '`GET /v1/users/{name}` (REST, bearer session) as the IAM user',
      port,
      components: system,
      call: () => plain(port, `/v1/users/${TARGET_USER}`, { authorization: `Bearer ${account.session}` }),
      expected: { status: 200, marker: marker(`"UserName":"${TARGET_USER}"`) },
      check: (status, text) => {
        const user = status === 200 ? JSON.parse(text).User : undefined;
        return user?.UserName === TARGET_USER && user.Path === '/bench/' && user.Arn === `arn:aws:iam::${ACCOUNT}:user/bench/${TARGET_USER}` ? undefined : `${status} ${text}`;
      },
    },
    {
      key: 'listUsers',
      label: '`ListUsers` `MaxItems=100` (Query API, SigV4) as the IAM user',
      port,
      components: system,
      call: () => query(port, account.reader, { Action: 'ListUsers', MaxItems: '100' }),
      expected: { status: 200, marker: marker('<IsTruncated>true</IsTruncated>') },
      check: (status, text) =>
        status === 200 && count(text, '<member>') === 100 && text.includes('<UserName>bench-reader</UserName>') && text.includes('<IsTruncated>true</IsTruncated>')
          ? undefined
          : `${status} ${count(text, '<member>')} members: ${text.slice(0, 400)}`,
    },
  ];
}

/** Requests that must be refused: proof that the measured paths authenticate and authorize. */
async function checkRefusals(client: LoadClient, system: System, account: Account): Promise<void> {
  const { port } = system;
  const expectError = async (what: string, call: Call, status: number, code: string) => {
    const reply = await client.once(call);
    if (reply.status !== status || !reply.text.includes(code)) fail(`${what}: expected ${status} ${code}, got ${reply.status}: ${reply.text.slice(0, 300)}`);
  };
  await expectError('the IAM user listing groups (not allowed)', await query(port, account.reader, { Action: 'ListGroups' }), 403, 'AccessDenied');
  await expectError(
    'a wrong secret',
    await query(port, { ...account.reader, secretAccessKey: `${account.reader.secretAccessKey.slice(0, -1)}x` }, { Action: 'GetUser', UserName: TARGET_USER }),
    403,
    'SignatureDoesNotMatch',
  );
  await expectError('an unknown session token', plain(port, `/v1/users/${TARGET_USER}`, { authorization: `Bearer ${randomBytes(32).toString('hex')}` }), 403, 'InvalidToken');
  await expectError('no credentials', plain(port, `/v1/users/${TARGET_USER}`), 403, 'MissingAuthenticationToken');
}

/** The bus requests (and events) one request of each path causes, seen on the system's subject prefix. */
async function countHops(nc: NatsConnection, prefix: string, client: LoadClient, list: Path[]): Promise<Map<string, { requests: string[]; events: string[] }>> {
  const seen: { subject: string; request: boolean }[] = [];
  const subscription = nc.subscribe(`${prefix}.>`, { callback: (_error, message) => seen.push({ subject: message.subject.slice(prefix.length + 1), request: Boolean(message.reply) }) });
  await nc.flush();
  const hops = new Map<string, { requests: string[]; events: string[] }>();
  const N = 10;
  for (const path of list) {
    if (path.port !== client.port) continue;
    seen.length = 0;
    const call = await path.call();
    for (let i = 0; i < N; i++) {
      const reply = await client.once(call);
      const problem = path.check(reply.status, reply.text);
      if (problem) fail(`${path.label}: ${problem}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    await nc.flush();
    const perRequest = (request: boolean) => {
      const counts = new Map<string, number>();
      for (const s of seen) if (s.request === request) counts.set(s.subject, (counts.get(s.subject) ?? 0) + 1);
      const out: string[] = [];
      for (const [subject, n] of counts) {
        if (n % N !== 0) fail(`${path.label}: ${n} ${subject} messages for ${N} requests`);
        for (let k = 0; k < n / N; k++) out.push(subject);
      }
      return out;
    };
    hops.set(path.key, { requests: perRequest(true), events: perRequest(false) });
  }
  subscription.unsubscribe();
  return hops;
}

// ── measuring ───────────────────────────────────────────────────────────────

interface Result {
  one: Figures;
  many: Figures;
  /** CPU milliseconds per request of each component, at the higher concurrency (all rounds together). */
  cpu: Map<Component, number>;
}

/** Adds up CPU time and requests over a path's counted runs. */
class CpuTally implements Meter {
  private readonly totals = new Map<Component, number>();
  private requests = 0;
  private before = new Map<string, number>();

  constructor(private readonly meter: CpuMeter) {}

  start(): void {
    this.before = this.meter.sample();
  }

  stop(requests: number): void {
    for (const [component, ms] of CpuMeter.used(this.before, this.meter.sample())) this.totals.set(component, (this.totals.get(component) ?? 0) + ms);
    this.requests += requests;
  }

  perRequest(): Map<Component, number> {
    return new Map([...this.totals].map(([component, ms]) => [component, this.requests ? ms / this.requests : 0]));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function medianFigures(rounds: Figures[]): Figures {
  return {
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    requests: median(rounds.map((r) => r.requests)),
  };
}

async function measure(list: Path[], meter: CpuMeter): Promise<Map<string, Result>> {
  const clients = new Map(list.map((p) => [p.key, { one: new LoadClient(p.port, 1), many: new LoadClient(p.port, IN_FLIGHT) }]));
  const tallies = new Map(list.map((p) => [p.key, new CpuTally(meter)]));
  const rounds = new Map(list.map((p) => [p.key, { one: [] as Figures[], many: [] as Figures[] }]));
  try {
    process.stdout.write(`warm-up: every path for ${ROUND_MS} ms at ${IN_FLIGHT} in flight\n`);
    for (const path of list) await clients.get(path.key)?.many.run(await path.call(), path.expected, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`round ${round + 1} of ${ROUNDS}\n`);
      // Interleaved, each round starting at another path.
      for (let k = 0; k < list.length; k++) {
        const path = list[(round + k) % list.length];
        const client = clients.get(path.key);
        const kept = rounds.get(path.key);
        if (!client || !kept) continue;
        kept.one.push(await client.one.run(await path.call(), path.expected, WARMUP_MS, ROUND_MS));
        kept.many.push(await client.many.run(await path.call(), path.expected, WARMUP_MS, ROUND_MS, tallies.get(path.key)));
      }
    }
  } finally {
    for (const { one, many } of clients.values()) {
      one.close();
      many.close();
    }
  }
  return new Map(list.map((p) => {
    const kept = rounds.get(p.key) ?? { one: [], many: [] };
    return [p.key, { one: medianFigures(kept.one), many: medianFigures(kept.many), cpu: tallies.get(p.key)?.perRequest() ?? new Map() }];
  }));
}

// ── report ──────────────────────────────────────────────────────────────────

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Hops {
  requests: string[];
  events: string[];
}

function hopText(hops: Hops | undefined, path: Path): string {
  if (path.key === 'A') return '0';
  if (path.key === 'B') return '1';
  if (!hops) return '?';
  const events = hops.events.length ? ` + ${hops.events.length} event${hops.events.length > 1 ? 's' : ''}` : '';
  return `${hops.requests.length}${path.parallel ? ' in parallel' : ''}${events}`;
}

/** The bus requests of a call in the order sent; the decision's own request to directory shown inside it. */
function hopSequence(hops: Hops, path: Path): string {
  const parts: string[] = [];
  for (let i = 0; i < hops.requests.length; i++) {
    const subject = hops.requests[i];
    const next = hops.requests[i + 1];
    if (subject === 'authorization.authorize' && next?.startsWith('directory.')) {
      parts.push(`\`${subject}\` (which asks \`${next}\`)`);
      i++;
    } else {
      parts.push(`\`${subject}\``);
    }
  }
  const events = hops.events.length ? `; events: ${hops.events.map((e) => `\`${e}\``).join(', ')}` : '';
  return `${parts.length ? parts.join(path.parallel ? ', ' : ' → ') : 'none'}${path.parallel ? ', in parallel' : ''}${events}`;
}

/** What dominates, from the CPU time per request: computed, so that it holds for the figures above it. */
function timeShares(list: Path[], results: Map<string, Result>, hops: Map<string, Hops>): string {
  const perRequest = (key: string, component: Component) => results.get(key)?.cpu.get(component) ?? 0;
  const total = (path: Path) => [...path.components, 'client'].reduce((sum, c) => sum + perRequest(path.key, c), 0);
  const user = list.find((p) => p.key === 'getUser');
  const health = list.find((p) => p.key === 'health');
  const lines: string[] = [];
  const bound = list
    .filter((p) => !['A', 'B'].includes(p.key))
    .map((p) => (results.get(p.key)?.many.perSecond ?? 0) / ((os.cpus().length * 1000) / total(p)));
  if (bound.length > 0) {
    lines.push(
      `Through the gateway every path is bound by CPU: at ${IN_FLIGHT} in flight each reaches ${fmt(Math.min(...bound) * 100)}–${fmt(Math.max(...bound) * 100)}% of the throughput its CPU time per request allows on ${os.cpus().length} cores, so a path costs the sum of what every process spends on it, and that grows with its bus requests.`,
    );
  }
  if (user) {
    const all = total(user);
    const requests = hops.get(user.key)?.requests ?? [];
    const identity = requests.filter((r) => r.startsWith('identity.')).length;
    const share = (components: Component[]) => fmt((components.reduce((sum, c) => sum + perRequest(user.key, c), 0) / all) * 100);
    lines.push(
      `For \`GetUser\` as the IAM user (${fmt(all, 2)} ms of CPU per request): the gateway ${share(['gateway'])}%, the three services ${share(['identity', 'directory', 'authorization'])}% (identity ${share(['identity'])}%, which answers ${identity} of the ${requests.length} requests), PostgreSQL ${share(['postgres'])}%, the NATS server ${share(['nats'])}%, the client ${share(['client'])}%.`,
    );
  }
  if (health && results.has('B')) {
    const service = (['identity', 'directory', 'authorization'] as Component[]).reduce((sum, c) => sum + perRequest('health', c), 0) / 3;
    lines.push(
      `A bus request costs its service far more than the raw request/reply of baseline B costs its responder: a health request (a database ping) ${fmt(service, 3)} ms of a service's CPU against ${fmt(perRequest('B', 'baseline-responder'), 3)} ms, and the gateway's side of a \`/health\` (HTTP in, three requests out) ${fmt(perRequest('health', 'gateway'), 3)} ms against ${fmt(perRequest('B', 'baseline-nats'), 3)} ms for B's server. That is the NestJS microservice pipeline around each message on the receiving side (rxjs, interceptors, the contract's zod validation, one log line) and NestJS's client proxy, Fastify and the gateway's own work on the sending side; each message is also one socket write for its sender and work for the NATS server.`,
    );
  }
  return lines.length ? `### Where the time goes\n\n${lines.join('\n\n')}` : '';
}

const CPU_COLUMNS: { label: string; components: Component[] }[] = [
  { label: 'HTTP server', components: ['gateway', 'baseline-plain', 'baseline-nats'] },
  { label: 'identity', components: ['identity'] },
  { label: 'directory', components: ['directory'] },
  { label: 'authorization', components: ['authorization'] },
  { label: 'B\'s responder', components: ['baseline-responder'] },
  { label: 'PostgreSQL', components: ['postgres'] },
  { label: 'NATS server', components: ['nats'] },
  { label: 'client', components: ['client'] },
];

function section(list: Path[], results: Map<string, Result>, hops: Map<string, Hops>, startedAt: Date, cpuMeasured: boolean): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const get = (key: string) => results.get(key) as Result;
  const A = results.get('A');
  const B = results.get('B');
  const table = (level: 'one' | 'many') => {
    const head = `| Path | Bus requests | Requests/s | p50 ms | p99 ms | Requests/s ÷ B | Requests/s ÷ A |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |`;
    const rows = list.map((p) => {
      const f = get(p.key)[level];
      const ratio = (base: Result | undefined) => (base ? fmt(f.perSecond / base[level].perSecond, 3) : '');
      return `| ${p.label} | ${hopText(hops.get(p.key), p)} | ${fmt(f.perSecond)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${ratio(B)} | ${ratio(A)} |`;
    });
    return [head, ...rows].join('\n');
  };
  const cpuTable = () => {
    const head = `| Path | ${CPU_COLUMNS.map((c) => c.label).join(' | ')} | Total | Requests/s the total allows on ${os.cpus().length} cores |\n| --- |${' ---: |'.repeat(CPU_COLUMNS.length + 2)}`;
    const rows = list.map((p) => {
      const used = get(p.key).cpu;
      const counted = new Set<Component>([...p.components, 'client']);
      const cells = CPU_COLUMNS.map((c) => {
        const parts = c.components.filter((component) => counted.has(component));
        return parts.length ? parts.reduce((sum, component) => sum + (used.get(component) ?? 0), 0) : undefined;
      });
      const total = cells.reduce<number>((a, b) => a + (b ?? 0), 0);
      return `| ${p.label} | ${cells.map((ms) => (ms === undefined ? '' : fmt(ms, 3))).join(' | ')} | ${fmt(total, 3)} | ${fmt((os.cpus().length * 1000) / total)} |`;
    });
    return [head, ...rows].join('\n');
  };
  const sequence = list
    .filter((p) => hops.has(p.key))
    .map((p) => `- ${p.label}: ${hopSequence(hops.get(p.key) as Hops, p)}`)
    .join('\n');
  const whereTimeGoes = cpuMeasured ? timeShares(list, results, hops) : '';
  return `## Gateway

Measured ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`libs/gateway-http/bench/bench.ts\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${os.cpus().length} cores (load average ${LOAD_AT_START.map((l) => l.toFixed(2)).join(', ')}
when the run began). Everything on this one machine: PostgreSQL, NATS, the load generator and the processes measured.

The system runs as the distributed deployment does: identity, directory, authorization and the gateway each its own
process from \`dist/apps/*/main.js\` (built by the bench target), over NATS with a subject prefix of their own and a fresh
PostgreSQL database, default settings (database pool of 10 per service, \`LOG_LEVEL=info\`: one log line per request
from the gateway, to a file). The account: a group with a managed policy allowing \`iam:GetUser\` and \`iam:ListUsers\`,
the IAM user in that group with an access key and a password (a bearer session from signing in), and ${USERS} more users
under \`/bench/\`; \`GetUser\` reads \`${TARGET_USER}\`. Before measuring, the run checks each path's reply (status and body:
the user, the 100 users of the page, the health of every service) and that the gateway refuses a denied action
(\`AccessDenied\`), a wrong secret, an unknown session token and a request without credentials.

Baselines, measured in the same run with the same client: **A**, a bare \`node:http\` server answering a small JSON
body; **B**, the same server making one NATS request/reply (raw \`nats\` client) per request to a trivial responder, each
its own process: B is the cost of one bus hop, the ceiling for anything that crosses the bus.

Client: node:http with keep-alive connections in the bench process (no load generator such as \`wrk\` or
\`autocannon\` is installed); each caller sends its next request when the previous reply has been read in full, and every
reply's status and body are checked. SigV4 requests are signed at the start of each round and resent as they are
(the gateway verifies each in full; the client's signing is not measured). Each path runs for ${ROUND_MS} ms per round after
a ${WARMUP_MS} ms warm-up (and a ${ROUND_MS} ms warm-up of every path before the first round), in ${ROUNDS} rounds interleaving the paths;
each figure is the median over the rounds. Latency: from sending a request to the last byte of its reply.
"Requests/s ÷ B": the path's throughput as a fraction of baseline B's at the same concurrency.

### 1 request in flight (latency)

${table('one')}

### ${IN_FLIGHT} requests in flight (throughput)

${table('many')}

### CPU time per request (ms), at ${IN_FLIGHT} in flight

${
  cpuMeasured
    ? `CPU time (user + system, all threads) each process used during the counted ${IN_FLIGHT}-in-flight runs of a path, divided by
their requests: read from \`/proc\` before and after each run. PostgreSQL: the backends serving this run's database;
NATS server: the whole server (shared with anything else on this machine). "Requests/s the total allows": the
machine's cores divided by the total, the throughput if the CPU were the only limit.

${cpuTable()}`
    : 'Not measured: this system has no `/proc`.'
}

${whereTimeGoes}

### Bus requests per call

Counted in the run by listening on the system's subject prefix while each path was called 10 times, in the order
sent (the gateway sends them all but the \`directory\` request, which the authorization service makes while deciding):

${sequence}
`;
}

function writeSection(text: string, heading = 'Gateway'): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = readFileSync(file, 'utf8');
  const start = current.indexOf(`\n## ${heading}\n`);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${text}`;
  } else {
    const after = current.indexOf('\n## ', start + 1);
    next = current.slice(0, start + 1) + text + (after === -1 ? '' : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

// ── the embedded default beside the distributed mode ────────────────────────

/** Starts the embedded default (`npm start`'s `dist/apps/standalone/main.js`) on a fresh data folder, with `root`'s keys. */
async function startEmbedded(root: Credentials): Promise<{ port: number; dataDir: string }> {
  if (!existsSync(join(ROOT, 'dist', 'apps', 'standalone', 'main.js'))) fail('dist/apps/standalone/main.js is missing: build the apps first (nx bench builds them)');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'embedded-bench-'));
  const port = await freePort();
  const p = startProcess('standalone', [join(ROOT, 'dist', 'apps', 'standalone', 'main.js')], {
    PORT: String(port),
    HOST: '127.0.0.1',
    IAM_DATA_DIR: dataDir,
    DATABASE_URL: '',
    NATS_URL: '',
    IAM_BUS_SUBJECT_PREFIX: '',
    IAM_ACCOUNT_ID: ACCOUNT,
    IAM_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    IAM_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey,
    IAM_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
  });
  await waitForLine(p, /IAM is listening on/, 120_000);
  return { port, dataDir };
}

/** An administrator (a group with AdministratorAccess) signed in: the write mix's bearer session. */
async function seedAdmin(client: LoadClient, system: System): Promise<string> {
  const asRoot = (method: 'POST' | 'PUT', path: string, body?: object) => rest(client, system.port, system.root, method, path, body);
  await asRoot('POST', '/v1/groups', { GroupName: 'bench-admins' });
  await asRoot('POST', '/v1/groups/bench-admins/attached-policies', { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  await asRoot('POST', '/v1/groups', { GroupName: 'bench-mix' });
  await asRoot('POST', '/v1/users', { UserName: ADMIN });
  await asRoot('PUT', `/v1/groups/bench-admins/members/${ADMIN}`);
  await asRoot('POST', `/v1/users/${ADMIN}/login-profile`, { Password: ADMIN_PASSWORD, PasswordResetRequired: false });
  const signIn = await client.once({
    method: 'POST',
    path: '/v1/sessions',
    headers: { host: `127.0.0.1:${system.port}`, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ UserName: ADMIN, Password: ADMIN_PASSWORD })),
  });
  if (signIn.status !== 201) fail(`signing in as ${ADMIN} answered ${signIn.status}: ${signIn.text}`);
  return JSON.parse(signIn.text).SessionToken;
}

/**
 * The write mix: a user's whole life through the REST front as the administrator (bearer session,
 * so the client signs nothing): CreateUser, AddUserToGroup, CreateAccessKey, PutUserPolicy, then
 * DeleteAccessKey, DeleteUserPolicy, RemoveUserFromGroup and DeleteUser; eight writes, each reply
 * checked.
 */
function writeMix(port: number, session: string): Script {
  const run = randomBytes(3).toString('hex');
  const call = (method: Call['method'], path: string, body?: object): Call => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return {
      method,
      path,
      headers: {
        host: `127.0.0.1:${port}`,
        authorization: `Bearer ${session}`,
        ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
      },
      ...(text === undefined ? {} : { body: Buffer.from(text) }),
    };
  };
  const done = { status: 204, marker: marker('') };
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };
  return async (request, caller, iteration) => {
    const name = `mix-${run}-${caller}-${iteration}`;
    await request(call('POST', '/v1/users', { UserName: name, Path: '/mix/' }), { status: 201, marker: marker(`"UserName":"${name}"`) });
    await request(call('PUT', `/v1/groups/bench-mix/members/${name}`), done);
    const created = await request(call('POST', `/v1/users/${name}/access-keys`, {}), { status: 201, marker: marker(`"UserName":"${name}"`) });
    const key = JSON.parse(created).AccessKey.AccessKeyId as string;
    await request(call('PUT', `/v1/users/${name}/policies/mix`, { PolicyDocument: document }), done);
    await request(call('DELETE', `/v1/users/${name}/access-keys/${key}`), done);
    await request(call('DELETE', `/v1/users/${name}/policies/mix`), done);
    await request(call('DELETE', `/v1/groups/bench-mix/members/${name}`), done);
    await request(call('DELETE', `/v1/users/${name}`), done);
  };
}

interface ModePath {
  mode: 'distributed' | 'embedded';
  kind: 'getUser' | 'writeMix';
  port: number;
  /** Measures one round at `inFlight`. */
  run(client: LoadClient, warmupMs: number, durationMs: number): Promise<Figures>;
}

/** `GetUser` as the IAM user and the write mix, on each system, at 1 and `MODES_IN_FLIGHT` in flight, rounds interleaved. */
async function measureModes(systems: Array<{ mode: ModePath['mode']; system: System; account: Account; session: string }>): Promise<Map<string, { one: Figures; many: Figures }>> {
  const list: ModePath[] = systems.flatMap(({ mode, system, account, session }) => [
    {
      mode,
      kind: 'getUser' as const,
      port: system.port,
      run: async (client: LoadClient, warmupMs: number, durationMs: number) =>
        client.run(await query(system.port, account.reader, { Action: 'GetUser', UserName: TARGET_USER }), { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) }, warmupMs, durationMs),
    },
    { mode, kind: 'writeMix' as const, port: system.port, run: (client: LoadClient, warmupMs: number, durationMs: number) => client.runScript(writeMix(system.port, session), warmupMs, durationMs) },
  ]);
  const key = (p: ModePath) => `${p.mode}:${p.kind}`;
  const clients = new Map(list.map((p) => [key(p), { one: new LoadClient(p.port, 1), many: new LoadClient(p.port, MODES_IN_FLIGHT) }]));
  const rounds = new Map(list.map((p) => [key(p), { one: [] as Figures[], many: [] as Figures[] }]));
  try {
    process.stdout.write(`embedded beside distributed: warm-up, every path for ${ROUND_MS} ms at ${MODES_IN_FLIGHT} in flight\n`);
    for (const p of list) await p.run(clients.get(key(p))?.many as LoadClient, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`round ${round + 1} of ${ROUNDS}\n`);
      for (let k = 0; k < list.length; k++) {
        const p = list[(round + k) % list.length];
        const client = clients.get(key(p));
        const kept = rounds.get(key(p));
        if (!client || !kept) continue;
        kept.one.push(await p.run(client.one, WARMUP_MS, ROUND_MS));
        kept.many.push(await p.run(client.many, WARMUP_MS, ROUND_MS));
      }
    }
  } finally {
    for (const { one, many } of clients.values()) {
      one.close();
      many.close();
    }
  }
  return new Map([...rounds].map(([k, kept]) => [k, { one: medianFigures(kept.one), many: medianFigures(kept.many) }]));
}

function modesSection(results: Map<string, { one: Figures; many: Figures }>, startedAt: Date, load: number[]): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const label = { getUser: '`GetUser` (Query API, SigV4) as the IAM user', writeMix: 'Write mix (8 writes per user, REST, bearer session)' };
  const mode = { distributed: 'distributed (4 processes, NATS, PostgreSQL)', embedded: 'embedded default (one process, PGlite)' };
  const rows: string[] = [];
  for (const kind of ['getUser', 'writeMix'] as const) {
    for (const m of ['distributed', 'embedded'] as const) {
      const f = results.get(`${m}:${kind}`);
      if (!f) continue;
      const base = results.get(`distributed:${kind}`);
      const ratio = (level: 'one' | 'many') => (base ? fmt(f[level].perSecond / base[level].perSecond, 2) : '');
      rows.push(
        `| ${label[kind]} | ${mode[m]} | ${fmt(f.one.perSecond)} | ${fmt(f.one.p50, 2)} | ${fmt(f.one.p99, 2)} | ${ratio('one')} | ${fmt(f.many.perSecond)} | ${fmt(f.many.p50, 2)} | ${fmt(f.many.p99, 2)} | ${ratio('many')} |`,
      );
    }
  }
  return `## Embedded default beside the distributed mode

Measured ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`libs/gateway-http/bench/bench.ts\`, \`BENCH_SECTIONS=modes\` for this
section alone). Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${os.cpus().length} cores (load average ${load.map((l) => l.toFixed(2)).join(', ')} when
this section began).

The same account on both systems, each started as its users start it: the distributed mode as in the section above; the
embedded default as \`npm start\` runs it (\`dist/apps/standalone/main.js\`, a fresh data folder, default settings: one
process, the in-process bus, PGlite reached in process through the session multiplexer, so one transaction at a time).
\`GetUser\`: as in the section above (the IAM user, SigV4, \`${TARGET_USER}\`). Write mix: each caller runs a user's whole
life as an administrator (AdministratorAccess through a group, bearer session): \`CreateUser\`, \`AddUserToGroup\`,
\`CreateAccessKey\`, \`PutUserPolicy\`, \`DeleteAccessKey\`, \`DeleteUserPolicy\`, \`RemoveUserFromGroup\`, \`DeleteUser\`, every
reply checked; the figures count writes. Each path runs ${ROUND_MS} ms per round after a ${WARMUP_MS} ms warm-up, ${ROUNDS} rounds
interleaving the paths and the systems; medians over the rounds. "÷ distributed": throughput as a fraction of the
distributed mode's on the same path and concurrency.

| Path | System | 1 in flight: requests/s | p50 ms | p99 ms | ÷ distributed | ${MODES_IN_FLIGHT} in flight: requests/s | p50 ms | p99 ms | ÷ distributed |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
${
  load[0] > os.cpus().length
    ? `\nThe machine was busy with other work during this run (load average above its ${os.cpus().length} cores): every figure is low and
noisy, and the two systems competed with that work differently. Run the command again on a quiet machine.\n`
    : ''
}`;
}

// ── one and two replicas of each service ────────────────────────────────────

interface ReplicaSystem {
  replicas: number;
  system: System;
  account: Account;
  session: string;
}

/**
 * The read path (`GetUser` as the IAM user: signature, principal, decision with its groups, the
 * user: five bus requests over three services) and the write mix, on a system with one replica of
 * each service and on one with two, at `MODES_IN_FLIGHT` in flight, the rounds interleaving paths
 * and systems (the other system idle meanwhile).
 */
async function measureReplicas(systems: ReplicaSystem[]): Promise<Map<string, Figures>> {
  const list = systems.flatMap(({ replicas, system, account, session }) => [
    {
      key: `${replicas}:getUser`,
      port: system.port,
      run: async (client: LoadClient, warmupMs: number, durationMs: number) =>
        client.run(await query(system.port, account.reader, { Action: 'GetUser', UserName: TARGET_USER }), { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) }, warmupMs, durationMs),
    },
    { key: `${replicas}:writeMix`, port: system.port, run: (client: LoadClient, warmupMs: number, durationMs: number) => client.runScript(writeMix(system.port, session), warmupMs, durationMs) },
  ]);
  const clients = new Map(list.map((p) => [p.key, new LoadClient(p.port, MODES_IN_FLIGHT)]));
  const rounds = new Map(list.map((p) => [p.key, [] as Figures[]]));
  try {
    process.stdout.write(`replicas: warm-up, every path for ${ROUND_MS} ms at ${MODES_IN_FLIGHT} in flight\n`);
    for (const p of list) await p.run(clients.get(p.key) as LoadClient, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`round ${round + 1} of ${ROUNDS}\n`);
      for (let k = 0; k < list.length; k++) {
        const p = list[(round + k) % list.length];
        rounds.get(p.key)?.push(await p.run(clients.get(p.key) as LoadClient, WARMUP_MS, ROUND_MS));
      }
    }
  } finally {
    for (const client of clients.values()) client.close();
  }
  return new Map([...rounds].map(([k, kept]) => [k, medianFigures(kept)]));
}

function replicasSection(results: Map<string, Figures>, startedAt: Date, load: number[], loadAfter: number[]): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const label = { getUser: 'Read: `GetUser` (Query API, SigV4) as the IAM user', writeMix: 'Write mix (8 writes per user, REST, bearer session)' };
  const rows = (['getUser', 'writeMix'] as const).map((kind) => {
    const one = results.get(`1:${kind}`);
    const two = results.get(`2:${kind}`);
    if (!one || !two) return '';
    return `| ${label[kind]} | ${fmt(one.perSecond)} | ${fmt(one.p50, 2)} | ${fmt(one.p99, 2)} | ${fmt(two.perSecond)} | ${fmt(two.p50, 2)} | ${fmt(two.p99, 2)} | ${fmt(two.perSecond / one.perSecond, 2)} |`;
  });
  const cores = os.cpus().length;
  return `## One and two replicas of each service

Measured ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} with \`BENCH_SECTIONS=replicas ${COMMAND}\` (script: \`libs/gateway-http/bench/bench.ts\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${cores} cores (load average ${load.map((l) => l.toFixed(2)).join(', ')} when this
section began, ${loadAfter.map((l) => l.toFixed(2)).join(', ')} when it ended). Everything on this one machine: PostgreSQL, NATS, the
load generator and both systems.

Two systems side by side, each as the distributed deployment runs it (processes from \`dist/apps/*/main.js\`, default
settings, its own database and NATS subject prefix, one gateway): one with **one replica** of identity, directory and
authorization, one with **two replicas** of each (the replicas of a service share its NATS queue group and its database).
The same account on both (as in the *Gateway* section) and an administrator for the write mix (as in the section above).
Read: \`GetUser\` as the IAM user (five bus requests over the three services). Write mix: a user's whole life, eight
writes, every reply checked; the figures count writes. ${MODES_IN_FLIGHT} requests in flight; each path runs ${ROUND_MS} ms per round
after a ${WARMUP_MS} ms warm-up, ${ROUNDS} rounds interleaving the paths and the systems (the other system idle meanwhile); medians over
the rounds. "2 ÷ 1": the two-replica system's throughput over the one-replica system's, same path, same run.

| Path | 1 replica: requests/s | p50 ms | p99 ms | 2 replicas: requests/s | p50 ms | p99 ms | 2 ÷ 1 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

On ${cores} cores shared by every process of both systems, PostgreSQL, NATS and the load generator, a second replica
cannot add CPU: the ratio shows what replicas cost or gain when the machine is the limit (more processes, more
connections and queue-group hops), not how the system scales out across machines, where each replica brings its own
cores.${
  Math.max(load[0], loadAfter[0]) > cores
    ? ` The machine was busy with other work during this run (load average above its ${cores} cores): every figure is low and
noisy. Run the command again on a quiet machine, and with the replicas on machines of their own to see scale-out.`
    : ''
}
`;
}

// ── main ────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const startedAt = new Date();
  logDir = mkdtempSync(join(os.tmpdir(), 'gateway-bench-'));
  let ok = false;
  let database: TestDatabase | undefined;
  let nc: NatsConnection | undefined;
  let embeddedData: string | undefined;
  let secondDatabase: TestDatabase | undefined;
  let adminSession: string | undefined;
  try {
    database = await createTestDatabase();
    process.stdout.write(`starting the system (logs in ${logDir})…\n`);
    const system = await startSystem(database);
    const client = new LoadClient(system.port, 1);
    process.stdout.write('seeding the account…\n');
    const account = await seed(client, system);

    if (SECTIONS.includes('gateway')) {
      const echo = `${system.prefix}-baseline.echo`;
      const responder = startProcess('baseline-responder', [join(__dirname, 'baseline.mjs'), 'responder'], { NATS_URL: TEST_NATS_URL, SUBJECT: echo });
      await waitForLine(responder, /^ready$/);
      const baselines = { plain: await startBaseline('plain', echo), nats: await startBaseline('nats', echo) };
      const list = paths(system, account, baselines).filter((p) => !ONLY || ONLY.includes(p.key));
      if (list.length === 0) fail(`BENCH_ONLY names no path (paths: A, B, health, getUser, getUserRoot, restUser, listUsers)`);

      process.stdout.write('checking every path…\n');
      for (const path of list) {
        const checker = new LoadClient(path.port, 1);
        const call = await path.call();
        for (let i = 0; i < 2; i++) {
          const reply = await checker.once(call);
          const problem = path.check(reply.status, reply.text);
          if (problem) fail(`${path.label}: ${problem}`);
        }
        checker.close();
      }
      await checkRefusals(client, system, account);
      nc = await connect({ servers: TEST_NATS_URL, name: 'gateway-bench-observer' });
      const hops = await countHops(nc, system.prefix, client, list);
      await nc.drain();
      nc = undefined;

      process.stdout.write('measuring…\n');
      const meter = new CpuMeter(() => new Map(processes.flatMap((p) => (p.child.pid === undefined ? [] : [[p.name, p.child.pid] as const]))), database.name);
      const results = await measure(list, meter);
      for (const p of processes) if (p.child.exitCode !== null) fail(`${p.name} exited during the run:\n${tail(p)}`);
      const text = section(list, results, hops, startedAt, meter.available);
      if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
      else writeSection(text);
      process.stdout.write(`\n${text}`);
    }

    if (SECTIONS.includes('modes')) {
      process.stdout.write('starting the embedded default…\n');
      const session = await seedAdmin(client, system);
      adminSession = session;
      const started = await startEmbedded(system.root);
      embeddedData = started.dataDir;
      const embedded: System = { port: started.port, prefix: '', root: system.root };
      const embeddedClient = new LoadClient(embedded.port, 1);
      const embeddedAccount = await seed(embeddedClient, embedded);
      const embeddedSession = await seedAdmin(embeddedClient, embedded);
      for (const [port, reader] of [[system.port, account.reader], [embedded.port, embeddedAccount.reader]] as const) {
        const checker = new LoadClient(port, 1);
        const reply = await checker.once(await query(port, reader, { Action: 'GetUser', UserName: TARGET_USER }));
        checker.close();
        if (reply.status !== 200 || !reply.text.includes(`<UserName>${TARGET_USER}</UserName>`)) fail(`GetUser on port ${port}: ${reply.status} ${reply.text.slice(0, 300)}`);
      }
      embeddedClient.close();
      const at = new Date();
      const load = os.loadavg();
      const results = await measureModes([
        { mode: 'distributed', system, account, session },
        { mode: 'embedded', system: embedded, account: embeddedAccount, session: embeddedSession },
      ]);
      for (const p of processes) if (p.child.exitCode !== null) fail(`${p.name} exited during the run:\n${tail(p)}`);
      const text = modesSection(results, at, load);
      if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
      else writeSection(text, 'Embedded default beside the distributed mode');
      process.stdout.write(`\n${text}`);
    }
    if (SECTIONS.includes('replicas')) {
      process.stdout.write('replicas: starting a system with two replicas of each service…\n');
      secondDatabase = await createTestDatabase();
      const doubled = await startSystem(secondDatabase, 2);
      const doubledClient = new LoadClient(doubled.port, 1);
      const doubledAccount = await seed(doubledClient, doubled);
      const doubledSession = await seedAdmin(doubledClient, doubled);
      doubledClient.close();
      // The one-replica system's administrator: made here unless the modes section made it.
      const session = adminSession ?? (await seedAdmin(client, system));
      const at = new Date();
      const load = os.loadavg();
      const results = await measureReplicas([
        { replicas: 1, system, account, session },
        { replicas: 2, system: doubled, account: doubledAccount, session: doubledSession },
      ]);
      for (const p of processes) if (p.child.exitCode !== null) fail(`${p.name} exited during the run:\n${tail(p)}`);
      const text = replicasSection(results, at, load, os.loadavg());
      if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
      else writeSection(text, 'One and two replicas of each service');
      process.stdout.write(`\n${text}`);
    }
    client.close();
    ok = true;
  } finally {
    await nc?.close();
    await stopAll();
    await database?.drop();
    await secondDatabase?.drop();
    if (embeddedData) rmSync(embeddedData, { recursive: true, force: true });
    if (ok) rmSync(logDir, { recursive: true, force: true });
    else process.stderr.write(`the processes' logs are kept in ${logDir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
