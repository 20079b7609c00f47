import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithServices, officialSigner } from '@iam/testing';
import {
  ACCOUNT,
  type Credentials,
  type Driver,
  expectOk,
  type Outcome,
  restDriver,
  sdkDriver,
  signedFetch,
  startDistributedSystem,
  type RunningSystem,
} from './support/gateway';
import { freePort, startApp, waitForStatus } from './support/processes';

jest.setTimeout(600_000);

/**
 * The privilege-escalation matrix: users with limited policies try every route to more power
 * they could take, through the AWS Query API (the AWS SDK) and the REST API, one at a time and
 * then all at once; every attempt is refused and, read back as root afterwards, nothing changed.
 * With it, the defects the matrix found: a signature replayed on a path with dot segments,
 * GetAccessKeyLastUsed naming a key's owner, and the user overview showing policy documents
 * the caller may not read.
 */

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
const READ_ONLY = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
/** The account of the system under test (the embedded default makes its own). */
let account = ACCOUNT;
const teamPolicy = () => `arn:aws:iam::${account}:policy/team-p`;
/** Text only the documents of bob's and the admins' policies hold: never in a limited user's reply. */
const SECRET = 'secretmarker';

const allow = (actions: string[], resource: string | string[] = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });

/** The limited users and what their policies allow. */
const LIMITED: Record<string, { describe: string; policies: Array<{ inline?: () => string; managed?: string }> }> = {
  'esc-self': {
    describe: 'own keys and password only',
    policies: [
      {
        inline: () => allow(
          ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:UpdateAccessKey', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:ChangePassword', 'iam:GetUser'],
          `arn:aws:iam::${account}:user/\${aws:username}`,
        ),
      },
    ],
  },
  'esc-manager': {
    describe: 'manager of the /team/ group path',
    policies: [{ inline: () => allow(['iam:AddUserToGroup', 'iam:RemoveUserFromGroup', 'iam:GetGroup', 'iam:ListAttachedGroupPolicies'], `arn:aws:iam::${account}:group/team/*`) }],
  },
  'esc-reader': { describe: 'read-only (IAMReadOnlyAccess)', policies: [{ managed: READ_ONLY }] },
  'esc-password': { describe: 'IAMUserChangePassword only', policies: [{ managed: CHANGE_PASSWORD }] },
  'esc-viewer': {
    describe: 'user views without policy reads (GetUser, ListGroupsForUser, SimulatePrincipalPolicy)',
    policies: [{ inline: () => allow(['iam:GetUser', 'iam:ListUsers', 'iam:ListGroupsForUser', 'iam:SimulatePrincipalPolicy']) }],
  },
};

interface Attempt {
  route: string;
  action: string;
  params: (self: string) => Record<string, unknown>;
  /** Only through REST (the operation has no Query action). */
  restOnly?: boolean;
}

