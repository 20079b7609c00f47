/**
 * HTTP gateway benchmark: `nx bench gateway-http` (builds the four apps first).
 *
 * Needs the PostgreSQL and NATS of the integration specs. Starts the real system as the
 * distributed deployment runs it: identity, directory, authorization and the gateway, each its
 * own process from `dist/apps/<app>/main.js`, on a fresh database and a NATS subject prefix of
 * their own, with their default settings (database pool of 10 per service, `LOG_LEVEL=info`,
 * the logs going to files; the gateway's data plane on). For the gateway section, two more
 * gateways on the same services: a second with the data plane (every narrowing change waits for
 * both) and one with `IAM_GATEWAY_CACHE=off`. Seeds an account through the gateway (root creates
 * a group with a managed policy allowing `iam:GetUser`, `iam:ListUsers` and
 * `iam:SimulatePrincipalPolicy` on users, a user in it with an access key and a password, and
 * 100 more users; users in 10 groups × 10 managed policies, the principals of `/v1/authorize`;
 * users the narrowing writes move; an administrator), checks every path's answers (status and
 * body, and that authentication and authorization really refuse, on each gateway), counts the
 * bus requests each path makes by listening on the prefix (and who sends them, from their reply
 * inboxes), then measures with one client (node:http, keep-alive):
 *
 *   A  a bare node:http server answering a small JSON body (its own process);
 *   B  the same server making one NATS request/reply per request to a trivial responder (its
 *      own process): the cost of one bus hop;
 *   and through the gateway with the data plane and through the one without: `GET /health`;
 *   `GetUser` (Query API, SigV4) as an IAM user (also over both gateways with the data plane)
 *   and as root; `GET /v1/users/{name}` with a bearer session as the IAM user; `ListUsers` with
 *   `MaxItems=100` as the IAM user; `POST /v1/authorize` on a user in 10 groups × 10 managed
 *   policies (the IAM user's session); `SimulatePrincipalPolicy` (SigV4), the IAM user on itself.
 *
 * Each path runs at 1 and at `BENCH_IN_FLIGHT` (50) requests in flight, for `BENCH_ROUND_MS`
 * (2000) after a short warm-up, in `BENCH_ROUNDS` (5) rounds that interleave the paths; the
 * figures are medians over the rounds, with the CPU time of every process (`/proc`) and the
 * data plane's cache lookups (the gateway's `/metrics`) over the counted runs. Signed requests
 * are signed at the start of each round and sent as they are for its duration (the gateway
 * verifies each one in full, as it must any request; AWS, too, accepts a signed request again
 * within its clock skew), so the client's signing does not count. Then the narrowing writes at
 * 1 in flight (`RemoveUserFromGroup`, the user's request right after it, `AddUserToGroup`, the
 * first request after that and the next), with the data plane (writes through one gateway,
 * reads through the other) and without, rounds interleaved; and the data plane's targets, met or
 * not. `BENCH_PROFILE=<dir>` starts the gateways with `--cpu-prof` into <dir>. `BENCH_ONLY=<keys>`
 * measures those paths alone (`writes`: the narrowing writes) and leaves docs/benchmarks.md as it is.
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
 * Then the write path beside raw PostgreSQL inserts: `BENCH_WRITES_IN_FLIGHT` (12) callers making
 * write pairs (`CreateUser`, then `AddUserToGroup` of the new user) as an IAM administrator over
 * the Query API (SigV4), and as many callers inserting one row per call into a scratch table with
 * `pg`, rounds interleaved; the bus requests of each write; CPU time per write; then every
 * acknowledged write is looked for through the API.
 *
 * `BENCH_SECTIONS=gateway`, `=modes`, `=replicas` or `=writes` measures one of them. Any failed check
 * ends the run with an error and writes nothing. The figures go into the `## Gateway`, `## Embedded
 * default beside the distributed mode`, `## One and two replicas of each service` and `## Write path`
 * sections of docs/benchmarks.md (those sections only) and are printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { Pool } from 'pg';
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
/** Which sections to measure: `gateway` (the paths and baselines), `modes` (embedded beside distributed), `replicas` (one and two replicas of each service), `writes` (the write path beside raw inserts). */
const SECTIONS = (process.env['BENCH_SECTIONS'] ?? 'gateway,modes,replicas,writes').split(',').map((s) => s.trim());
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

/** Processes the bench stopped itself (not a failure). */
const stopped = new Set<Process>();

/** Fails when a process the bench did not stop has exited. */
function checkAlive(): void {
  for (const p of processes) if (!stopped.has(p) && (p.child.exitCode !== null || p.child.signalCode !== null)) fail(`${p.name} exited during the run:\n${tail(p)}`);
}

async function stop(p: Process): Promise<void> {
  stopped.add(p);
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
}

async function stopAll(): Promise<void> {
  await Promise.all(processes.map(stop));
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
  /** The environment of its processes, for more gateways of the same system. */
  env: Record<string, string>;
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
  // Replicas of a service share its queue group on the same prefix and database.
  const services = ['identity', 'directory', 'authorization'].flatMap((app) =>
    Array.from({ length: replicas }, (_, n) => startProcess(replicas === 1 ? app : `${app}-${n + 1}of${replicas}`, [...PROFILE, join(ROOT, 'dist', 'apps', app, 'main.js')], env)),
  );
  await Promise.all(services.map((p) => waitForLine(p, /is listening on the bus/)));
  const system: System = { port: 0, prefix, root, env };
  system.port = await startGateway(system, replicas === 1 ? 'gateway' : `gateway-for-${replicas}`);
  return system;
}

const PROFILE = PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${resolve(PROFILE_DIR)}`] : [];

/**
 * Starts a gateway of `system` on a port of its own: the data plane on (the default, said
 * explicitly so that the bench's own environment cannot change it) unless `extra` says otherwise.
 */
async function startGateway(system: System, name: string, extra: Record<string, string> = {}): Promise<number> {
  const port = await freePort();
  const gateway = startProcess(name, [...PROFILE, join(ROOT, 'dist', 'apps', 'gateway', 'main.js')], { ...system.env, IAM_GATEWAY_CACHE: 'on', ...extra, PORT: String(port), HOST: '127.0.0.1' });
  await waitForLine(gateway, /gateway is listening/);
  return port;
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
  return { method, path, headers: out, port, ...(body ? { body: Buffer.from(body.text) } : {}) };
}

function query(port: number, credentials: Credentials, params: Record<string, string>): Promise<Call> {
  const text = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  return signed(port, credentials, 'POST', '/', { type: 'application/x-www-form-urlencoded; charset=utf-8', text });
}

function plain(port: number, path: string, headers: Record<string, string> = {}): Call {
  return { method: 'GET', path, headers: { host: `127.0.0.1:${port}`, ...headers }, port };
}

/** A REST call with a bearer session (the client signs nothing). */
function bearer(port: number, session: string, method: Call['method'], path: string, body?: object): Call {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return {
    method,
    path,
    port,
    headers: {
      host: `127.0.0.1:${port}`,
      authorization: `Bearer ${session}`,
      ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
    },
    ...(text === undefined ? {} : { body: Buffer.from(text) }),
  };
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
  /** The managed policy of the readers' group (`iam:GetUser`, `iam:ListUsers`, `iam:SimulatePrincipalPolicy` on users). */
  readPolicyArn: string;
}

async function seed(client: LoadClient, system: System): Promise<Account> {
  const { port, root } = system;
  const asRoot = (method: 'GET' | 'POST' | 'PUT', path: string, body?: object) => rest(client, port, root, method, path, body);
  const policy = await asRoot('POST', '/v1/policies', {
    PolicyName: 'bench-read-users',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadUsers', Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' },
        { Sid: 'SimulateUsers', Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/*` },
      ],
    },
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
  return {
    reader: { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey },
    session: JSON.parse(signIn.text).SessionToken,
    readPolicyArn: policy.Policy.Arn,
  };
}

/** What the data-plane paths use besides the account: the principals of `/v1/authorize` and the users the narrowing writes move. */
interface DataPlaneAccount {
  /** Users in 10 groups × 10 managed policies each: one for the paths with the cache on, one for those with it off. */
  wide: { on: string; off: string };
  /** Users in `MOVES` (which has the readers' policy), with an access key each: the narrowing writes take them out and put them back. */
  movers: { on: Credentials; off: Credentials };
}

const WIDE = { on: 'bench-wide', off: 'bench-wide-off' } as const;
const MOVER = { on: 'bench-mover', off: 'bench-mover-off' } as const;
const MOVES = 'bench-moves';
const TEAMS = 10;
const POLICIES_PER_TEAM = 10;
/** The group a narrowing write takes a wide user out of: the one whose last policy allows `iam:GetUser`. */
const LAST_TEAM = `bench-team-${TEAMS - 1}`;

/**
 * The wide users: in 10 groups with 10 managed policies each (300 statements, as in the
 * authorization service's bench; the last policy of the last group also allows `iam:GetUser` on
 * users, so a decision on it reads the whole set); and the movers.
 */
