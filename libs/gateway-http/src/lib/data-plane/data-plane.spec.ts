import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { deriveSigningKey } from '@iam/aws-protocol';
import { AuthorizationPatterns, DirectoryPatterns, IamError, IdentityPatterns, type PolicySetEntry, type UserPrincipal } from '@iam/contracts';
import { inProcessTransport, signedHeaders, startStubService } from '@iam/testing';
import { json, startTestGateway } from '../../test-support/harness';
import { Dependency } from './coherence';
import { DataPlane, sessionDigest } from './data-plane';

const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIAALICEALICEALICE0', secretAccessKey: 'alice-secret-alice-secret-alice-secret-00' };
const ALICE: UserPrincipal = {
  Type: 'user',
  AccountId: ACCOUNT,
  UserId: 'AIDAALICEALICEALICE0',
  UserName: 'alice',
  Path: '/',
  Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  Tags: [],
};
const LEASE_MS = 1200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function managed(name: string, statements: unknown[]): PolicySetEntry {
  return {
    Kind: 'managed',
    PolicyType: 'user-managed',
    PolicyId: `ANPA${name.toUpperCase().padEnd(17, 'X')}`,
    PolicyName: name,
    PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    VersionId: 'v1',
    AttachedTo: [{ PrincipalType: 'group', PrincipalId: 'AGPADEVS', GroupName: 'Devs' }],
    Document: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  };
}

const READ = managed('Read', [{ Sid: 'Read', Effect: 'Allow', Action: ['iam:GetUser', 'iam:SimulatePrincipalPolicy'], Resource: '*' }]);
const DENY = managed('NoRead', [{ Effect: 'Deny', Action: 'iam:GetUser', Resource: '*' }]);

/**
 * The data plane in one gateway over the in-process bus, with identity and authorization faked at
 * their contract: what is read from them once, what is decided in process, what a change drops.
 */
