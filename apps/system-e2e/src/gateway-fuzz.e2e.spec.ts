import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '@iam/contracts';
import { type AnyOperation, ERROR_STATUS, OPERATIONS } from '@iam/gateway-http';
import { describeWithServices, officialSigner } from '@iam/testing';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ACCOUNT, type Credentials, type Driver, expectOk, restDriver, startDistributedSystem, type RunningSystem } from './support/gateway';
import { type FuzzRequest, type FuzzWorld, isReadOnly, queryJunk, queryNear, restJunk, restNear } from './support/fuzz-inputs';
import { freePort, type RunningProcess, startApp, waitForStatus } from './support/processes';

jest.setTimeout(600_000);

/**
 * "Bad input always gets a clear error with the AWS error code, never a crash or a 500, and
 * nothing already stored is lost": property-based fuzzing of every operation of the gateway's
 * operation table, through the Query API and REST, against the whole system as processes over
 * NATS and PostgreSQL. Requests are signed with SigV4 as root, and a third of them as a user
 * allowed all of IAM, so that the policy engine evaluates whatever names the input holds.
 *
 * Every reply is below 500, in time (the bus timeout), and either a success or a well-formed AWS
 * error (XML for the Query API, `{code, message, requestId}` for REST) with a code of the
 * taxonomy, the status of the one table, and a one-line message without stack frames, internal
 * type names or SQL. Afterwards the system is healthy, every seeded entity reads back as it was,
 * every process still runs and none logged an error.
 *
 * It runs against the embedded default (one process, PGlite) and the distributed mode (four
 * processes over NATS and PostgreSQL), each operation's inputs sent `IAM_FUZZ_CONCURRENCY` at a
 * time (default 4). Each process's resident memory is read before and after: its growth must
 * stay under a loose bound (a leak of a few KiB per request would pass it).
 *
 * Seeded and reproducible: the seed is printed; `IAM_FUZZ_SEED=<seed>` draws the same inputs
 * again (ids the system generates, such as access key ids and markers, differ from run to run),
 * and `IAM_FUZZ_RUNS=<n>` sets the inputs per operation (shared by its fronts, junk and
 * near-valid), per mode. The default, 130, makes more than 10,000 requests per mode.
 */
const RUNS = Number(process.env['IAM_FUZZ_RUNS'] ?? 130);
const CONCURRENCY = Number(process.env['IAM_FUZZ_CONCURRENCY'] ?? 4);
/** How much a process's resident memory may grow over the fuzzing: loose, to catch a leak per request, not to measure. */
const RSS_GROWTH_BOUND_MIB = 768;
const SEED = process.env['IAM_FUZZ_SEED'] !== undefined ? Number(process.env['IAM_FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 31);
const BUS_TIMEOUT_MS = 5000;
/** A reply later than this is a hang (the bus timeout, with room for the requests queued beside it). */
const HANG_MS = BUS_TIMEOUT_MS * 3;
const SCRATCH_POLICY = `arn:aws:iam::${ACCOUNT}:policy/fz-scratch-p`;

/** What no client-facing message may contain: stack frames, internal type names, SQL. */
const LEAKS = [
  /\bat .+:\d+:\d+/,
  /\n\s+at /,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|QueryFailedError|EntityNotFoundError|TypeORMError|ZodError|DatabaseError|AggregateError)\b/,
  /\bundefined\b/,
  /\[object Object\]/,
  /\bNaN\b/,
  /Cannot read propert|is not a function|is not iterable|Maximum call stack/i,
  /\b(SELECT .* FROM|INSERT INTO|UPDATE \S+ SET|DELETE FROM)\b/i,
  /relation "|duplicate key value|violates .*constraint|syntax error at or near|invalid byte sequence|invalid input syntax|unsupported Unicode escape/i,
];

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);
const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });

interface Reply {
  status: number;
  contentType: string | null;
  text: string;
  /** The gateway closed the connection without reading a body over its limit (the client's write failed). */
  closedUnread?: true;
}