async function seedDataPlane(client: LoadClient, system: System, account: Account): Promise<DataPlaneAccount> {
  const asRoot = (method: 'GET' | 'POST' | 'PUT', path: string, body?: object) => rest(client, system.port, system.root, method, path, body);
  for (let g = 0; g < TEAMS; g++) await asRoot('POST', '/v1/groups', { GroupName: `bench-team-${g}` });
  const policies = Array.from({ length: TEAMS * POLICIES_PER_TEAM }, (_, n) => ({ g: Math.floor(n / POLICIES_PER_TEAM), p: n % POLICIES_PER_TEAM }));
  for (let i = 0; i < policies.length; i += 10) {
    await Promise.all(
      policies.slice(i, i + 10).map(async ({ g, p }) => {
        const statements: object[] = [
          { Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: [`arn:aws:s3:::team-${g}-${p}`, `arn:aws:s3:::team-${g}-${p}/*`] },
          { Sid: 'Own', Effect: 'Allow', Action: [`dynamodb:${p % 2 ? 'Get' : 'Put'}Item`, 'dynamodb:Query'], Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t${g}-\${aws:username}` },
          { Sid: 'Guard', Effect: 'Deny', Action: 's3:Delete*', Resource: `arn:aws:s3:::team-${g}-${p}/*`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ];
        if (g === TEAMS - 1 && p === POLICIES_PER_TEAM - 1) statements.push({ Sid: 'ReadUsers', Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/*` });
        const policy = await asRoot('POST', '/v1/policies', { PolicyName: `bench-g${g}-p${p}`, PolicyDocument: { Version: '2012-10-17', Statement: statements } });
        await asRoot('POST', `/v1/groups/bench-team-${g}/attached-policies`, { PolicyArn: policy.Policy.Arn });
      }),
    );
  }
  for (const name of Object.values(WIDE)) {
    await asRoot('POST', '/v1/users', { UserName: name });
    for (let g = 0; g < TEAMS; g++) await asRoot('PUT', `/v1/groups/bench-team-${g}/members/${name}`);
  }
  await asRoot('POST', '/v1/groups', { GroupName: MOVES });
  await asRoot('POST', `/v1/groups/${MOVES}/attached-policies`, { PolicyArn: account.readPolicyArn });
  const movers = {} as DataPlaneAccount['movers'];
  for (const cache of ['on', 'off'] as const) {
    await asRoot('POST', '/v1/users', { UserName: MOVER[cache] });
    await asRoot('PUT', `/v1/groups/${MOVES}/members/${MOVER[cache]}`);
    const key = await asRoot('POST', `/v1/users/${MOVER[cache]}/access-keys`);
    movers[cache] = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  }
  return { wide: { ...WIDE }, movers };
}

// ── the paths ───────────────────────────────────────────────────────────────

/** Which gateway a path goes through: the data plane on (the default), off, or on and two gateways sharing the callers. */
type Cache = 'on' | 'off' | 'two';

interface Path {
  readonly key: string;
  readonly label: string;
  /** None for the baselines. */
  readonly cache?: Cache;
  readonly port: number;
  /** The request, made (signed) afresh for each round; several: the same request to each gateway, the callers split between them. */
  readonly call: () => Promise<Call | Call[]> | Call | Call[];
  readonly expected: Expected;
  /** Sends its bus requests all at once (`/health`). */
  readonly parallel?: boolean;
  /** The processes whose CPU time the path uses (besides the client's). */
  readonly components: readonly Component[];
  /** Checks one reply in full (status and body) before anything is measured. */
  readonly check: (status: number, text: string) => string | undefined;
  /** Measured at the higher concurrency only (callers split between two gateways). */
  readonly manyOnly?: boolean;
  /** Its bus requests are another path's (the same request, to more gateways). */
  readonly hopsOf?: string;
}

const marker = (text: string) => Buffer.from(text);
const count = (text: string, piece: string) => text.split(piece).length - 1;
const SERVICES: readonly Component[] = ['identity', 'directory', 'authorization', 'postgres', 'nats'];

/** The gateways of the measured system: `on` and `second` with the data plane, `off` with IAM_GATEWAY_CACHE=off. */
interface Gateways {
  on: number;
  second: number;
  off: number;
}

function paths(running: System, gateways: Gateways, account: Account, plane: DataPlaneAccount, baselines: { plain: number; nats: number }): Path[] {
  const { root } = running;
  const okJson = (status: number, text: string) => (status === 200 && JSON.parse(text).ok === true ? undefined : `${status} ${text}`);
  const on = { cache: 'on' as const, port: gateways.on, components: ['gateway', ...SERVICES] };
  const off = { cache: 'off' as const, port: gateways.off, components: ['gateway-off', ...SERVICES] };
  const getUserXml = (status: number, text: string) =>
    status === 200 && text.includes('<GetUserResponse') && text.includes(`<UserName>${TARGET_USER}</UserName>`) && text.includes('<Path>/bench/</Path>')
      ? undefined
      : `${status} ${text.slice(0, 400)}`;
  const readerArn = `arn:aws:iam::${ACCOUNT}:user/${READER}`;
  /** The same path through the gateway with the data plane and through the one without. */
  const both = (key: string, label: string, make: (port: number, cache: 'on' | 'off') => Omit<Path, 'key' | 'label' | 'cache' | 'port' | 'components'>): Path[] => [
    { key, label, ...on, ...make(gateways.on, 'on') },
    { key: `${key}Off`, label, ...off, ...make(gateways.off, 'off') },
  ];
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
      ...on,
      parallel: true,
      call: () => plain(gateways.on, '/health'),
      expected: { status: 200, marker: marker('"status":"ok"') },
      check: (status, text) => {
        const body = status === 200 ? JSON.parse(text) : undefined;
        return body?.status === 'ok' && ['gateway', 'identity', 'directory', 'authorization'].every((s) => body.details?.[s]?.status === 'up') ? undefined : `${status} ${text}`;
      },
    },
    ...both('getUser', '`GetUser` (Query API, SigV4) as the IAM user', (port) => ({
      call: () => query(port, account.reader, { Action: 'GetUser', UserName: TARGET_USER }),
      expected: { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) },
      check: getUserXml,
    })),
    {
      key: 'getUserTwo',
      label: '`GetUser` (Query API, SigV4) as the IAM user',
      cache: 'two',
      port: gateways.on,
      components: ['gateway', 'gateway-2', ...SERVICES],
      manyOnly: true,
      hopsOf: 'getUser',
      call: async () => [
        await query(gateways.on, account.reader, { Action: 'GetUser', UserName: TARGET_USER }),
        await query(gateways.second, account.reader, { Action: 'GetUser', UserName: TARGET_USER }),
      ],
      expected: { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) },
      check: getUserXml,
    },
    ...both('getUserRoot', '`GetUser` (Query API, SigV4) as root', (port) => ({
      call: () => query(port, root, { Action: 'GetUser', UserName: TARGET_USER }),
      expected: { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) },
      check: getUserXml,
    })),
    ...both('restUser', '`GET /v1/users/{name}` (REST, bearer session) as the IAM user', (port) => ({
      call: () => plain(port, `/v1/users/${TARGET_USER}`, { authorization: `Bearer ${account.session}` }),
      expected: { status: 200, marker: marker(`"UserName":"${TARGET_USER}"`) },
      check: (status, text) => {
        const user = status === 200 ? JSON.parse(text).User : undefined;
        return user?.UserName === TARGET_USER && user.Path === '/bench/' && user.Arn === `arn:aws:iam::${ACCOUNT}:user/bench/${TARGET_USER}` ? undefined : `${status} ${text}`;
      },
    })),
    ...both('listUsers', '`ListUsers` `MaxItems=100` (Query API, SigV4) as the IAM user', (port) => ({
      call: () => query(port, account.reader, { Action: 'ListUsers', MaxItems: '100' }),
      expected: { status: 200, marker: marker('<IsTruncated>true</IsTruncated>') },
      check: (status, text) =>
        status === 200 && count(text, '<member>') === 100 && text.includes('<UserName>bench-reader</UserName>') && text.includes('<IsTruncated>true</IsTruncated>')
          ? undefined
          : `${status} ${count(text, '<member>')} members: ${text.slice(0, 400)}`,
    })),
    ...both('authorize', '`POST /v1/authorize` (bearer session) on a user in 10 groups × 10 managed policies', (port, cache) => ({
      call: () => authorizeCall(port, account.session, plane.wide[cache]),
      expected: { status: 200, marker: marker('"Decision":"allowed"') },
      check: (status, text) => checkDecision(status, text, plane.wide[cache], 'allowed'),
    })),
    ...both('simulate', '`SimulatePrincipalPolicy` (Query API, SigV4): the IAM user on itself, one action', (port) => ({
      call: () => query(port, account.reader, { Action: 'SimulatePrincipalPolicy', PolicySourceArn: readerArn, 'ActionNames.member.1': 'iam:GetUser' }),
      expected: { status: 200, marker: marker('<EvalDecision>allowed</EvalDecision>') },
      check: (status, text) =>
        status === 200 &&
        text.includes('<SimulatePrincipalPolicyResponse') &&
        count(text, '<EvalDecision>') === 1 &&
        text.includes('<EvalActionName>iam:GetUser</EvalActionName>') &&
        text.includes('<EvalDecision>allowed</EvalDecision>')
          ? undefined
          : `${status} ${text.slice(0, 400)}`,
    })),
  ];
}

/** `POST /v1/authorize`: may user `principal` do `iam:GetUser` on a user? Asked with the reader's bearer session. */
function authorizeCall(port: number, session: string, principal: string): Call {
  return bearer(port, session, 'POST', '/v1/authorize', { Principal: principal, Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/x` });
}

/** An `Authorize` reply in full: the principal, the decision and, when allowed, the statement of the last group's last policy that allows it. */
function checkDecision(status: number, text: string, principal: string, decision: 'allowed' | 'implicitDeny'): string | undefined {
  const body = status === 200 ? JSON.parse(text) : undefined;
  const statements: Array<{ PolicyName?: string; Sid?: string }> = body?.MatchedStatements ?? [];
  const matched = decision === 'allowed' ? statements.some((s) => s.PolicyName === `bench-g${TEAMS - 1}-p${POLICIES_PER_TEAM - 1}` && s.Sid === 'ReadUsers') : statements.length === 0;
  return body?.Decision === decision && body.Principal === `arn:aws:iam::${ACCOUNT}:user/${principal}` && matched ? undefined : `expected ${decision}: ${status} ${text.slice(0, 400)}`;
}

/** Requests that must be refused, on the gateway at `port`: proof that the measured paths authenticate and authorize. */
async function checkRefusals(port: number, account: Account): Promise<void> {
  const client = new LoadClient(port, 1);
  const expectError = async (what: string, call: Call, status: number, code: string) => {
    const reply = await client.once(call);
    if (reply.status !== status || !reply.text.includes(code)) fail(`${what} (port ${port}): expected ${status} ${code}, got ${reply.status}: ${reply.text.slice(0, 300)}`);
  };
  try {
    await expectError('the IAM user listing groups (not allowed)', await query(port, account.reader, { Action: 'ListGroups' }), 403, 'AccessDenied');
    await expectError(
      'a wrong secret',
      await query(port, { ...account.reader, secretAccessKey: `${account.reader.secretAccessKey.slice(0, -1)}x` }, { Action: 'GetUser', UserName: TARGET_USER }),
      403,
      'SignatureDoesNotMatch',
    );
    await expectError('an unknown session token', plain(port, `/v1/users/${TARGET_USER}`, { authorization: `Bearer ${randomBytes(32).toString('hex')}` }), 403, 'InvalidToken');
    await expectError('no credentials', plain(port, `/v1/users/${TARGET_USER}`), 403, 'MissingAuthenticationToken');
  } finally {
    client.close();
  }
}

/**
 * Messages on the bus that belong to no one call: the data plane's lease beats (every replica,
 * all the time) and its report of the access keys it verified (once a second, for all of them).
 */
const BACKGROUND = new Set(['gateway.cache.lease', 'identity.signature.record-use']);

/** A message seen on the bus: its subject (prefix aside) and, for a request, the app that sent it (from its reply inbox). */
interface Seen {
  readonly subject: string;
  readonly request: boolean;
  readonly sender?: string;
}

/** Watches the system's subject prefix: the requests (and events) seen, in order, background aside. */
class BusObserver {
  private readonly seen: Seen[] = [];

  private constructor(private readonly nc: NatsConnection) {}

  static async start(nc: NatsConnection, prefix: string): Promise<BusObserver> {
    const observer = new BusObserver(nc);
    // Each app's replies come to an inbox of its own: `_INBOX.<prefix>.<app>.…`.
    const inboxes = `_INBOX.${prefix}.`;
    nc.subscribe(`${prefix}.>`, {
      callback: (_error, message) => {
        const subject = message.subject.slice(prefix.length + 1);
        if (BACKGROUND.has(subject)) return;
        const reply = message.reply;
        const sender = reply?.startsWith(inboxes) ? reply.slice(inboxes.length).split('.')[0] : reply ? 'another client' : undefined;
        observer.seen.push({ subject, request: Boolean(reply), ...(sender ? { sender } : {}) });
      },
    });
    await nc.flush();
    return observer;
  }

  /** What was seen while `action` ran (and for a moment after, for the last messages to arrive). */
  async during(action: () => Promise<void>): Promise<Seen[]> {
    await this.nc.flush();
    this.seen.length = 0;
    await action();
    await new Promise((r) => setTimeout(r, 200));
    await this.nc.flush();
    return this.seen.splice(0);
  }
}

const tally = (subjects: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const s of subjects) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
};

/**
 * The bus requests (and events) one request of each path causes, in the order of one call, checked
 * against ten more (the same subjects, as many times each). With the data plane these are the
 * steady state, its caches filled by a first request: calls that did not all cause the same (an
 * entry that expired meanwhile) are made again.
 */
async function countHops(observer: BusObserver, list: Path[]): Promise<Map<string, Hops>> {
  const hops = new Map<string, Hops>();
  const N = 10;
  for (const path of list) {
    if (path.cache === undefined || path.hopsOf) continue;
    const client = new LoadClient(path.port, 1);
    const call = [await path.call()].flat()[0];
    const send = async () => {
      const reply = await client.once(call);
      const problem = path.check(reply.status, reply.text);
      if (problem) fail(`${path.label}: ${problem}`);
    };
    await send();
    for (let attempt = 1; ; attempt++) {
      const single = await observer.during(send);
      const many = await observer.during(async () => {
        for (let i = 0; i < N; i++) await send();
      });
      const same = (request: boolean) => {
        const one = tally(single.filter((s) => s.request === request).map((s) => s.subject));
        const all = tally(many.filter((s) => s.request === request).map((s) => s.subject));
        return all.size === one.size && [...all].every(([subject, n]) => n === N * (one.get(subject) ?? 0));
      };
      if (same(true) && same(false)) {
        hops.set(path.key, { requests: single.filter((s) => s.request), events: single.filter((s) => !s.request).map((s) => s.subject) });
        break;
      }
      if (attempt === 5) fail(`${path.label}: ${N} calls did not each cause what one did, ${attempt} times: ${single.map((s) => s.subject).join(', ')}; then ${many.map((s) => s.subject).join(', ')}`);
    }
    client.close();
  }
  for (const path of list) if (path.hopsOf && hops.has(path.hopsOf)) hops.set(path.key, hops.get(path.hopsOf) as Hops);
  return hops;
}

// ── measuring ───────────────────────────────────────────────────────────────

interface Result {
  /** None for a path measured at the higher concurrency only. */
  one?: Figures;
  many: Figures;
  /** CPU milliseconds per request of each component, at the higher concurrency (all rounds together). */
  cpu: Map<Component, number>;
  /** The data plane's cache lookups during the counted runs at the higher concurrency (paths through a gateway with it). */
  cache?: Lookups;
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

interface Lookups {
  hits: number;
  misses: number;
  requests: number;
}

/** The data plane's cache lookups (every cache of it) a gateway has counted since it started, from its `/metrics`. */
async function lookupsOf(port: number): Promise<Lookups> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();
  if (response.status !== 200) fail(`GET /metrics on port ${port} answered ${response.status}: ${text.slice(0, 300)}`);
  const out = { hits: 0, misses: 0, requests: 0 };
  for (const line of text.split('\n')) {
    if (!line.startsWith('iam_cache_lookups_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!labels['cache']?.startsWith('gateway_')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (labels['result'] === 'hit') out.hits += value;
    else if (labels['result'] === 'miss') out.misses += value;
  }
  return out;
}

/** Adds up the cache lookups of a path's gateways over its counted runs. */
class CacheTally implements Meter {
  readonly total: Lookups = { hits: 0, misses: 0, requests: 0 };
  private before: Lookups[] = [];

  constructor(private readonly ports: readonly number[]) {}

  async start(): Promise<void> {
    this.before = await Promise.all(this.ports.map(lookupsOf));
  }

  async stop(requests: number): Promise<void> {
    const after = await Promise.all(this.ports.map(lookupsOf));
    after.forEach((a, i) => {
      this.total.hits += a.hits - this.before[i].hits;
      this.total.misses += a.misses - this.before[i].misses;
    });
    this.total.requests += requests;
  }
}

/** Both meters, `inner` closest to the counted part (so that reading `outer` is not counted by `inner`). */
function nested(outer: Meter | undefined, inner: Meter): Meter {
  return {
    start: async () => {
      await outer?.start();
      await inner.start();
    },
    stop: async (requests) => {
      await inner.stop(requests);
      await outer?.stop(requests);
    },
  };
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

async function measure(list: Path[], meter: CpuMeter, gateways: Gateways): Promise<Map<string, Result>> {
  const clients = new Map(list.map((p) => [p.key, { one: p.manyOnly ? undefined : new LoadClient(p.port, 1), many: new LoadClient(p.port, IN_FLIGHT) }]));
  const tallies = new Map(list.map((p) => [p.key, new CpuTally(meter)]));
  const caches = new Map(
    list.flatMap((p) => (p.cache === 'on' ? [[p.key, new CacheTally([gateways.on])] as const] : p.cache === 'two' ? [[p.key, new CacheTally([gateways.on, gateways.second])] as const] : [])),
  );
  const rounds = new Map(list.map((p) => [p.key, { one: [] as Figures[], many: [] as Figures[] }]));
  try {
    process.stdout.write(`warm-up: every path for ${ROUND_MS} ms at ${IN_FLIGHT} in flight\n`);
    for (const path of list) await clients.get(path.key)?.many.run(await path.call(), path.expected, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`round ${round + 1} of ${ROUNDS} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')})\n`);
      // Interleaved, each round starting at another path.
      for (let k = 0; k < list.length; k++) {
        const path = list[(round + k) % list.length];
        const client = clients.get(path.key);
        const kept = rounds.get(path.key);
        if (!client || !kept) continue;
        if (client.one) kept.one.push(await client.one.run(await path.call(), path.expected, WARMUP_MS, ROUND_MS));
        kept.many.push(await client.many.run(await path.call(), path.expected, WARMUP_MS, ROUND_MS, nested(caches.get(path.key), tallies.get(path.key) as CpuTally)));
      }
    }
  } finally {
    for (const { one, many } of clients.values()) {
      one?.close();
      many.close();
    }
  }
  return new Map(
    list.map((p) => {
      const kept = rounds.get(p.key) ?? { one: [], many: [] };
      return [
        p.key,
        {
          ...(kept.one.length ? { one: medianFigures(kept.one) } : {}),
          many: medianFigures(kept.many),
          cpu: tallies.get(p.key)?.perRequest() ?? new Map(),
          ...(caches.has(p.key) ? { cache: caches.get(p.key)?.total } : {}),
        },
      ];
    }),
  );
}

// ── narrowing writes and the first request after a change ──────────────────

/** One request of a scenario: counted under `tag` (`null`: not counted). */
interface Step {
  readonly tag: string | null;
  readonly call: Call;
  readonly expected: Expected;
  /** Checks the reply in full where the marker is not enough. */
  readonly check?: (status: number, text: string) => string | undefined;
}

interface Scenario {
  readonly key: string;
  readonly cache: 'on' | 'off';
  /** The requests of one iteration, made (signed) afresh for each round. */
  readonly steps: () => Promise<Step[]>;
}

const DONE = { status: 204, marker: marker('') };
const DENIED = { status: 403, marker: marker('AccessDenied') };

/**
 * The narrowing writes, each followed by the first request of the user it changed, on another
 * gateway than the write's when the data plane is on (a change returns only once every replica
 * dropped what it affects, so that request must already see it):
 *
 *   move: RemoveUserFromGroup (the group that gives a user `iam:GetUser`), then that user's
 *     `GetUser`: denied; AddUserToGroup to restore, then its `GetUser` twice: the first after the
 *     change (the data plane reads the user's signing key and policies again), then the next;
 *   wide: the same with a user in 10 groups × 10 managed policies, out of and back into the group
 *     whose policy allows, and `POST /v1/authorize` on it (the reader's session) after each.
 *
 * With the data plane off, all of it through the gateway without it (the same steps, other users:
 * that gateway's writes invalidate nothing).
 */
function scenarios(gateways: Gateways, admin: string, account: Account, plane: DataPlaneAccount): Scenario[] {
  return (['on', 'off'] as const).flatMap((cache) => {
    const write = cache === 'on' ? gateways.on : gateways.off;
    const read = cache === 'on' ? gateways.second : gateways.off;
    const mover = MOVER[cache];
    const wide = plane.wide[cache];
    const members = (group: string, user: string) => `/v1/groups/${group}/members/${user}`;
    const allowed = { status: 200, marker: marker('"Decision":"allowed"') };
    return [
      {
        key: 'move',
        cache,
        steps: async () => {
          const getUser = await query(read, plane.movers[cache], { Action: 'GetUser', UserName: TARGET_USER });
          const read200 = { status: 200, marker: marker(`<UserName>${TARGET_USER}</UserName>`) };
          return [
            { tag: 'remove', call: bearer(write, admin, 'DELETE', members(MOVES, mover)), expected: DONE },
            { tag: 'denied', call: getUser, expected: DENIED },
            { tag: 'add', call: bearer(write, admin, 'PUT', members(MOVES, mover)), expected: DONE },
            { tag: 'first', call: getUser, expected: read200 },
            { tag: 'next', call: getUser, expected: read200 },
          ];
        },
      },
      {
        key: 'wide',
        cache,
        steps: async () => {
          const decide = authorizeCall(read, account.session, wide);
          return [
            { tag: 'remove', call: bearer(write, admin, 'DELETE', members(LAST_TEAM, wide)), expected: DONE },
            {
              tag: 'denied',
              call: decide,
              expected: { status: 200, marker: marker('"Decision":"implicitDeny"') },
              check: (status, text) => checkDecision(status, text, wide, 'implicitDeny'),
            },
            { tag: 'add', call: bearer(write, admin, 'PUT', members(LAST_TEAM, wide)), expected: DONE },
            { tag: 'first', call: decide, expected: allowed, check: (status, text) => checkDecision(status, text, wide, 'allowed') },
            { tag: 'next', call: decide, expected: allowed, check: (status, text) => checkDecision(status, text, wide, 'allowed') },
          ];
        },
      },
    ];
  });
}

type ScenarioHops = Map<string, Map<string, Seen[]>>;

/**
 * Each step of each scenario once, in full (status and body), watching the bus: the requests
 * each step causes, as seen most often over three iterations (an expiry meanwhile aside).
 */
async function checkScenarios(list: Scenario[], observer: BusObserver): Promise<ScenarioHops> {
  const out: ScenarioHops = new Map();
  const client = new LoadClient(0, 1);
  try {
    for (const scenario of list) {
      const seen = new Map<string, Seen[][]>();
      for (let i = 0; i < 3; i++) {
        for (const step of await scenario.steps()) {
          let problem: string | undefined;
          const messages = await observer.during(async () => {
            const reply = await client.once(step.call);
            if (reply.status !== step.expected.status || !reply.text.includes(step.expected.marker.toString('utf8'))) problem = `${reply.status} ${reply.text.slice(0, 400)}`;
            else problem = step.check?.(reply.status, reply.text);
          });
          if (problem) fail(`${scenario.key} (${scenario.cache}), ${step.tag}: ${problem}`);
          if (step.tag) seen.set(step.tag, [...(seen.get(step.tag) ?? []), messages.filter((m) => m.request)]);
        }
      }
      const mostOften = (lists: Seen[][]) => {
        const counts = new Map<string, { n: number; list: Seen[] }>();
        for (const l of lists) {
          const k = l.map((m) => `${m.sender}>${m.subject}`).join(' ');
          counts.set(k, { n: (counts.get(k)?.n ?? 0) + 1, list: l });
        }
        return [...counts.values()].sort((a, b) => b.n - a.n)[0].list;
      };
      out.set(`${scenario.key}:${scenario.cache}`, new Map([...seen].map(([tag, lists]) => [tag, mostOften(lists)])));
    }
  } finally {
    client.close();
  }
  return out;
}

/** The scenarios at 1 in flight, `ROUNDS` rounds interleaving them; each step's figures, medians over the rounds. */
async function measureScenarios(list: Scenario[]): Promise<Map<string, Map<string, Figures>>> {
  const rounds = new Map(list.map((s) => [`${s.key}:${s.cache}`, new Map<string, Figures[]>()]));
  const clients = new Map(list.map((s) => [`${s.key}:${s.cache}`, new LoadClient(0, 1)]));
  const run = async (scenario: Scenario, warmupMs: number, durationMs: number) => {
    const steps = await scenario.steps();
    const script: Script = async (request) => {
      for (const step of steps) await request(step.call, step.expected, step.tag);
    };
    return (clients.get(`${scenario.key}:${scenario.cache}`) as LoadClient).runTagged(script, warmupMs, durationMs);
  };
  try {
    process.stdout.write(`writes: warm-up, every scenario for ${ROUND_MS} ms at 1 in flight\n`);
    for (const scenario of list) await run(scenario, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`writes: round ${round + 1} of ${ROUNDS}\n`);
      for (let k = 0; k < list.length; k++) {
        const scenario = list[(round + k) % list.length];
        const kept = rounds.get(`${scenario.key}:${scenario.cache}`) as Map<string, Figures[]>;
        for (const [tag, figures] of await run(scenario, WARMUP_MS, ROUND_MS)) kept.set(tag, [...(kept.get(tag) ?? []), figures]);
      }
    }
  } finally {
    for (const client of clients.values()) client.close();
  }
  return new Map([...rounds].map(([key, tags]) => [key, new Map([...tags].map(([tag, kept]) => [tag, medianFigures(kept)]))]));
}

// ── report ──────────────────────────────────────────────────────────────────

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const CORES = os.cpus().length;

interface Hops {
  /** In the order sent, with their senders. */
  requests: Seen[];
  events: string[];
}

const CACHE_CELL: Record<Cache, string> = { on: 'on', off: 'off', two: 'on, 2 gateways' };

function hopText(hops: Hops | undefined, path: Path): string {
  if (path.key === 'A') return '0';
  if (path.key === 'B') return '1';
  if (!hops) return '?';
  const events = hops.events.length ? ` + ${hops.events.length} event${hops.events.length > 1 ? 's' : ''}` : '';
  return `${hops.requests.length}${path.parallel ? ' in parallel' : ''}${events}`;
}

/**
 * Bus requests in the order sent: the gateway's, each with the requests its answering service
 * made while answering it (`(which asks …)`), told apart by the inbox each sender's replies come to.
 */
function sequenceOf(requests: readonly Seen[], parallel = false): string {
  const items: { subject: string; from?: string; asks: string[] }[] = [];
  for (const r of requests) {
    const service = r.sender && r.sender !== 'gateway' ? r.sender : undefined;
    const answering = service ? [...items].reverse().find((item) => item.subject.startsWith(`${service}.`)) : undefined;
    if (answering) answering.asks.push(r.subject);
    else items.push({ subject: r.subject, ...(service ? { from: service } : {}), asks: [] });
  }
  const parts = items.map(
    (item) => `\`${item.subject}\`${item.from ? ` (from ${item.from})` : ''}${item.asks.length ? ` (which asks ${item.asks.map((a) => `\`${a}\``).join(', ')})` : ''}`,
  );
  return parts.length ? parts.join(parallel ? ', ' : ' → ') + (parallel ? ', in parallel' : '') : 'none';
}

function hopSequence(hops: Hops, path: Path): string {
  const events = hops.events.length ? `; events: ${hops.events.map((e) => `\`${e}\``).join(', ')}` : '';
  return `${sequenceOf(hops.requests, path.parallel)}${events}`;
}

const CPU_COLUMNS: { label: string; components: Component[] }[] = [
  { label: 'HTTP server', components: ['gateway', 'gateway-2', 'gateway-off', 'baseline-plain', 'baseline-nats'] },
  { label: 'identity', components: ['identity'] },
  { label: 'directory', components: ['directory'] },
  { label: 'authorization', components: ['authorization'] },
  { label: "B's responder", components: ['baseline-responder'] },
  { label: 'PostgreSQL', components: ['postgres'] },
  { label: 'NATS server', components: ['nats'] },
  { label: 'client', components: ['client'] },
];

const COMPONENT_NAMES: Record<string, string> = {
  gateway: 'the gateway',
  'gateway-2': 'the second gateway',
  'gateway-off': 'the gateway',
  identity: 'identity',
  directory: 'directory',
  authorization: 'authorization',
  postgres: 'PostgreSQL',
  nats: 'the NATS server',
  'baseline-nats': "B's server",
  'baseline-responder': "B's responder",
  'baseline-plain': "A's server",
};

/** CPU figures of one path: per component, the system's processes (the path's, client aside), with the client. */
function cpuOf(path: Path, result: Result) {
  const parts = path.components.map((c) => ({ component: c, ms: result.cpu.get(c) ?? 0 }));
  const system = parts.reduce((sum, p) => sum + p.ms, 0);
  const client = result.cpu.get('client') ?? 0;
  return { parts, system, client, total: system + client, allows: (CORES * 1000) / (system + client) };
}

/** "the gateway 0.210 ms (45%), identity …", largest first; without the shares, and without the gateway, given `others`. */
function breakdown(path: Path, result: Result, others = false): string {
  const { parts, system } = cpuOf(path, result);
  return [...parts]
    .sort((a, b) => b.ms - a.ms)
    .filter((p) => p.ms > 0.0005 && !(others && p.component === 'gateway'))
    .map((p) => `${COMPONENT_NAMES[p.component] ?? p.component} ${fmt(p.ms, 3)} ms${others ? '' : ` (${fmt((p.ms / system) * 100)}%)`}`)
    .join(', ');
}

/** What dominates, from the CPU time per request: computed, so that it holds for the figures above it. */
function timeShares(list: Path[], results: Map<string, Result>, hops: Map<string, Hops>): string {
  const perRequest = (key: string, component: Component) => results.get(key)?.cpu.get(component) ?? 0;
  const health = list.find((p) => p.key === 'health');
  const lines: string[] = [];
  const bound = list.filter((p) => p.cache !== undefined).map((p) => (results.get(p.key)?.many.perSecond ?? 0) / cpuOf(p, results.get(p.key) as Result).allows);
  if (bound.length > 0) {
    const low = Math.min(...bound);
    lines.push(
      `At ${IN_FLIGHT} in flight the paths through a gateway reach ${fmt(low * 100)}–${fmt(Math.max(...bound) * 100)}% of the throughput their CPU time per request (every process, the client included) allows on ${CORES} cores${
        low >= 0.8 ? ': each is bound by CPU, so a path costs the sum of what every process spends on it, and that grows with its bus requests' : ''
      }.`,
    );
  }
  for (const key of ['getUser', 'getUserOff']) {
    const path = list.find((p) => p.key === key);
    const result = results.get(key);
    if (!path || !result) continue;
    const requests = hops.get(key)?.requests ?? [];
    lines.push(
      `For \`GetUser\` as the IAM user with the data plane ${path.cache} (${fmt(cpuOf(path, result).system, 3)} ms of CPU per request in the system's processes, ${requests.length} bus request${requests.length === 1 ? '' : 's'}): ${breakdown(path, result)}; and ${fmt(cpuOf(path, result).client, 3)} ms in the client.`,
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