describe('DataPlane: authentication and decisions from coherent caches', () => {
  let app: NestFastifyApplication;
  let url: string;
  let dataPlane: DataPlane;
  const closers: Array<{ close(): Promise<unknown> }> = [];
  const calls: string[] = [];
  const uses: unknown[] = [];
  let policies: PolicySetEntry[] = [READ];
  /** How many of the next key-use reports identity refuses as unavailable. */
  let unavailableReports = 0;

  beforeAll(async () => {
    const transport = inProcessTransport();
    const seen = (pattern: string) => calls.push(pattern);
    closers.push(
      await startStubService(transport, 'identity', {
        [IdentityPatterns.GetSigningKey]: (r) => {
          seen(IdentityPatterns.GetSigningKey);
          if (r.AccessKeyId !== KEY.accessKeyId) throw new IamError('InvalidClientTokenId', 'The security token included in the request is invalid.');
          return { SigningKey: deriveSigningKey(KEY.secretAccessKey, r.Scope.Date, r.Scope.Region, r.Scope.Service).toString('hex'), Principal: ALICE };
        },
        [IdentityPatterns.VerifySession]: (r) => {
          seen(IdentityPatterns.VerifySession);
          if (r.SessionToken !== 'good-token-0000000') throw new IamError('InvalidToken', 'The session token is not valid.');
          return { Principal: ALICE, Expiration: '2099-01-01T00:00:00Z', PasswordChangeOnly: false };
        },
        [IdentityPatterns.GetUser]: () => {
          seen(IdentityPatterns.GetUser);
          return { User: { UserId: ALICE.UserId, UserName: 'alice', Path: '/', Arn: ALICE.Arn, Tags: [], CreateDate: '2026-01-01T00:00:00Z' } };
        },
        [IdentityPatterns.ResolveUser]: () => {
          seen(IdentityPatterns.ResolveUser);
          return { UserId: ALICE.UserId, UserName: 'alice', Path: '/', Arn: ALICE.Arn, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' };
        },
        [IdentityPatterns.RecordAccessKeyUse]: (r) => {
          if (unavailableReports > 0) {
            unavailableReports--;
            throw new IamError('ServiceUnavailable', 'The identity service is unavailable: overloaded.');
          }
          uses.push(...r.Uses);
          return {};
        },
      }),
      await startStubService(transport, 'directory', {
        [DirectoryPatterns.ResolveGroup]: (r) => {
          seen(DirectoryPatterns.ResolveGroup);
          const name = 'GroupName' in r ? r.GroupName : '';
          if (name.toLowerCase() !== 'devs') throw new IamError('NoSuchEntity', `The group with name ${name} cannot be found.`);
          return { GroupId: 'AGPADEVS', GroupName: 'Devs', Path: '/team/', Arn: `arn:aws:iam::${ACCOUNT}:group/team/Devs` };
        },
      }),
      await startStubService(transport, 'authorization', {
        [AuthorizationPatterns.GetPolicySet]: (r) => {
          seen(AuthorizationPatterns.GetPolicySet);
          expect(r.Principal).toEqual({ Type: 'user', UserId: ALICE.UserId });
          return { Groups: [{ GroupId: 'AGPADEVS', GroupName: 'Devs' }], Policies: policies };
        },
      }),
    );
    ({ app, url } = await startTestGateway({ transport, cache: { leaseMs: LEASE_MS, ttlMs: 60_000, capacity: 1000, keyUseFlushMs: 50 } }));
    dataPlane = app.get(DataPlane);
    // The replica joins (two beat intervals) before it answers from its caches.
    await sleep(LEASE_MS / 2);
  });

  afterAll(async () => {
    await app?.close();
    for (const closer of closers) await closer.close();
  });

  beforeEach(async () => {
    policies = [READ];
    await dataPlane.invalidate({ all: true, keys: [] });
    calls.length = 0;
  });

  const body = 'Action=GetUser&Version=2010-05-08';
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const getUser = async () => {
    const headers = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: form });
    return fetch(`${url}/`, { method: 'POST', headers, body });
  };

  it('reads a key and a policy set once, then checks signatures and decides without the services', async () => {
    for (let i = 0; i < 5; i++) expect((await getUser()).status).toBe(200);
    expect(calls.filter((c) => c === IdentityPatterns.GetSigningKey)).toHaveLength(1);
    expect(calls.filter((c) => c === AuthorizationPatterns.GetPolicySet)).toHaveLength(1);
    // Only the operation itself crosses the bus.
    expect(calls.filter((c) => c === IdentityPatterns.GetUser)).toHaveLength(5);
  });

  it('refuses a request changed after signing with the cached key, and an unknown key', async () => {
    expect((await getUser()).status).toBe(200);
    const headers = await signedHeaders(`${url}/`, KEY, { method: 'POST', body, headers: form });
    const tampered = await fetch(`${url}/`, { method: 'POST', headers, body: body.replace('GetUser', 'ListUsers') });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const unknown = await signedHeaders(`${url}/`, { ...KEY, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' }, { method: 'POST', body, headers: form });
    const refused = await fetch(`${url}/`, { method: 'POST', headers: unknown, body });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('keeps a policy set until a change names it, then decides on the new one', async () => {
    expect((await getUser()).status).toBe(200);
    policies = [READ, DENY];
    // Nothing named it: still the set read before (this is what the invalidation is for).
    expect((await getUser()).status).toBe(200);
    await dataPlane.invalidate({ keys: [Dependency.groupName('devs')] });
    const denied = await getUser();
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('with an explicit deny in an identity-based policy');
    expect(calls.filter((c) => c === AuthorizationPatterns.GetPolicySet)).toHaveLength(2);
    // A policy ARN in any letter case drops it too.
    policies = [READ];
    await dataPlane.invalidate({ keys: [Dependency.policyArn(`ARN:AWS:IAM::${ACCOUNT}:POLICY/NOREAD`)] });
    expect((await getUser()).status).toBe(200);
  });

  it('drops a signing key when its key or user is named', async () => {
    await getUser();
    await dataPlane.invalidate({ keys: [Dependency.accessKey(KEY.accessKeyId)] });
    await getUser();
    await dataPlane.invalidate({ keys: [Dependency.userName('ALICE')] });
    await getUser();
    expect(calls.filter((c) => c === IdentityPatterns.GetSigningKey)).toHaveLength(3);
  });

  it('reads a group by name once, whatever the case, until a change names it; an unknown group each time', async () => {
    const resolves = () => calls.filter((c) => c === DirectoryPatterns.ResolveGroup).length;
    expect(await dataPlane.group('devs')).toMatchObject({ GroupName: 'Devs', Arn: `arn:aws:iam::${ACCOUNT}:group/team/Devs` });
    expect((await dataPlane.group('devs')).GroupId).toBe('AGPADEVS');
    expect(resolves()).toBe(1);
    await dataPlane.invalidate({ keys: [Dependency.groupName('DEVS')] });
    await dataPlane.group('devs');
    expect(resolves()).toBe(2);
    for (let i = 0; i < 2; i++) await expect(dataPlane.group('ops')).rejects.toMatchObject({ code: 'NoSuchEntity' });
    expect(resolves()).toBe(4);
  });

  it('answers /v1/authorize from the caches, with the statements that decided, as Authorize would', async () => {
    const session = { authorization: 'Bearer good-token-0000000', 'content-type': 'application/json' };
    const ask = () =>
      fetch(`${url}/v1/authorize`, { method: 'POST', headers: session, body: JSON.stringify({ Principal: 'alice', Action: 'iam:GetUser', Resource: ALICE.Arn }) });
    const first = await ask();
    expect(first.status).toBe(200);
    expect(await json(first)).toMatchObject({
      Principal: ALICE.Arn,
      Decision: 'allowed',
      MatchedStatements: [{ PolicyName: 'Read', PolicyArn: READ.PolicyArn, VersionId: 'v1', Sid: 'Read', StatementIndex: 0, Effect: 'Allow' }],
      MissingContextKeys: [],
    });
    calls.length = 0;
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    expect(calls).toEqual([]);
    // Signing out drops the session (by its digest, never the token itself).
    await dataPlane.invalidate({ keys: [Dependency.session(sessionDigest('good-token-0000000'))] });
    await ask();
    expect(calls).toEqual([IdentityPatterns.VerifySession]);
  });

  it('reports the uses of keys it verified to identity', async () => {
    // Earlier specs' uses may still be reported: only those of this request count.
    const started = Date.now();
    await getUser();
    const ours = () => uses.filter((use) => Date.parse((use as { At: string }).At) >= started);
    for (let waited = 0; ours().length === 0 && waited < 5_000; waited += 50) await sleep(50);
    expect(ours()).toEqual([{ AccessKeyId: KEY.accessKeyId, At: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), Service: 'iam', Region: 'us-east-1' }]);
  });

  it('keeps the uses identity could not take while unavailable, and reports them next time', async () => {
    const started = Date.now();
    unavailableReports = 1;
    await getUser();
    const ours = () => uses.filter((use) => Date.parse((use as { At: string }).At) >= started);
    for (let waited = 0; ours().length === 0 && waited < 5_000; waited += 50) await sleep(50);
    expect(unavailableReports).toBe(0);
    expect(ours()).toEqual([expect.objectContaining({ AccessKeyId: KEY.accessKeyId })]);
  });
});