/** Every route to more power the matrix tries, as each limited user. */
const ATTEMPTS: Attempt[] = [
  { route: 'attach AdministratorAccess to self', action: 'AttachUserPolicy', params: (self) => ({ UserName: self, PolicyArn: ADMIN }) },
  { route: 'attach AdministratorAccess to own group', action: 'AttachGroupPolicy', params: () => ({ GroupName: 'team-g', PolicyArn: ADMIN }) },
  { route: 'add self to admins', action: 'AddUserToGroup', params: (self) => ({ GroupName: 'esc-admins', UserName: self }) },
  { route: 'inline policy on self', action: 'PutUserPolicy', params: (self) => ({ UserName: self, PolicyName: 'grab', PolicyDocument: allow(['*']) }) },
  { route: 'inline policy on own group', action: 'PutGroupPolicy', params: () => ({ GroupName: 'team-g', PolicyName: 'grab', PolicyDocument: allow(['*']) }) },
  {
    route: 'new default version of a policy attached to them',
    action: 'CreatePolicyVersion',
    params: () => ({ PolicyArn: teamPolicy(), PolicyDocument: allow(['*']), SetAsDefault: true }),
  },
  { route: 'set an old version as default', action: 'SetDefaultPolicyVersion', params: () => ({ PolicyArn: teamPolicy(), VersionId: 'v1' }) },
  { route: 'access key for another user', action: 'CreateAccessKey', params: () => ({ UserName: 'esc-bob' }) },
  { route: 'login profile for another user', action: 'CreateLoginProfile', params: () => ({ UserName: 'esc-bob', Password: 'Esc-Takeover-Passw0rd!' }) },
  { route: "change another user's password", action: 'UpdateLoginProfile', params: () => ({ UserName: 'esc-admin', Password: 'Esc-Takeover-Passw0rd!' }) },
  { route: 'rename self to an admin name', action: 'UpdateUser', params: (self) => ({ UserName: self, NewUserName: 'esc-admin2' }) },
  { route: 'rename another user to own name', action: 'UpdateUser', params: (self) => ({ UserName: 'esc-bob', NewUserName: `${self}x` }) },
  { route: 'delete another user', action: 'DeleteUser', params: () => ({ UserName: 'esc-bob' }) },
  { route: 'remove the admin from admins', action: 'RemoveUserFromGroup', params: () => ({ GroupName: 'esc-admins', UserName: 'esc-admin' }) },
  { route: "detach the admins' AdministratorAccess", action: 'DetachGroupPolicy', params: () => ({ GroupName: 'esc-admins', PolicyArn: ADMIN }) },
  { route: 'act on root: a password policy for the account', action: 'UpdateAccountPasswordPolicy', params: () => ({ MinimumPasswordLength: 6 }) },
  { route: 'act on root: its credential report', action: 'GetCredentialReport', params: () => ({}) },
  { route: 'read policies: authorization details', action: 'GetAccountAuthorizationDetails', params: () => ({}) },
  { route: "read policies: bob's inline document", action: 'GetUserPolicy', params: () => ({ UserName: 'esc-bob', PolicyName: 'bob-secret' }) },
  { route: 'ask /v1/authorize about another user', action: 'Authorize', params: () => ({ Principal: 'esc-bob', Action: 'iam:DeleteUser', Resource: '*' }), restOnly: true },
  { route: 'ask /v1/authorize about root', action: 'Authorize', params: () => ({ Principal: `arn:aws:iam::${account}:root`, Action: 'iam:DeleteUser', Resource: '*' }), restOnly: true },
  { route: 'ask who-can', action: 'WhoCan', params: () => ({ ActionName: 'iam:DeleteUser', ResourceArn: '*' }), restOnly: true },
  { route: 'simulate another user', action: 'SimulatePrincipalPolicy', params: () => ({ PolicySourceArn: `arn:aws:iam::${account}:user/esc-admin`, ActionNames: ['iam:DeleteUser'] }) },
];

/**
 * What a limited user may legitimately do among the attempts, because its policy says so: the
 * read-only user reads everything (GetUserPolicy, authorization details, the credential report,
 * simulations, /v1/authorize and who-can, which need iam:SimulatePrincipalPolicy and
 * iam:GetAccountAuthorizationDetails), the viewer simulates. None of it changes anything (the
 * check afterwards proves it); everything else is refused.
 */
const LEGITIMATE: Record<string, ReadonlySet<string>> = {
  'esc-reader': new Set(['GetAccountAuthorizationDetails', 'GetUserPolicy', 'GetCredentialReport', 'SimulatePrincipalPolicy', 'Authorize', 'WhoCan']),
  'esc-viewer': new Set(['SimulatePrincipalPolicy', 'Authorize']),
};

/** Sends a request whose path is taken as given (fetch would normalise dot segments away). */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers of a SigV4 signature made for `method path` (no body). */
async function signatureFor(base: string, credentials: Credentials, method: string, path: string): Promise<Record<string, string>> {
  const url = new URL(base);
  const signed = await officialSigner(credentials).sign({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host } });
  return signed.headers as Record<string, string>;
}

interface System {
  base: string;
  root: Credentials;
  stop(): Promise<void>;
}