const STEP_LABELS: Record<string, Record<string, string>> = {
  move: {
    remove: '`RemoveUserFromGroup` (a user out of the group that allows it `GetUser`)',
    denied: "the user's `GetUser` (SigV4) right after: `AccessDenied`",
    add: '`AddUserToGroup` (the user back in)',
    first: "the user's `GetUser` (SigV4), the first after the change",
    next: "the user's `GetUser` (SigV4), the next",
  },
  wide: {
    remove: '`RemoveUserFromGroup` (a user in 10 groups out of the one whose policy allows)',
    denied: '`POST /v1/authorize` on that user right after: `implicitDeny`',
    add: '`AddUserToGroup` (the user back in)',
    first: '`POST /v1/authorize` on that user, the first after the change: `allowed`',
    next: '`POST /v1/authorize` on that user, the next',
  },
};
const STEP_ORDER = ['remove', 'denied', 'add', 'first', 'next'];

interface Target {
  /** Short, for the list of targets not met. */
  name: string;
  path: string;
  target: string;
  measured: string;
  met: boolean;
  /** What stands in the way, when not met. */
  why: string;
}

function targets(list: Path[], results: Map<string, Result>, hops: Map<string, Hops>, writes: Map<string, Map<string, Figures>>, writeHops: ScenarioHops, busy: boolean): Target[] {
  const B = results.get('B') as Result;
  const bPath = list.find((p) => p.key === 'B') as Path;
  if (!B || !bPath) return [];
  const path = (key: string) => list.find((p) => p.key === key) as Path;
  const out: Target[] = [];
  const bCpu = cpuOf(bPath, B);
  /**
   * Two sentences from the CPU table: the path's cost in all against B's (where the CPU is the
   * limit, throughput goes as its inverse), then where the path's cost is: the gateway's own, and
   * what its bus requests cost the other processes.
   */
  const throughputWhy = (key: string, ratio: number) => {
    const p = path(key);
    const r = results.get(key) as Result;
    const cpu = cpuOf(p, r);
    const requests = hops.get(key)?.requests ?? [];
    const gateway = cpu.parts.find((part) => part.component === 'gateway')?.ms ?? 0;
    const others = cpu.system - gateway;
    const first = `It costs ${fmt(cpu.total, 3)} ms of CPU per request in all (the client's ${fmt(cpu.client, 3)} ms included) against B's ${fmt(bCpu.total, 3)} ms, so where the CPU is the limit (as here: the path's processes used ${fmt((r.many.perSecond * cpu.total) / 1000, 2)} of the ${CORES} cores, B's ${fmt((B.many.perSecond * bCpu.total) / 1000, 2)}${busy ? ', the rest going to other work' : ''}) it gets about ${fmt(bCpu.total / cpu.total, 2)}× B's throughput; ${fmt(ratio, 1)}× needs at most ${fmt(bCpu.total / ratio, 3)} ms in all.`;
    const second = `The gateway alone spends ${fmt(gateway, 3)} ms${gateway > bCpu.system ? `, more than B's server, responder and NATS server together (${fmt(bCpu.system, 3)} ms)` : ''}${
      requests.length
        ? `, and the ${requests.length === 1 ? 'bus request' : `${requests.length} bus requests`} it makes (${sequenceOf(requests)}) ${requests.length === 1 ? 'costs' : 'cost'} the other processes ${fmt(others, 2)} ms (${breakdown(p, r, true)}).`
        : '; it makes no bus request.'
    }${gateway > 0 ? ` As one Node.js process, its JavaScript on one thread, the gateway cannot pass about ${fmt(1000 / gateway)} requests/s at that cost, whatever the cores.` : ''}`;
    return `${first} ${second}`;
  };
  const authorize = results.get('authorize');
  if (authorize) {
    const ratio = authorize.many.perSecond / B.many.perSecond;
    const p99 = authorize.many.p99 / B.many.p99;
    const met = ratio >= 1 && p99 <= 2;
    out.push({
      name: '`POST /v1/authorize`',
      path: '`POST /v1/authorize` (bearer session, a user in 10 groups × 10 managed policies), distributed, 50 in flight',
      target: "≥ 1.0× B; p99 ≤ 2× B's p99",
      measured: `${fmt(ratio, 2)}× B (${fmt(authorize.many.perSecond)} against ${fmt(B.many.perSecond)} requests/s); p99 ${fmt(authorize.many.p99, 2)} ms, ${fmt(p99, 2)}× B's ${fmt(B.many.p99, 2)} ms`,
      met,
      why: met
        ? ''
        : `${ratio < 1 ? throughputWhy('authorize', 1) : ''}${
              p99 > 2
                ? `${ratio < 1 ? ' ' : ''}Its p99 is ${fmt(p99, 2)}× B's. ${
                    ratio < 1
                      ? `With ${IN_FLIGHT} requests in flight the mean latency is ${IN_FLIGHT} ÷ the throughput (Little's law: ${fmt((IN_FLIGHT / authorize.many.perSecond) * 1000, 2)} ms here, ${fmt((IN_FLIGHT / B.many.perSecond) * 1000, 2)} ms for B), so the latency follows the throughput's shortfall.`
                      : 'The throughput is there: the excess is in the tail alone.'
                  }`
                : ''
            }`,
    });
  }
  const getUser = results.get('getUser');
  if (getUser) {
    const ratio = getUser.many.perSecond / B.many.perSecond;
    out.push({
      name: '`GetUser` as an IAM user',
      path: '`GetUser` as an IAM user (SigV4), distributed, 50 in flight',
      target: '≥ 0.6× B',
      measured: `${fmt(ratio, 2)}× B (${fmt(getUser.many.perSecond)} against ${fmt(B.many.perSecond)} requests/s)`,
      met: ratio >= 0.6,
      why: ratio >= 0.6 ? '' : throughputWhy('getUser', 0.6),
    });
  }
  const simulate = results.get('simulate');
  if (simulate) {
    const ratio = simulate.many.perSecond / B.many.perSecond;
    const one = simulate.one && B.one ? simulate.one.perSecond / B.one.perSecond : undefined;
    out.push({
      name: '`SimulatePrincipalPolicy`',
      path: 'SigV4 `SimulatePrincipalPolicy` (the caller simulating itself on one action), distributed',
      target: '≥ 0.5× B',
      measured: `${fmt(ratio, 2)}× B at ${IN_FLIGHT} in flight (${fmt(simulate.many.perSecond)} against ${fmt(B.many.perSecond)} requests/s)${one === undefined ? '' : `; ${fmt(one, 2)}× B at 1 in flight`}`,
      met: ratio >= 0.5,
      why: ratio >= 0.5 ? '' : throughputWhy('simulate', 0.5),
    });
  }
  const on = writes.get('move:on')?.get('remove');
  const off = writes.get('move:off')?.get('remove');
  if (on && off) {
    const ratio = on.p50 / off.p50;
    const onHops = writeHops.get('move:on')?.get('remove') ?? [];
    const offHops = writeHops.get('move:off')?.get('remove') ?? [];
    out.push({
      name: 'The narrowing write',
      path: 'A narrowing write (`RemoveUserFromGroup`, measured; `AddUserToGroup` restores), two gateways, data plane on',
      target: 'p50 ≤ 3× the same write with `IAM_GATEWAY_CACHE=off`',
      measured: `p50 ${fmt(on.p50, 2)} ms against ${fmt(off.p50, 2)} ms: ${fmt(ratio, 2)}×`,
      met: ratio <= 3,
      why:
        ratio <= 3
          ? ''
          : `With the data plane the write makes ${sequenceOf(onHops)}; without it, ${sequenceOf(offHops)}. With the data plane it returns only once both gateways with it have acknowledged its invalidation (\`gateway.cache.invalidate\`).`,
    });
  }
  if (getUser) {
    const p = path('getUser');
    const cpu = cpuOf(p, getUser);
    const gateway = cpu.parts.find((part) => part.component === 'gateway')?.ms ?? 0;
    const others = cpu.system - gateway;
    const requests = hops.get('getUser')?.requests ?? [];
    const rest = results.get('restUser');
    const restCpu = rest ? cpuOf(path('restUser'), rest) : undefined;
    out.push({
      name: 'CPU per authorized `GetUser`',
      path: 'CPU per authorized `GetUser`, all processes',
      target: '≤ 0.6 ms',
      measured: `${fmt(cpu.system, 3)} ms in the system's processes (${fmt(cpu.total, 3)} ms with the client's)`,
      met: cpu.system <= 0.6,
      why:
        cpu.system <= 0.6
          ? ''
          : `The gateway spends ${fmt(gateway, 3)} ms, and the ${requests.length === 1 ? 'bus request' : `${requests.length} bus requests`} it still makes (${sequenceOf(requests)}) ${requests.length === 1 ? 'costs' : 'cost'} the other processes ${fmt(others, 2)} ms (${breakdown(p, getUser, true)}; the NATS server's figure is the whole server's)${others >= 0.6 ? ': more than the whole 0.6 ms by itself' : `: ${fmt((others / 0.6) * 100)}% of the 0.6 ms by itself`}.${
              restCpu ? ` The same read over REST with a bearer session costs ${fmt(restCpu.system, 3)} ms (the gateway ${fmt(restCpu.parts.find((part) => part.component === 'gateway')?.ms ?? 0, 3)} ms).` : ''
            }`,
    });
  }
  return out;
}