/** The gateway's body limit: a larger body may be refused by closing the connection before it is read. */
const BODY_LIMIT = 1024 * 1024;

const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The message with every text the request carried taken out, so that an echoed value is not
 * taken for a leak. Texts are cut at characters a message may show escaped or replaced.
 */
function withoutEchoes(message: string, sent: readonly string[]): string {
  // eslint-disable-next-line no-control-regex -- cutting at control characters is the point
  const fragments = sent.flatMap((text) => text.split(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufffd]+/));
  let rest = message;
  for (const text of fragments.filter((t) => t.length > 0).sort((a, b) => b.length - a.length)) {
    rest = rest.split(text).join(' ');
  }
  return rest;
}

/** Why a reply breaks the rule, or `undefined` when it keeps it. */
function problemWith(operation: AnyOperation, request: FuzzRequest, reply: Reply): string | undefined {
  if (reply.closedUnread) return undefined;
  const query = request.path === '/';
  if (reply.status >= 500) return `status ${reply.status}`;
  if (reply.status < 200 || (reply.status >= 300 && reply.status < 400)) return `unexpected status ${reply.status}`;
  if (reply.status < 300) {
    if (query) {
      if (XMLValidator.validate(reply.text) !== true) return 'a success reply that is not well-formed XML';
      if (!xml.parse(reply.text)[`${operation.name}Response`]) return `a success reply without <${operation.name}Response>`;
    } else if (reply.text.length > 0) {
      try {
        JSON.parse(reply.text);
      } catch {
        return 'a success reply that is not JSON';
      }
    }
    return undefined;
  }
  let code: unknown;
  let message: unknown;
  let requestId: unknown;
  if (query) {
    if (!reply.contentType?.startsWith('text/xml')) return `an XML error with content type ${reply.contentType}`;
    const valid = XMLValidator.validate(reply.text);
    if (valid !== true) return `an error that is not well-formed XML: ${valid.err.msg}`;
    const body = xml.parse(reply.text)['ErrorResponse'];
    if (!body?.Error) return 'an error without <ErrorResponse><Error>';
    if (body.Error.Type !== 'Sender') return `an error of type ${body.Error.Type}`;
    ({ Code: code, Message: message } = body.Error);
    requestId = body.RequestId;
  } else {
    if (!reply.contentType?.startsWith('application/json')) return `a JSON error with content type ${reply.contentType}`;
    let body: unknown;
    try {
      body = JSON.parse(reply.text);
    } catch {
      return 'an error that is not JSON';
    }
    const keys = body && typeof body === 'object' ? Object.keys(body).sort().join(',') : '';
    // A malformed policy document's REST error also lists each problem with its place (`Problems`).
    const problems = keys === 'Problems,code,message,requestId' && (body as { code?: unknown }).code === 'MalformedPolicyDocument' && Array.isArray((body as { Problems?: unknown }).Problems);
    if (keys !== 'code,message,requestId' && !problems) return `an error body with members [${keys}], not {code, message, requestId}`;
    ({ code, message, requestId } = body as Record<string, unknown>);
  }
  if (typeof code !== 'string' || !CODES.has(code)) return `the code ${String(code)}, not one of the error taxonomy`;
  if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== reply.status) return `status ${reply.status} for ${code}`;
  if (typeof requestId !== 'string' || requestId.length === 0) return 'no request id';
  if (typeof message !== 'string' || message.trim().length === 0) return 'an empty message';
  if (/[\r\n\u2028\u2029]/.test(message)) return 'a message of more than one line';
  const own = withoutEchoes(message, request.sent);
  const leak = LEAKS.find((pattern) => pattern.test(own));
  if (leak) return `a message that leaks internals (${leak})`;
  return undefined;
}

/** A system under fuzzing: its base URL, root keys and processes. */
interface FuzzTarget {
  base: string;
  root: Credentials;
  processes: RunningProcess[];
  stop(): Promise<void>;
}