async function startEmbedded(): Promise<System> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iam-gateway-security-'));
  const port = await freePort();
  const app = startApp('standalone', { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', CI: '', PORT: String(port), IAM_DATA_DIR: dataDir, IAM_ACCOUNT_ID: ACCOUNT });
  const base = `http://127.0.0.1:${port}`;
  await waitForStatus(`${base}/health`, 200, 120_000);
  const root = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as Credentials;
  return {
    base,
    root,
    stop: async () => {
      await app.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startDistributed(): Promise<System> {
  const system: RunningSystem = await startDistributedSystem();
  return { base: system.base, root: system.root, stop: () => system.stop() };
}

function securitySuite(mode: string, start: () => Promise<System>): void {
  let system: System;
  let rest: Driver;
  let query: Driver;
  const keys: Record<string, Credentials> = {};
  let bobKeyId: string;
  const ok = (action: string, params: Record<string, unknown> = {}) => expectOk(rest(system.root, action, params));

  /** Everything the attempts could change, read back as root. */
  async function state(): Promise<unknown> {
    const users = ['esc-bob', 'esc-admin', ...Object.keys(LIMITED)];
    const read: Record<string, unknown> = {};
    read['users'] = ((await ok('ListUsers')) as { Users: Array<{ UserName: string; Arn: string }> }).Users.map((u) => u.Arn).sort();
    for (const UserName of users) {
      read[`${UserName} groups`] = ((await ok('ListGroupsForUser', { UserName })) as { Groups: Array<{ GroupName: string }> }).Groups.map((g) => g.GroupName).sort();
      read[`${UserName} attached`] = await ok('ListAttachedUserPolicies', { UserName });
      read[`${UserName} inline`] = await ok('ListUserPolicies', { UserName });
      read[`${UserName} keys`] = ((await ok('ListAccessKeys', { UserName })) as { AccessKeyMetadata: Array<{ AccessKeyId: string; Status: string }> }).AccessKeyMetadata.map(
        (k) => `${k.AccessKeyId}:${k.Status}`,
      );
      const profile = await rest(system.root, 'GetLoginProfile', { UserName });
      read[`${UserName} login profile`] = profile.ok ? profile.result : (profile as { code: string }).code;
    }
    for (const GroupName of ['esc-admins', 'team-g']) {
      read[`${GroupName} members`] = ((await ok('GetGroup', { GroupName })) as { Users: Array<{ UserName: string }> }).Users.map((u) => u.UserName).sort();
      read[`${GroupName} attached`] = await ok('ListAttachedGroupPolicies', { GroupName });
      read[`${GroupName} inline`] = await ok('ListGroupPolicies', { GroupName });
    }
    read['team-p versions'] = ((await ok('ListPolicyVersions', { PolicyArn: teamPolicy() })) as { Versions: Array<{ VersionId: string; IsDefaultVersion: boolean }> }).Versions.map(
      (v) => `${v.VersionId}:${v.IsDefaultVersion}`,
    );
    const policy = await rest(system.root, 'GetAccountPasswordPolicy', {});
    read['password policy'] = policy.ok ? policy.result : (policy as { code: string }).code;
    return read;
  }

  let before: unknown;

  beforeAll(async () => {
    system = await start();
    rest = restDriver(system.base);
    query = sdkDriver(system.base);
    account = /^arn:aws:iam::(\d{12}):root$/.exec(String(((await ok('GetUser')) as { User: { Arn: string } }).User.Arn))?.[1] ?? ACCOUNT;
    // The credential report exists, so the reader's legitimate GetCredentialReport is answered (AWS: ReportNotPresent before).
    await ok('GenerateCredentialReport');
    await ok('CreateUser', { UserName: 'esc-bob' });
    await ok('PutUserPolicy', { UserName: 'esc-bob', PolicyName: 'bob-secret', PolicyDocument: allow([`s3:${SECRET}`]) });
    bobKeyId = ((await ok('CreateAccessKey', { UserName: 'esc-bob' })) as { AccessKey: { AccessKeyId: string } }).AccessKey.AccessKeyId;
    await ok('CreateUser', { UserName: 'esc-admin' });
    await ok('CreateLoginProfile', { UserName: 'esc-admin', Password: 'Esc-Admin-Passw0rd!' });
    await ok('CreateGroup', { GroupName: 'esc-admins' });
    await ok('AttachGroupPolicy', { GroupName: 'esc-admins', PolicyArn: ADMIN });
    await ok('PutGroupPolicy', { GroupName: 'esc-admins', PolicyName: 'admins-secret', PolicyDocument: allow([`s3:${SECRET}`]) });
    await ok('AddUserToGroup', { GroupName: 'esc-admins', UserName: 'esc-admin' });
    await ok('AddUserToGroup', { GroupName: 'esc-admins', UserName: 'esc-bob' });
    await ok('CreateGroup', { GroupName: 'team-g', Path: '/team/' });
    await ok('CreatePolicy', { PolicyName: 'team-p', PolicyDocument: allow(['s3:ListBucket']) });
    await ok('CreatePolicyVersion', { PolicyArn: teamPolicy(), PolicyDocument: allow(['s3:ListAllMyBuckets']), SetAsDefault: true });
    await ok('AttachGroupPolicy', { GroupName: 'team-g', PolicyArn: teamPolicy() });
    for (const [UserName, spec] of Object.entries(LIMITED)) {
      await ok('CreateUser', { UserName });
      await ok('AddUserToGroup', { GroupName: 'team-g', UserName });
      await ok('AttachUserPolicy', { UserName, PolicyArn: teamPolicy() });
      for (const [n, policy] of spec.policies.entries()) {
        if (policy.inline) await ok('PutUserPolicy', { UserName, PolicyName: `own-${n}`, PolicyDocument: policy.inline() });
        if (policy.managed) await ok('AttachUserPolicy', { UserName, PolicyArn: policy.managed });
      }
      const key = (await ok('CreateAccessKey', { UserName })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
      keys[UserName] = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
    }
    before = await state();
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Runs one attempt and checks it was refused (or, for what the user may legitimately read, leaked no document it may not read). */
  async function attempt(user: string, front: 'query' | 'rest', a: Attempt): Promise<void> {
    const outcome: Outcome = await (front === 'query' ? query : rest)(keys[user], a.action, a.params(user));
    const label = `${user} (${LIMITED[user].describe}) via ${front}: ${a.route}`;
    if (LEGITIMATE[user]?.has(a.action)) {
      if (!outcome.ok) throw new Error(`${label}: a legitimate read failed with ${outcome.code}: ${outcome.message}`);
      return;
    }
    if (outcome.ok) throw new Error(`${label}: ALLOWED (${JSON.stringify(outcome.result).slice(0, 300)})`);
    if (outcome.code !== 'AccessDenied') throw new Error(`${label}: refused with ${outcome.code} instead of AccessDenied: ${outcome.message}`);
    if (outcome.status !== undefined) expect(outcome.status).toBe(403);
  }

  const cases = Object.keys(LIMITED).flatMap((user) =>
    (['query', 'rest'] as const).flatMap((front) => ATTEMPTS.filter((a) => front === 'rest' || !a.restOnly).map((a) => [user, front, a] as const)),
  );

  describe.each(Object.keys(LIMITED))('%s', (user) => {
    it.each(ATTEMPTS.map((a) => [a.route, a] as const))('is refused: %s, through both fronts', async (_route, a) => {
      await attempt(user, 'rest', a);
      if (!a.restOnly) await attempt(user, 'query', a);
    });
  });

  /** How many attempts are in flight at once in the concurrent round: many, within what a loaded two-core machine answers inside the bus timeout. */
  const IN_FLIGHT = 24;

  it(`refuses every attempt again when all ${cases.length * 2} are made concurrently, ${IN_FLIGHT} at a time`, async () => {
    const queue = [...cases, ...cases];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const [user, front, a] = queue[next++];
        await attempt(user, front, a).catch((error: unknown) => failures.push(String((error as Error).message)));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(failures).toEqual([]);
  });

  it("shows no policy document through the user overview to a user who may not read it, and says what it left out", async () => {
    const response = await signedFetch(system.base, keys['esc-viewer'], { method: 'GET', path: '/v1/users/esc-bob/overview' });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const view = JSON.parse(text) as { User: { UserName: string }; Groups?: unknown[]; EffectivePermissions?: unknown[]; Omitted: Array<{ Part: string; Action: string }> };
    expect(view.User.UserName).toBe('esc-bob');
    expect(view.Groups).toHaveLength(1);
    expect(view.EffectivePermissions).toEqual([]);
    expect(view.Omitted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Part: 'AccessKeys', Action: 'iam:ListAccessKeys' }),
        expect.objectContaining({ Part: 'EffectivePermissions', Action: 'iam:GetUserPolicy' }),
        expect.objectContaining({ Part: 'EffectivePermissions', Action: 'iam:GetGroupPolicy' }),
        expect.objectContaining({ Part: 'EffectivePermissions', Action: 'iam:GetPolicyVersion' }),
      ]),
    );
    const asRoot = await signedFetch(system.base, system.root, { method: 'GET', path: '/v1/users/esc-bob/overview' });
    const full = (await asRoot.json()) as { Omitted: unknown[] };
    expect(JSON.stringify(full)).toContain(SECRET);
    expect(full.Omitted).toEqual([]);
    const denied = await signedFetch(system.base, keys['esc-password'], { method: 'GET', path: '/v1/users/esc-bob/overview' });
    expect(denied.status).toBe(403);
  });

  it('refuses a signature for DELETE /v1/users/esc-bob replayed on /v1/users/esc-bob/policies/.. (400), and esc-bob still exists', async () => {
    const headers = await signatureFor(system.base, system.root, 'DELETE', '/v1/users/esc-bob');
    for (const path of ['/v1/users/esc-bob/policies/..', '/v1/users/esc-bob/policies/%2e%2e', '/v1/users/esc-bob/./policies/bob-secret/..']) {
      const replay = await rawRequest(system.base, 'DELETE', path, headers);
      expect({ path, status: replay.status, code: (JSON.parse(replay.text) as { code: string }).code }).toEqual({ path, status: 400, code: 'ValidationError' });
    }
    const viaQuery = await rawRequest(system.base, 'POST', '/x/..', {});
    expect(viaQuery.status).toBe(400);
    expect(viaQuery.text).toContain('<Code>ValidationError</Code>');
    await ok('GetUser', { UserName: 'esc-bob' });
    await ok('GetUserPolicy', { UserName: 'esc-bob', PolicyName: 'bob-secret' });
  });

  it("refuses a limited user's own signature replayed on another user's path", async () => {
    const headers = await signatureFor(system.base, keys['esc-self'], 'GET', '/v1/users/esc-self');
    const replay = await rawRequest(system.base, 'GET', '/v1/users/esc-self/../esc-bob', headers);
    expect(replay.status).toBe(400);
    const moved = await rawRequest(system.base, 'GET', '/v1/users/esc-bob', headers);
    expect(moved.status).toBe(403);
    expect((JSON.parse(moved.text) as { code: string }).code).toBe('SignatureDoesNotMatch');
  });

  it("answers GetAccessKeyLastUsed of another user's key exactly as of an unknown key, naming no owner, through both fronts", async () => {
    for (const driver of [rest, query]) {
      const owned = await driver(keys['esc-self'], 'GetAccessKeyLastUsed', { AccessKeyId: bobKeyId });
      const unknown = await driver(keys['esc-self'], 'GetAccessKeyLastUsed', { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' });
      expect(owned.ok || unknown.ok).toBe(false);
      const o = owned as { code: string; message: string };
      const u = unknown as { code: string; message: string };
      expect([o.code, u.code]).toEqual(['AccessDenied', 'AccessDenied']);
      expect(o.message).not.toContain('esc-bob');
      expect(o.message.replace(bobKeyId, 'KEY')).toBe(u.message.replace('AKIAUNKNOWNUNKNOWN00', 'KEY'));
    }
    const own = await rest(keys['esc-self'], 'GetAccessKeyLastUsed', { AccessKeyId: keys['esc-self'].accessKeyId });
    expect(own.ok).toBe(true);
  });

  it('has changed nothing: every entity the attempts aimed at reads back as it was', async () => {
    expect(await state()).toEqual(before);
  });
}

describe(`privilege escalation (embedded default)`, () => securitySuite('embedded', startEmbedded));
describeWithServices('privilege escalation (distributed)', () => securitySuite('distributed', startDistributed));