function section(
  list: Path[],
  results: Map<string, Result>,
  hops: Map<string, Hops>,
  writes: Map<string, Map<string, Figures>>,
  writeHops: ScenarioHops,
  startedAt: Date,
  loadAfter: number[],
  cpuMeasured: boolean,
): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const get = (key: string) => results.get(key) as Result;
  const A = results.get('A');
  const B = results.get('B');
  const cacheCell = (p: Path) => (p.cache ? CACHE_CELL[p.cache] : '');
  const table = (level: 'one' | 'many') => {
    const lookups = level === 'many';
    const head = `| Path | Data plane | Bus requests | Requests/s | p50 ms | p99 ms | Requests/s ÷ B | Requests/s ÷ A |${lookups ? ' Cache lookups per request: hits |' : ''}\n| --- | --- |${' ---: |'.repeat(lookups ? 7 : 6)}`;
    const rows = list.flatMap((p) => {
      const f = get(p.key)[level];
      if (!f) return [];
      const ratio = (base: Result | undefined) => (base?.[level] ? fmt(f.perSecond / (base[level] as Figures).perSecond, 3) : '');
      const cache = get(p.key).cache;
      const all = cache ? cache.hits + cache.misses : 0;
      const lookupCell = !lookups ? '' : cache && all > 0 ? ` ${fmt(all / cache.requests, 1)}: ${fmt((cache.hits / all) * 100, 2)}% |` : ' |';
      return [`| ${p.label} | ${cacheCell(p)} | ${hopText(hops.get(p.key), p)} | ${fmt(f.perSecond)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${ratio(B)} | ${ratio(A)} |${lookupCell}`];
    });
    return [head, ...rows].join('\n');
  };
  const cpuTable = () => {
    const head = `| Path | Data plane | ${CPU_COLUMNS.map((c) => c.label).join(' | ')} | Total | Requests/s the total allows on ${CORES} cores |\n| --- | --- |${' ---: |'.repeat(CPU_COLUMNS.length + 2)}`;
    const rows = list.map((p) => {
      const used = get(p.key).cpu;
      const counted = new Set<Component>([...p.components, 'client']);
      const cells = CPU_COLUMNS.map((c) => {
        const parts = c.components.filter((component) => counted.has(component));
        return parts.length ? parts.reduce((sum, component) => sum + (used.get(component) ?? 0), 0) : undefined;
      });
      const total = cells.reduce<number>((a, b) => a + (b ?? 0), 0);
      return `| ${p.label} | ${cacheCell(p)} | ${cells.map((ms) => (ms === undefined ? '' : fmt(ms, 3))).join(' | ')} | ${fmt(total, 3)} | ${fmt((CORES * 1000) / total)} |`;
    });
    return [head, ...rows].join('\n');
  };
  const writeTable = () => {
    const head = '| Scenario step | Data plane | Bus requests | p50 ms | p99 ms |\n| --- | --- | ---: | ---: | ---: |';
    const rows: string[] = [];
    for (const scenario of ['move', 'wide']) {
      for (const tag of STEP_ORDER) {
        for (const cache of ['on', 'off']) {
          const f = writes.get(`${scenario}:${cache}`)?.get(tag);
          if (!f) continue;
          const requests = writeHops.get(`${scenario}:${cache}`)?.get(tag);
          rows.push(`| ${STEP_LABELS[scenario][tag]} | ${cache === 'on' ? 'on (2 gateways)' : 'off'} | ${requests ? requests.length : '?'} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} |`);
        }
      }
    }
    return [head, ...rows].join('\n');
  };
  const busy = Math.max(LOAD_AT_START[0], loadAfter[0]) > CORES;
  const found = targets(list, results, hops, writes, writeHops, busy);
  const targetTable = [
    '| Path | Target | Measured | Met? |',
    '| --- | --- | --- | --- |',
    ...found.map((t) => `| ${t.path} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : 'no'} |`),
  ].join('\n');
  const notMet = found.filter((t) => !t.met).map((t) => `- ${t.name}: ${t.why}`);
  const extras: string[] = [];
  const one = results.get('getUser');
  const two = results.get('getUserTwo');
  if (one && two) {
    extras.push(
      `Two gateways with the data plane, the ${IN_FLIGHT} callers split between them: \`GetUser\` as the IAM user ${fmt(two.many.perSecond)} requests/s against ${fmt(one.many.perSecond)} through one (${fmt(two.many.perSecond / one.many.perSecond, 2)}×), p99 ${fmt(two.many.p99, 2)} ms against ${fmt(one.many.p99, 2)} ms. On ${CORES} cores shared by every process${busy ? ' (and, in this run, by other work)' : ''} a second gateway brings no CPU of its own: the ratio shows what it gives or costs here, not how gateways scale out across machines.`,
    );
  }
  for (const [scenario, what] of [
    ['move', '`GetUser` (SigV4) by a user'],
    ['wide', '`POST /v1/authorize` on a user in 10 groups × 10 managed policies'],
  ] as const) {
    const first = writes.get(`${scenario}:on`)?.get('first');
    const next = writes.get(`${scenario}:on`)?.get('next');
    const off = writes.get(`${scenario}:off`)?.get('first');
    const firstHops = writeHops.get(`${scenario}:on`)?.get('first') ?? [];
    if (!first || !next) continue;
    extras.push(
      `The cold miss, ${what} (1 in flight): the first request after a change to that user takes ${fmt(first.p50, 2)} ms p50 (${fmt(first.p99, 2)} ms p99), the next ${fmt(next.p50, 2)} ms${off ? `; with the data plane off the same request takes ${fmt(off.p50, 2)} ms` : ''}. The first makes ${sequenceOf(firstHops)}.`,
    );
  }
  const steady = list
    .filter((p) => hops.has(p.key) && !p.hopsOf)
    .map((p) => `- ${p.label}, data plane ${p.cache}: ${hopSequence(hops.get(p.key) as Hops, p)}`)
    .join('\n');
  const scenarioSequence = ['move', 'wide']
    .flatMap((scenario) =>
      ['on', 'off'].flatMap((cache) =>
        STEP_ORDER.map((tag) => {
          const requests = writeHops.get(`${scenario}:${cache}`)?.get(tag);
          return requests ? `- ${STEP_LABELS[scenario][tag]}, data plane ${cache}: ${sequenceOf(requests)}` : '';
        }).filter(Boolean),
      ),
    )
    .join('\n');
  const whereTimeGoes = cpuMeasured ? timeShares(list, results, hops) : '';
  return `## Gateway

Measured ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`libs/gateway-http/bench/bench.ts\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${CORES} cores (load average ${LOAD_AT_START.map((l) => l.toFixed(2)).join(', ')}
when the run began, ${loadAfter.map((l) => l.toFixed(2)).join(', ')} when this section ended). Everything on this one machine: PostgreSQL, NATS, the load
generator and the processes measured.${
    busy
      ? `\n\n**The machine was busy with other work during this run** (load average above its ${CORES} cores): the processes measured
competed with it for the CPU, so every figure is lower and noisier than on a quiet machine, and the CPU times per request
include the cost of being preempted. Run the command again on a quiet machine.`
      : ''
  }