async function embeddedTarget(): Promise<FuzzTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iam-gateway-fuzz-'));
  const port = await freePort();
  const app = startApp('standalone', {
    DATABASE_URL: '',
    NATS_URL: '',
    IAM_ROOT_ACCESS_KEY_ID: '',
    IAM_ROOT_SECRET_ACCESS_KEY: '',
    IAM_MASTER_KEY: '',
    CI: '',
    PORT: String(port),
    IAM_DATA_DIR: dataDir,
    IAM_ACCOUNT_ID: ACCOUNT,
    IAM_BUS_TIMEOUT_MS: String(BUS_TIMEOUT_MS),
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${base}/health`, 200, 120_000);
  } catch (error) {
    await app.stop('SIGKILL');
    throw error;
  }
  return {
    base,
    root: JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as Credentials,
    processes: [app],
    stop: async () => {
      await app.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function distributedTarget(): Promise<FuzzTarget> {
  const system: RunningSystem = await startDistributedSystem({ IAM_BUS_TIMEOUT_MS: String(BUS_TIMEOUT_MS) });
  return { base: system.base, root: system.root, processes: Object.values(system.processes), stop: () => system.stop() };
}

/** A process's resident memory in MiB, from /proc. */
function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Sends every input `limit` at a time; resolves with the first failure's message, if any. */
async function firstFailure<T>(inputs: readonly T[], limit: number, run: (input: T) => Promise<void>): Promise<{ input: T; message: string } | undefined> {
  let next = 0;
  let failure: { input: T; message: string } | undefined;
  const worker = async () => {
    while (next < inputs.length && !failure) {
      const input = inputs[next++];
      try {
        await run(input);
      } catch (error) {
        failure ??= { input, message: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return failure;
}

describe('gateway: fuzzing every operation with bad input (embedded default)', () => fuzzSuite('embedded', embeddedTarget));
describeWithServices('gateway: fuzzing every operation with bad input (distributed)', () => fuzzSuite('distributed', distributedTarget));

function fuzzSuite(mode: string, start: () => Promise<FuzzTarget>): void {
  let system: FuzzTarget;
  const rssBefore = new Map<string, number>();
  let startedAt = 0;
  let call: Driver;
  let world: FuzzWorld;
  let before: unknown;
  let sent = 0;
  /** How the replies came out (`200`, `400 ValidationError`, ...), to show how deep the inputs went. */
  const outcomes = new Map<string, number>();
  const tally = (reply: Reply) => {
    if (reply.closedUnread) {
      outcomes.set('closed unread (body over 1 MiB)', (outcomes.get('closed unread (body over 1 MiB)') ?? 0) + 1);
      return;
    }
    const code = /<Code>(\w+)<\/Code>|"code":"(\w+)"/.exec(reply.text);
    const key = `${reply.status}${code ? ` ${code[1] ?? code[2]}` : ''}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  };

  const root = () => system.root;

  /** A user with every IAM permission, whose calls (unlike root's) go through policy evaluation. */
  let admin: Credentials;
  const signers = () => ({ root: root(), admin });

  /** Signs a request with SigV4 (as root, or as the admin user) and sends it; a reply later than the bus timeout is a hang. */
  async function send(request: FuzzRequest, as: 'root' | 'admin'): Promise<Reply> {
    const url = new URL(system.base);
    const headers: Record<string, string> = { host: url.host, ...(request.contentType ? { 'content-type': request.contentType } : {}) };
    const signed = await officialSigner(signers()[as]).sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query: request.query as Record<string, string | string[]>,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const search =
      Object.entries(request.query)
        .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x: string) => `${rfc3986(k)}=${rfc3986(x)}`))
        .join('&');
    const signedHeaders = { ...(signed.headers as Record<string, string>) };
    delete signedHeaders['host'];
    sent += 1;
    try {
      const response = await fetch(`${system.base}${request.path}${search ? `?${search}` : ''}`, {
        method: request.method,
        headers: signedHeaders,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(HANG_MS),
      });
      return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new Error(`no reply within ${HANG_MS} ms (the bus timeout is ${BUS_TIMEOUT_MS} ms): the request hangs`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const size = request.body === undefined ? 0 : Buffer.byteLength(request.body);
      if (size > BODY_LIMIT && ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(cause?.code ?? '')) {
        // Refused unread: allowed only if the gateway is still there to answer the next request.
        const health = await fetch(`${system.base}/health`, { signal: AbortSignal.timeout(HANG_MS) }).catch(() => undefined);
        if (health?.status === 200) return { status: 413, contentType: null, text: '', closedUnread: true };
      }
      throw new Error(`no reply: the connection failed (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
  }

  const ok = (action: string, params: Record<string, unknown> = {}) => expectOk(call(root(), action, params));

  /** Everything seeded that must survive, read back through the API. */
  async function snapshot(): Promise<unknown> {
    const policy = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/fuzz/${name}`;
    const reads: Array<[string, Record<string, unknown>]> = [
      ...['fz-alice', 'fz-bob', 'fz-carol'].flatMap((UserName): Array<[string, Record<string, unknown>]> => [
        ['GetUser', { UserName }],
        ['ListUserTags', { UserName }],
        ['ListGroupsForUser', { UserName }],
        ['ListAccessKeys', { UserName }],
        ['ListAttachedUserPolicies', { UserName }],
        ['ListUserPolicies', { UserName }],
      ]),
      ['GetLoginProfile', { UserName: 'fz-alice' }],
      ['GetUserPolicy', { UserName: 'fz-alice', PolicyName: 'fz-inline' }],
      ...['fz-admins', 'fz-devs'].flatMap((GroupName): Array<[string, Record<string, unknown>]> => [
        ['GetGroup', { GroupName }],
        ['ListAttachedGroupPolicies', { GroupName }],
        ['ListGroupPolicies', { GroupName }],
      ]),
      ['GetGroupPolicy', { GroupName: 'fz-admins', PolicyName: 'fz-inline' }],
      ...['fz-read', 'fz-write'].flatMap((name): Array<[string, Record<string, unknown>]> => [
        ['GetPolicy', { PolicyArn: policy(name) }],
        ['ListPolicyVersions', { PolicyArn: policy(name) }],
        ['ListPolicyTags', { PolicyArn: policy(name) }],
        ['ListEntitiesForPolicy', { PolicyArn: policy(name) }],
      ]),
      ['GetPolicyVersion', { PolicyArn: policy('fz-read'), VersionId: 'v1' }],
      ['GetPolicyVersion', { PolicyArn: policy('fz-read'), VersionId: 'v2' }],
    ];
    const state: Record<string, unknown> = {};
    for (const [action, params] of reads) state[`${action} ${JSON.stringify(params)}`] = await ok(action, params);
    return state;
  }

  /** Recreates whatever the fuzzing deleted, renamed or used up of the scratch state (and lifts any password policy). */
  async function restoreScratch(): Promise<void> {
    const tolerate = async (action: string, params: Record<string, unknown>, codes: string[]) => {
      const outcome = await call(root(), action, params);
      if (!outcome.ok && !codes.includes(outcome.code)) throw new Error(`restoring the scratch state: ${action} failed with ${outcome.code}: ${outcome.message}`);
      return outcome;
    };
    await tolerate('DeleteAccountPasswordPolicy', {}, ['NoSuchEntity']);
    for (const UserName of ['fz-scratch-1', 'fz-scratch-2']) await tolerate('CreateUser', { UserName }, ['EntityAlreadyExists']);
    await tolerate('CreateGroup', { GroupName: 'fz-scratch-g' }, ['EntityAlreadyExists']);
    await tolerate('AddUserToGroup', { GroupName: 'fz-scratch-g', UserName: 'fz-scratch-1' }, ['LimitExceeded']);
    await tolerate('CreatePolicy', { PolicyName: 'fz-scratch-p', PolicyDocument: document('ec2:*') }, ['EntityAlreadyExists']);
    await tolerate('AttachUserPolicy', { UserName: 'fz-scratch-1', PolicyArn: SCRATCH_POLICY }, ['LimitExceeded']);
    await tolerate('PutUserPolicy', { UserName: 'fz-scratch-1', PolicyName: 'fz-scratch-inline', PolicyDocument: document('ec2:Describe*') }, ['LimitExceeded']);
    await tolerate('PutGroupPolicy', { GroupName: 'fz-scratch-g', PolicyName: 'fz-scratch-inline', PolicyDocument: document('ec2:Describe*') }, ['LimitExceeded']);
    const keys = (await ok('ListAccessKeys', { UserName: 'fz-scratch-1' })) as { AccessKeyMetadata: Array<{ AccessKeyId: string }> };
    if (keys.AccessKeyMetadata.length === 0) keys.AccessKeyMetadata.push(((await ok('CreateAccessKey', { UserName: 'fz-scratch-1' })) as { AccessKey: { AccessKeyId: string } }).AccessKey);
    world.scratchAccessKeys = keys.AccessKeyMetadata.map((k) => k.AccessKeyId);
    await tolerate('CreateLoginProfile', { UserName: 'fz-scratch-1', Password: 'Fuzz-Scr4tch-Passw0rd!' }, ['EntityAlreadyExists', 'PasswordPolicyViolation']);
  }

  const document = (action: string, resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

  beforeAll(async () => {
    system = await start();
    call = restDriver(system.base);
    console.info(`gateway fuzz (${mode}): seed ${SEED}, ${RUNS} inputs per operation, ${CONCURRENCY} at a time (replay with IAM_FUZZ_SEED=${SEED})`);

    // Protected state: read back after the fuzzing, and named only by operations that read.
    for (const [UserName, Path] of [['fz-alice', '/fuzz/'], ['fz-bob', '/'], ['fz-carol', '/fuzz/']]) {
      await ok('CreateUser', { UserName, Path, Tags: [{ Key: 'team', Value: UserName }] });
    }
    await ok('CreateGroup', { GroupName: 'fz-admins', Path: '/fuzz/' });
    await ok('CreateGroup', { GroupName: 'fz-devs' });
    for (const UserName of ['fz-alice', 'fz-bob', 'fz-carol']) await ok('AddUserToGroup', { GroupName: 'fz-admins', UserName });
    await ok('AddUserToGroup', { GroupName: 'fz-devs', UserName: 'fz-bob' });
    const read = (await ok('CreatePolicy', { PolicyName: 'fz-read', Path: '/fuzz/', PolicyDocument: document('s3:Get*'), Description: 'Reads.', Tags: [{ Key: 'level', Value: 'read' }] })) as { Policy: { Arn: string } };
    await ok('CreatePolicyVersion', { PolicyArn: read.Policy.Arn, PolicyDocument: document('s3:List*'), SetAsDefault: true });
    const write = (await ok('CreatePolicy', { PolicyName: 'fz-write', Path: '/fuzz/', PolicyDocument: document('s3:Put*', 'arn:aws:s3:::bucket/*') })) as { Policy: { Arn: string } };
    await ok('AttachUserPolicy', { UserName: 'fz-alice', PolicyArn: read.Policy.Arn });
    await ok('AttachGroupPolicy', { GroupName: 'fz-admins', PolicyArn: write.Policy.Arn });
    await ok('PutUserPolicy', { UserName: 'fz-alice', PolicyName: 'fz-inline', PolicyDocument: document('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`) });
    await ok('PutGroupPolicy', { GroupName: 'fz-admins', PolicyName: 'fz-inline', PolicyDocument: document('iam:List*') });
    const bobKey = (await ok('CreateAccessKey', { UserName: 'fz-bob' })) as { AccessKey: { AccessKeyId: string } };
    await ok('CreateLoginProfile', { UserName: 'fz-alice', Password: 'Fuzz-Al1ce-Passw0rd!', PasswordResetRequired: false });

    // The admin user: allowed everything in IAM, so that its calls run the policy engine (with
    // wildcards, variables and conditions that never deny it) on whatever names the input holds.
    await ok('CreateUser', { UserName: 'fz-admin', Path: '/ops/' });
    await ok('PutUserPolicy', {
      UserName: 'fz-admin',
      PolicyName: 'everything',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'All', Effect: 'Allow', Action: 'iam:*', Resource: '*' },
          { Sid: 'Never1', Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::*:*/*never*?*match*', Condition: { StringLike: { 'aws:RequestTag/${aws:username}': '*x?y*' } } },
          { Sid: 'Never2', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], NotResource: '*' },
          { Sid: 'Never3', Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
          { Sid: 'Never4', Effect: 'Deny', Action: 'iam:Delete*', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['never-used-tag'] }, DateLessThan: { 'aws:CurrentTime': '2001-01-01T00:00:00Z' } } },
        ],
      }),
    });
    const adminKey = (await ok('CreateAccessKey', { UserName: 'fz-admin' })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    admin = { accessKeyId: adminKey.AccessKey.AccessKeyId, secretAccessKey: adminKey.AccessKey.SecretAccessKey };

    // Scratch state: operations that change things may change or delete it; restored before each operation.
    world = {
      account: ACCOUNT,
      protectedUsers: ['fz-alice', 'fz-bob', 'fz-carol'],
      protectedGroups: ['fz-admins', 'fz-devs'],
      protectedPolicyArns: [read.Policy.Arn, write.Policy.Arn],
      protectedInlinePolicies: ['fz-inline'],
      protectedAccessKeys: [bobKey.AccessKey.AccessKeyId],
      scratchUsers: ['fz-scratch-1', 'fz-scratch-2'],
      scratchGroups: ['fz-scratch-g'],
      scratchPolicyArns: [SCRATCH_POLICY],
      scratchInlinePolicies: ['fz-scratch-inline'],
      scratchAccessKeys: [],
      markers: {},
    };
    await restoreScratch();

    // Real markers of several list operations, to hand to them and to the others.
    const markers: Record<string, string[]> = {};
    const markerOf = async (action: string, params: Record<string, unknown>) => {
      const page = (await ok(action, { ...params, MaxItems: 1 })) as { Marker?: string };
      if (page.Marker) (markers[action] ??= []).push(page.Marker);
    };
    await markerOf('ListUsers', {});
    await markerOf('ListUsers', { PathPrefix: '/fuzz/' });
    await markerOf('ListGroups', {});
    await markerOf('ListPolicies', { Scope: 'Local' });
    await markerOf('ListPolicyVersions', { PolicyArn: read.Policy.Arn });
    await markerOf('GetGroup', { GroupName: 'fz-admins' });
    await markerOf('ListGroupsForUser', { UserName: 'fz-bob' });
    await markerOf('GetAccountAuthorizationDetails', {});
    await markerOf('SimulateCustomPolicy', { PolicyInputList: [document('s3:*')], ActionNames: ['s3:GetObject', 's3:PutObject'] });
    expect(Object.keys(markers).length).toBeGreaterThanOrEqual(7);
    world = { ...world, markers };
    before = await snapshot();
    for (const child of system.processes) rssBefore.set(child.name, rssMiB(child.child.pid));
    startedAt = Date.now();
  });

  afterAll(async () => {
    const seen = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`);
    if (system) {
      const seconds = Math.round((Date.now() - startedAt) / 1000);
      const memory = system.processes.map((child) => `${child.name} ${Math.round(rssBefore.get(child.name) ?? NaN)} → ${Math.round(rssMiB(child.child.pid))} MiB`);
      console.info(`gateway fuzz (${mode}): ${sent} requests sent in ${seconds} s, ${CONCURRENCY} at a time (seed ${SEED}); resident memory: ${memory.join(', ')}; replies: ${seen.join(', ')}`);
    }
    await system?.stop();
  });

  it('covers every operation of the table through each front it has', () => {
    expect(OPERATIONS.length).toBeGreaterThan(60);
    for (const operation of OPERATIONS) expect(operation.query || operation.rest !== undefined).toBe(true);
  });

  describe.each(OPERATIONS.map((operation, index) => [operation.name, operation, index] as const))('%s', (_name, operation, index) => {
    it(`answers junk and near-valid input with an AWS error, never a 500 or a hang (${isReadOnly(operation) ? 'reads' : 'writes'})`, async () => {
      await restoreScratch();
      const categories: Array<[string, () => fc.Arbitrary<FuzzRequest>]> = [];
      if (operation.query) {
        categories.push(['query/junk', () => queryJunk(operation)], ['query/near', () => queryNear(operation, world)]);
      }
      if (operation.rest) {
        categories.push(['rest/junk', () => restJunk(operation)], ['rest/near', () => restNear(operation, world)]);
      }
      const runs = Math.max(1, Math.round(RUNS / categories.length));
      for (const [offset, [category, arbitrary]] of categories.entries()) {
        const seed = (SEED + index * 8 + offset) | 0;
        const inputs = fc.sample(fc.tuple(arbitrary(), fc.constantFrom<'root' | 'admin'>('root', 'root', 'admin')), { seed, numRuns: runs });
        const failure = await firstFailure(inputs, CONCURRENCY, async ([request, as]) => {
          const reply = await send(request, as);
          tally(reply);
          const problem = problemWith(operation, request, reply);
          if (problem) throw new Error(`${problem}: ${reply.status} ${reply.text.slice(0, 600)}`);
        });
        if (failure) {
          const [example, as] = failure.input;
          throw new Error(
            [
              `${operation.name} ${category} (${mode}): ${failure.message}`,
              `  input: ${example.label.slice(0, 1000)}, signed as ${as}`,
              `  seed ${seed}, ${runs} inputs, ${CONCURRENCY} at a time`,
              `  replay: IAM_FUZZ_SEED=${SEED} IAM_FUZZ_RUNS=${RUNS} npx jest apps/system-e2e/src/gateway-fuzz -t '${mode}.*${operation.name} '`,
            ].join('\n'),
          );
        }
      }
    });
  });

  describe('afterwards', () => {
    it('is still healthy', async () => {
      const response = await fetch(`${system.base}/health`);
      expect(response.status).toBe(200);
    });

    it('still holds the seeded state exactly as it was', async () => {
      expect(await snapshot()).toEqual(before);
    });

    it(`kept every process's resident memory within ${RSS_GROWTH_BOUND_MIB} MiB of its size before the fuzzing`, () => {
      for (const child of system.processes) {
        const growth = rssMiB(child.child.pid) - (rssBefore.get(child.name) ?? NaN);
        expect({ name: child.name, bounded: growth < RSS_GROWTH_BOUND_MIB, growth: Math.round(growth) }).toEqual({ name: child.name, bounded: true, growth: expect.any(Number) });
      }
    });

    it('has lost no process, and no process logged an error', () => {
      for (const child of system.processes) {
        expect({ name: child.name, exitCode: child.child.exitCode, signal: child.child.signalCode }).toEqual({ name: child.name, exitCode: null, signal: null });
      }
      // A failed decision is denied (fail closed) and logged as a warning: for these callers it means an input broke the decision path.
      const errors = system.processes.flatMap((child) =>
        child.lines.filter((line) => /"level":"(error|fatal)"|unexpected error|failed; denying/.test(line)).map((line) => `${child.name}: ${line.slice(0, 2000)}`),
      );
      expect(errors).toEqual([]);
    });
  });
}