The system runs as the distributed deployment does: identity, directory and authorization each its own process from
\`dist/apps/*/main.js\` (built by the bench target), over NATS with a subject prefix of their own and a fresh PostgreSQL
database, default settings (database pool of 10 per service, \`LOG_LEVEL=info\`: one log line per request from the
gateway, to a file), and three gateways on them, each its own process: two with the **data plane** (\`IAM_GATEWAY_CACHE=on\`,
the default: authentication and decisions in process from coherent caches; lease of 3000 ms, entries kept 30 s at most, the
defaults), which every change that may narrow access waits for, and one with \`IAM_GATEWAY_CACHE=off\` (it asks identity
and authorization on every request). "Data plane" in the tables: the gateway a path went through, with it **on** (the
first of the two), **off**, or **on, 2 gateways** (the callers split between the two with it).

The account: a group with a managed policy allowing \`iam:GetUser\` and \`iam:ListUsers\` (and \`iam:SimulatePrincipalPolicy\`
on users), the IAM user in that group with an access key and a password (a bearer session from signing in), and ${USERS} more
users under \`/bench/\`; \`GetUser\` reads \`${TARGET_USER}\`. \`POST /v1/authorize\`: the IAM user's bearer session asks
\`{"Principal": "${WIDE.on}", "Action": "iam:GetUser", "Resource": "arn:aws:iam::${ACCOUNT}:user/x"}\` about a user in
${TEAMS} groups with ${POLICIES_PER_TEAM} managed policies each (300 statements, as in the authorization service's bench (a); the last
policy of the last group also allows \`iam:GetUser\` on users, so the decision is \`allowed\` by the last of the 100 policies).
\`SimulatePrincipalPolicy\`: the IAM user on its own ARN, \`ActionNames\` \`iam:GetUser\`. Before measuring, the run checks each
path's reply (status and body: the user, the 100 users of the page, the health of every service, the decision and the
statement that made it, the simulation's one result) and that each gateway refuses a denied action (\`AccessDenied\`), a
wrong secret, an unknown session token and a request without credentials.

Baselines, measured in the same run with the same client: **A**, a bare \`node:http\` server answering a small JSON
body; **B**, the same server making one NATS request/reply (raw \`nats\` client) per request to a trivial responder, each
its own process: B is the cost of one bus hop, the ceiling for anything that crosses the bus.

Client: node:http with keep-alive connections in the bench process (no load generator such as \`wrk\` or
\`autocannon\` is installed); each caller sends its next request when the previous reply has been read in full, and every
reply's status and body are checked. SigV4 requests are signed at the start of each round and resent as they are
(the gateway verifies each in full; the client's signing is not measured). Each path runs for ${ROUND_MS} ms per round after
a ${WARMUP_MS} ms warm-up (and a ${ROUND_MS} ms warm-up of every path before the first round), in ${ROUNDS} rounds interleaving the paths;
each figure is the median over the rounds. Latency: from sending a request to the last byte of its reply.
"Requests/s ÷ B": the path's throughput as a fraction of baseline B's at the same concurrency. With the data plane on,
"Bus requests" are those of the steady state (the caches filled by an earlier request; see *Narrowing writes and the first
request after a change* for a cold miss).

### Data-plane targets

${targetTable}
${notMet.length ? `\nWhat stands in the way of the targets not met (from the CPU time per request below):\n\n${notMet.join('\n')}\n` : ''}
${extras.join('\n\n')}

### 1 request in flight (latency)

${table('one')}

### ${IN_FLIGHT} requests in flight (throughput)

"Cache lookups per request: hits": lookups in the data plane's caches (sessions, signing keys, users, policy sets) per
request during the counted runs, read from the gateway's \`/metrics\` (\`iam_cache_lookups_total\`), and the share of them
answered from the cache.

${table('many')}

### CPU time per request (ms), at ${IN_FLIGHT} in flight

${
  cpuMeasured
    ? `CPU time (user + system, all threads) each process used during the counted ${IN_FLIGHT}-in-flight runs of a path, divided by
their requests: read from \`/proc\` before and after each run. HTTP server: the gateway the path went through (both, for two
gateways). PostgreSQL: the backends serving this run's database; NATS server: the whole server (shared with anything else on
this machine). "Requests/s the total allows": the machine's cores divided by the total, the throughput if the CPU were the
only limit.

${cpuTable()}`
    : 'Not measured: this system has no `/proc`.'
}

${whereTimeGoes}

### Narrowing writes and the first request after a change

Two scenarios, each at 1 request in flight, an administrator (\`AdministratorAccess\` through a group, bearer session) making
the writes. **move**: \`RemoveUserFromGroup\` takes a user (with an access key) out of the group that allows it \`GetUser\`;
its \`GetUser\` must then be refused; \`AddUserToGroup\` puts it back; its \`GetUser\` twice (the first after the change, then
the next). **wide**: the same with a user in ${TEAMS} groups × ${POLICIES_PER_TEAM} managed policies, out of and back into the group whose
policy allows, and \`POST /v1/authorize\` on it (the IAM user's session) after each write. With the data plane on, the writes
go through the first gateway and the reads through the second: a change returns only once every gateway with the data plane
dropped what it affects, so the read right after it must see it (and does: every reply is checked). With it off, everything
goes through the gateway without it (other users, so that its writes, which invalidate nothing, leave nothing stale). Each
scenario runs ${ROUND_MS} ms per round after a ${WARMUP_MS} ms warm-up, ${ROUNDS} rounds interleaving the four; medians over the rounds.

${writeTable()}

### Bus requests per call

Counted in the run by listening on the system's subject prefix: the requests of one call, in the order sent, checked against
10 more calls (each must cause the same). A request that a service makes while answering another is shown inside it ("which
asks"), told apart by the inbox its sender's replies come to. Not counted: the data
plane's lease beats (\`gateway.cache.lease\`, every 500 ms from each gateway with it) and its report of the access keys it
verified (\`identity.signature.record-use\`, once a second for all of them).

${steady}

The scenarios' steps, each seen three times (the most frequent shown):

${scenarioSequence}
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

// ── the write path beside raw PostgreSQL inserts ────────────────────────────

/** Callers of the write path and of the raw inserts. */
const WRITES_IN_FLIGHT = Number(process.env['BENCH_WRITES_IN_FLIGHT'] ?? 12);
const WRITER = 'bench-writer';
const WRITERS = 'bench-writers';
/** The group every written user is added to. */
const WRITES_GROUP = 'bench-writes';
const WRITES_PATH = '/writes/';
const WRITE_OPERATIONS = ['CreateUser', 'AddUserToGroup'] as const;

/** An IAM administrator (`AdministratorAccess` through a group) with an access key, and the group the writes fill. */
async function seedWriter(client: LoadClient, system: System): Promise<Credentials> {
  const asRoot = (method: 'POST' | 'PUT', path: string, body?: object) => rest(client, system.port, system.root, method, path, body);
  await asRoot('POST', '/v1/groups', { GroupName: WRITERS });
  await asRoot('POST', `/v1/groups/${WRITERS}/attached-policies`, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  await asRoot('POST', '/v1/users', { UserName: WRITER });
  await asRoot('PUT', `/v1/groups/${WRITERS}/members/${WRITER}`);
  await asRoot('POST', '/v1/groups', { GroupName: WRITES_GROUP });
  const key = await asRoot('POST', `/v1/users/${WRITER}/access-keys`);
  return { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
}

/** The names whose `CreateUser` and whose `AddUserToGroup` were acknowledged (200 with the expected body). */
interface Acknowledged {
  created: string[];
  added: string[];
}

/**
 * One write pair per iteration, as the administrator over the Query API (SigV4, signed by the
 * official signer just before it is sent; the signing is not in the latency): `CreateUser` of a
 * new user under `/writes/`, then `AddUserToGroup` of it to `bench-writes`. Each reply checked,
 * each acknowledged name kept.
 */
function writePairs(port: number, writer: Credentials, acknowledged: Acknowledged): Script {
  const run = randomBytes(3).toString('hex');
  return async (request, caller, iteration) => {
    const name = `w-${run}-${caller}-${iteration}`;
    await request(await query(port, writer, { Action: 'CreateUser', UserName: name, Path: WRITES_PATH }), { status: 200, marker: marker(`<UserName>${name}</UserName>`) }, 'CreateUser');
    acknowledged.created.push(name);
    await request(await query(port, writer, { Action: 'AddUserToGroup', GroupName: WRITES_GROUP, UserName: name }), { status: 200, marker: marker('<AddUserToGroupResponse') }, 'AddUserToGroup');
    acknowledged.added.push(name);
  };
}

/** The baseline: `pg` (a pool of `WRITES_IN_FLIGHT` connections), one single-row INSERT per call into a scratch table of a database of its own. */
class RawInserts {
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: WRITES_IN_FLIGHT });
  }

  async setUp(): Promise<void> {
    await this.pool.query('CREATE TABLE scratch (id bigserial PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now())');
  }

  /** `WRITES_IN_FLIGHT` callers inserting for `warmupMs` (not counted), then for `durationMs`; `meter` brackets the counted part. */
  async run(warmupMs: number, durationMs: number, meter?: Meter): Promise<Figures> {
    await this.loop(warmupMs, undefined);
    const latencies: number[] = [];
    await meter?.start();
    const started = performance.now();
    await this.loop(durationMs, latencies);
    const elapsed = performance.now() - started;
    await meter?.stop(latencies.length);
    const sorted = Float64Array.from(latencies).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { perSecond: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), requests: latencies.length };
  }

  private async loop(ms: number, latencies: number[] | undefined): Promise<void> {
    const started = performance.now();
    let n = 0;
    await Promise.all(
      Array.from({ length: WRITES_IN_FLIGHT }, async () => {
        while (performance.now() - started < ms) {
          const t0 = performance.now();
          await this.pool.query('INSERT INTO scratch (name) VALUES ($1)', [`row-${n++}`]);
          latencies?.push(performance.now() - t0);
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** What one call of `send` causes on the bus, checked against ten more calls (the same subjects, as many times each). */
async function observeOne(observer: BusObserver, what: string, send: () => Promise<void>): Promise<Hops> {
  for (let attempt = 1; ; attempt++) {
    const one = await observer.during(send);
    const many = await observer.during(async () => {
      for (let i = 0; i < 10; i++) await send();
    });
    const counts = (list: Seen[]) => tally(list.map((s) => `${s.request ? 'request' : 'event'} ${s.subject}`));
    const single = counts(one);
    const all = counts(many);
    if (all.size === single.size && [...all].every(([subject, n]) => n === 10 * (single.get(subject) ?? 0))) {
      return { requests: one.filter((s) => s.request), events: one.filter((s) => !s.request).map((s) => s.subject) };
    }
    if (attempt === 5) fail(`${what}: 10 calls did not each cause what one did, 5 times: ${one.map((s) => s.subject).join(', ')}`);
  }
}

/** The bus requests and events of one `CreateUser` and of one `AddUserToGroup` (users of their own, under `/writes/`, in the group). */
async function countWriteHops(observer: BusObserver, port: number, writer: Credentials): Promise<Map<string, Hops>> {
  const client = new LoadClient(port, 1);
  const run = randomBytes(3).toString('hex');
  let n = 0;
  const send = async (params: Record<string, string>, expected: string) => {
    const reply = await client.once(await query(port, writer, params));
    if (reply.status !== 200 || !reply.text.includes(expected)) fail(`${params['Action']}: ${reply.status} ${reply.text.slice(0, 300)}`);
  };
  const create = (name: string) => send({ Action: 'CreateUser', UserName: name, Path: WRITES_PATH }, `<UserName>${name}</UserName>`);
  const add = (name: string) => send({ Action: 'AddUserToGroup', GroupName: WRITES_GROUP, UserName: name }, '<AddUserToGroupResponse');
  try {
    // A first pair fills the gateway's caches (the writer's signing key, its policy set).
    await create(`hop-${run}-first`);
    await add(`hop-${run}-first`);
    const created: string[] = [];
    const hops = new Map<string, Hops>();
    hops.set(
      'CreateUser',
      await observeOne(observer, 'CreateUser', async () => {
        const name = `hop-${run}-${n++}`;
        await create(name);
        created.push(name);
      }),
    );
    // Enough users for every attempt of the next count.
    while (created.length < 55) {
      const name = `hop-${run}-${n++}`;
      await create(name);
      created.push(name);
    }
    hops.set(
      'AddUserToGroup',
      await observeOne(observer, 'AddUserToGroup', async () => {
        const name = created.shift();
        if (name === undefined) fail('AddUserToGroup: no user left to add');
        await add(name);
      }),
    );
    return hops;
  } finally {
    client.close();
  }
}

/** Every page of a Query API listing: the `<UserName>`s of each, following `Marker` while `IsTruncated`. */
async function userNamesOf(client: LoadClient, port: number, credentials: Credentials, params: Record<string, string>): Promise<Set<string>> {
  const names = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const reply = await client.once(await query(port, credentials, { ...params, MaxItems: '1000', ...(marker ? { Marker: marker } : {}) }));
    if (reply.status !== 200) fail(`${params['Action']}: ${reply.status} ${reply.text.slice(0, 300)}`);
    const members = reply.text.split('<member>').slice(1);
    for (const member of members) {
      const name = /<UserName>([^<]*)<\/UserName>/.exec(member)?.[1];
      if (name) names.add(name);
    }
    if (!reply.text.includes('<IsTruncated>true</IsTruncated>')) return names;
    marker = /<Marker>([^<]*)<\/Marker>/.exec(reply.text)?.[1];
    if (!marker) fail(`${params['Action']}: truncated without a Marker`);
  }
}

/** Every acknowledged write is there: each created user in `ListUsers` under `/writes/`, each added one among the group's members. */
async function checkAcknowledged(port: number, credentials: Credentials, acknowledged: Acknowledged): Promise<{ users: number; members: number }> {
  const client = new LoadClient(port, 1);
  try {
    const users = await userNamesOf(client, port, credentials, { Action: 'ListUsers', PathPrefix: WRITES_PATH });
    const members = await userNamesOf(client, port, credentials, { Action: 'GetGroup', GroupName: WRITES_GROUP });
    const lostUsers = acknowledged.created.filter((name) => !users.has(name));
    const lostMembers = acknowledged.added.filter((name) => !members.has(name));
    if (lostUsers.length) fail(`${lostUsers.length} of ${acknowledged.created.length} acknowledged CreateUser are not listed, e.g. ${lostUsers.slice(0, 5).join(', ')}`);
    if (lostMembers.length) fail(`${lostMembers.length} of ${acknowledged.added.length} acknowledged AddUserToGroup are not in the group, e.g. ${lostMembers.slice(0, 5).join(', ')}`);
    return { users: users.size, members: members.size };
  } finally {
    client.close();
  }
}

interface WriteResults {
  raw: Figures;
  /** Per operation. */
  writes: Map<string, Figures>;
  /** Both operations' writes per second together (median over the rounds of each round's sum). */
  writesPerSecond: number;
  /** Each round's write pairs per second over its raw inserts per second (the rounds' median). */
  ratio: number;
  /** CPU milliseconds per write of each component. */
  cpu: Map<Component, number>;
  /** CPU milliseconds per raw insert: PostgreSQL (the scratch database's backends) and the client. */
  rawCpu: Map<Component, number>;
  acknowledged: { created: number; added: number };
  verified: { users: number; members: number };
}

/** The write pairs and the raw inserts, `ROUNDS` rounds of `ROUND_MS`, interleaved (each round starts with the other than the last). */
async function measureWrites(system: System, writer: Credentials, raw: RawInserts, meter: CpuMeter, rawMeter: CpuMeter): Promise<WriteResults> {
  const acknowledged: Acknowledged = { created: [], added: [] };
  const client = new LoadClient(system.port, WRITES_IN_FLIGHT);
  const script = writePairs(system.port, writer, acknowledged);
  const tally = new CpuTally(meter);
  const rawTally = new CpuTally(rawMeter);
  const rawRounds: Figures[] = [];
  const writeRounds: Map<string, Figures>[] = [];
  try {
    process.stdout.write(`writes: warm-up, ${ROUND_MS} ms each at ${WRITES_IN_FLIGHT} in flight\n`);
    await raw.run(ROUND_MS, 1);
    await client.runTagged(script, ROUND_MS, 1);
    for (let round = 0; round < ROUNDS; round++) {
      process.stdout.write(`round ${round + 1} of ${ROUNDS}\n`);
      const steps = [async () => rawRounds.push(await raw.run(WARMUP_MS, ROUND_MS, rawTally)), async () => writeRounds.push(await client.runTagged(script, WARMUP_MS, ROUND_MS, tally))];
      if (round % 2) steps.reverse();
      for (const step of steps) await step();
    }
  } finally {
    client.close();
  }
  const verified = await checkAcknowledged(system.port, writer, acknowledged);
  const sum = (round: Map<string, Figures>) => WRITE_OPERATIONS.reduce((total, operation) => total + (round.get(operation)?.perSecond ?? 0), 0);
  return {
    raw: medianFigures(rawRounds),
    writes: new Map(WRITE_OPERATIONS.map((operation) => [operation, medianFigures(writeRounds.map((round) => round.get(operation) as Figures))])),
    writesPerSecond: median(writeRounds.map(sum)),
    ratio: median(writeRounds.map((round, i) => sum(round) / rawRounds[i].perSecond)),
    cpu: tally.perRequest(),
    rawCpu: rawTally.perRequest(),
    acknowledged: { created: acknowledged.created.length, added: acknowledged.added.length },
    verified,
  };
}

const WRITES_TARGET = 0.2;

function writesSection(results: WriteResults, hops: Map<string, Hops>, startedAt: Date, load: number[], loadAfter: number[], cpuAvailable: boolean): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const { raw } = results;
  const rows = WRITE_OPERATIONS.map((operation) => {
    const f = results.writes.get(operation) as Figures;
    return `| \`${operation}\` (Query API, SigV4, the administrator) | ${fmt(f.perSecond)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.perSecond / raw.perSecond, 3)} |`;
  });
  const hopRows = WRITE_OPERATIONS.map((operation) => {
    const h = hops.get(operation);
    const events = h?.events.length ? `; events: ${h.events.map((e) => `\`${e}\``).join(', ')}` : '';
    return `| \`${operation}\` | ${h ? h.requests.length : '?'} | ${h ? `${sequenceOf(h.requests)}${events}` : ''} |`;
  });
  const perPair = WRITE_OPERATIONS.reduce((total, operation) => total + (hops.get(operation)?.requests.length ?? 0), 0);
  const components = ['gateway', 'identity', 'directory', 'authorization', 'postgres', 'nats', 'client'];
  const cpuTotal = components.reduce((total, c) => total + (results.cpu.get(c) ?? 0), 0);
  const cpuRow = `| A write (both kinds) | ${components.map((c) => fmt(results.cpu.get(c) ?? 0, 3)).join(' | ')} | ${fmt(cpuTotal, 3)} | ${fmt((CORES * 1000) / cpuTotal)} |`;
  const rawTotal = ['postgres', 'client'].reduce((total, c) => total + (results.rawCpu.get(c) ?? 0), 0);
  const rawRow = `| A raw insert | | | | | ${fmt(results.rawCpu.get('postgres') ?? 0, 3)} | | ${fmt(results.rawCpu.get('client') ?? 0, 3)} | ${fmt(rawTotal, 3)} | ${fmt((CORES * 1000) / rawTotal)} |`;
  const met = results.ratio >= WRITES_TARGET;
  const cores = os.cpus().length;
  return `## Write path

Measured ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} with \`BENCH_SECTIONS=writes ${COMMAND}\` (script: \`libs/gateway-http/bench/bench.ts\`).
Node ${process.version} on ${os.platform()}/${os.arch()}, ${cpu}, ${cores} cores (load average ${load.map((l) => l.toFixed(2)).join(', ')} when this
section began, ${loadAfter.map((l) => l.toFixed(2)).join(', ')} when it ended; the machine is shared, so figures move with what else runs).
Everything on this one machine: PostgreSQL, NATS, the load generator and the system.

The distributed mode as in the *Gateway* section (identity, directory, authorization and one gateway with the data plane,
each its own process, over NATS and PostgreSQL, default settings). ${WRITES_IN_FLIGHT} callers, each making **write pairs** as an IAM
administrator (\`AdministratorAccess\` through a group, an access key; every request SigV4-signed by the official signer just
before it is sent, the signing not in the latency): \`CreateUser\` of a new user under \`${WRITES_PATH}\`, then \`AddUserToGroup\` of it to
one group; every reply checked. The baseline, in the same run: **raw inserts**, ${WRITES_IN_FLIGHT} callers on \`pg\` (a pool of ${WRITES_IN_FLIGHT}
connections), one \`INSERT\` of one row per call into a scratch table (\`bigserial\` key, a text, a timestamp) of a database of
its own on the same PostgreSQL. Each runs ${ROUND_MS} ms per round after a ${WARMUP_MS} ms warm-up, ${ROUNDS} rounds interleaving the two;
medians over the rounds. "÷ raw inserts": writes per second over raw inserts per second.

| Path | writes/s | p50 ms | p99 ms | ÷ raw inserts |
| --- | ---: | ---: | ---: | ---: |
| Raw inserts (\`pg\`, one row per call) | ${fmt(raw.perSecond)} | ${fmt(raw.p50, 2)} | ${fmt(raw.p99, 2)} | 1.000 |
${rows.join('\n')}
| Both (a pair is two writes) | ${fmt(results.writesPerSecond)} | | | **${fmt(results.ratio, 3)}** |

Target: the write path at ≥ ${WRITES_TARGET} × raw inserts (both writes counted): **${met ? 'met' : 'not met'}** (${fmt(results.ratio, 3)}).

Every acknowledged write was checked afterwards through the API: ${fmt(results.acknowledged.created)} acknowledged \`CreateUser\`, each
listed by \`ListUsers\` (\`PathPrefix=${WRITES_PATH}\`, ${fmt(results.verified.users)} users there), and ${fmt(results.acknowledged.added)}
acknowledged \`AddUserToGroup\`, each a member in \`GetGroup\` (${fmt(results.verified.members)} members).

Bus requests per write (${perPair} per pair), counted as in the *Gateway* section (one call, checked against 10 more):

| Write | Bus requests | In the order sent |
| --- | ---: | --- |
${hopRows.join('\n')}

${
  cpuAvailable
    ? `CPU time per write (ms, over the counted rounds; PostgreSQL: the backends serving the system's database, for the raw
inserts those serving the scratch database; NATS server: the whole server; client: the bench's process, which signs the
requests). "Writes/s the total allows": the machine's cores divided by the total, the throughput if the CPU were the only
limit (12 callers of raw inserts wait on their commits rather than on the CPU, so they stay well below theirs).

| | gateway | identity | directory | authorization | PostgreSQL | NATS server | client | total | writes/s the total allows |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${cpuRow}
${rawRow}`
    : 'CPU time not measured: this system has no `/proc`.'
}
${
  Math.max(load[0], loadAfter[0]) > cores
    ? `\nThe machine was busy with other work during this run (load average above its ${cores} cores): every figure is low and noisy.\n`
    : ''
}`;
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
  let scratchDatabase: TestDatabase | undefined;
  let adminSession: string | undefined;
  try {
    database = await createTestDatabase();
    process.stdout.write(`starting the system (logs in ${logDir})…\n`);
    const system = await startSystem(database);
    const client = new LoadClient(system.port, 1);
    process.stdout.write('seeding the account…\n');
    const account = await seed(client, system);

    if (SECTIONS.includes('gateway')) {
      process.stdout.write('starting a second gateway with the data plane and one without…\n');
      const gateways: Gateways = {
        on: system.port,
        second: await startGateway(system, 'gateway-2'),
        off: await startGateway(system, 'gateway-off', { IAM_GATEWAY_CACHE: 'off' }),
      };
      process.stdout.write('seeding the data plane users…\n');
      const plane = await seedDataPlane(client, system, account);
      adminSession = await seedAdmin(client, system);
      const echo = `${system.prefix}-baseline.echo`;
      const responder = startProcess('baseline-responder', [join(__dirname, 'baseline.mjs'), 'responder'], { NATS_URL: TEST_NATS_URL, SUBJECT: echo });
      await waitForLine(responder, /^ready$/);
      const baselines = { plain: await startBaseline('plain', echo), nats: await startBaseline('nats', echo) };
      const all = paths(system, gateways, account, plane, baselines);
      const list = all.filter((p) => !ONLY || ONLY.includes(p.key));
      const withWrites = !ONLY || ONLY.includes('writes');
      if (list.length === 0 && !withWrites) fail(`BENCH_ONLY names no path (paths: ${all.map((p) => p.key).join(', ')}; and writes)`);

      process.stdout.write('checking every path…\n');
      for (const path of list) {
        const checker = new LoadClient(path.port, 1);
        for (const call of [await path.call()].flat()) {
          for (let i = 0; i < 2; i++) {
            const reply = await checker.once(call);
            const problem = path.check(reply.status, reply.text);
            if (problem) fail(`${path.label} (port ${call.port}): ${problem}`);
          }
        }
        checker.close();
      }
      for (const port of [gateways.on, gateways.second, gateways.off]) await checkRefusals(port, account);
      nc = await connect({ servers: TEST_NATS_URL, name: 'gateway-bench-observer' });
      const observer = await BusObserver.start(nc, system.prefix);
      const hops = await countHops(observer, list);
      const scenarioList = withWrites ? scenarios(gateways, adminSession, account, plane) : [];
      process.stdout.write('checking the narrowing writes…\n');
      const writeHops = await checkScenarios(scenarioList, observer);
      await nc.drain();
      nc = undefined;

      process.stdout.write('measuring…\n');
      const meter = new CpuMeter(() => new Map(processes.flatMap((p) => (p.child.pid === undefined ? [] : [[p.name, p.child.pid] as const]))), database.name);
      const results = await measure(list, meter, gateways);
      const writes = await measureScenarios(scenarioList);
      checkAlive();
      const text = section(list, results, hops, writes, writeHops, startedAt, os.loadavg(), meter.available);
      if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
      else writeSection(text);
      process.stdout.write(`\n${text}`);
      // The sections after this one measure the system with its one gateway, as they describe it: a
      // second gateway with the data plane would make every write wait for its acknowledgement.
      await Promise.all(processes.filter((p) => p.name === 'gateway-2' || p.name === 'gateway-off').map(stop));
    }

    if (SECTIONS.includes('modes')) {
      process.stdout.write('starting the embedded default…\n');
      const session = adminSession ?? (await seedAdmin(client, system));
      adminSession = session;
      const started = await startEmbedded(system.root);
      embeddedData = started.dataDir;
      const embedded: System = { port: started.port, prefix: '', root: system.root, env: {} };
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
      checkAlive();
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
      checkAlive();
      const text = replicasSection(results, at, load, os.loadavg());
      if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
      else writeSection(text, 'One and two replicas of each service');
      process.stdout.write(`\n${text}`);
    }
    if (SECTIONS.includes('writes')) {
      process.stdout.write('writes: seeding the administrator and the scratch table…\n');
      scratchDatabase = await createTestDatabase();
      const raw = new RawInserts(scratchDatabase.url);
      try {
        await raw.setUp();
        const writer = await seedWriter(client, system);
        nc = await connect({ servers: TEST_NATS_URL, name: 'gateway-bench-observer' });
        const observer = await BusObserver.start(nc, system.prefix);
        const hops = await countWriteHops(observer, system.port, writer);
        await nc.drain();
        nc = undefined;
        const at = new Date();
        const load = os.loadavg();
        const meter = new CpuMeter(() => new Map(processes.flatMap((p) => (p.child.pid === undefined ? [] : [[p.name, p.child.pid] as const]))), database.name);
        const rawMeter = new CpuMeter(() => new Map(), scratchDatabase.name);
        const results = await measureWrites(system, writer, raw, meter, rawMeter);
        checkAlive();
        const text = writesSection(results, hops, at, load, os.loadavg(), meter.available);
        if (ONLY) process.stdout.write('BENCH_ONLY is set: docs/benchmarks.md is left as it is.\n');
        else writeSection(text, 'Write path');
        process.stdout.write(`\n${text}`);
      } finally {
        await raw.close();
      }
    }
    client.close();
    ok = true;
  } finally {
    await nc?.close();
    await stopAll();
    await database?.drop();
    await secondDatabase?.drop();
    await scratchDatabase?.drop();
    if (embeddedData) rmSync(embeddedData, { recursive: true, force: true });
    if (ok) rmSync(logDir, { recursive: true, force: true });
    else process.stderr.write(`the processes' logs are kept in ${logDir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
