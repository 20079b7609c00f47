import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthorizationPatterns, IamError, IdentityPatterns, type AuthorizeReply, type PolicySetEntry, type RequestContextValues, type UserPrincipal } from '@iam/contracts';
import { compilePolicy, createRequestContext, evaluate } from '@iam/policy-engine';
import { inProcessTransport, startStubService } from '@iam/testing';
import { json, startTestGateway } from '../../../test-support/harness';

const ACCOUNT = '123456789012';
const TOKEN = 'good-token-0000000';
const ALICE: UserPrincipal = {
  Type: 'user',
  AccountId: ACCOUNT,
  UserId: 'AIDAALICEALICEALICE0',
  UserName: 'alice',
  Path: '/',
  Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  Tags: [],
};
const BOB = { UserId: 'AIDABOBBOBBOBBOBBOB0', UserName: 'bob', Path: '/staff/', Arn: `arn:aws:iam::${ACCOUNT}:user/staff/bob`, State: 'active' as const, Tags: [], CreateDate: '2026-01-01T00:00:00Z' };
const ALLOWED = `arn:aws:iam::${ACCOUNT}:policy/Allowed`;
const OTHER = `arn:aws:iam::${ACCOUNT}:policy/Other`;

/**
 * Alice may detach one policy only (a Condition on iam:PolicyARN), and may read users only from
 * the office network (aws:SourceIp) and with MFA (which never holds here).
 */
const DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DetachOne', Effect: 'Allow', Action: 'iam:DetachUserPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/*`, Condition: { ArnEquals: { 'iam:PolicyARN': ALLOWED } } },
    { Sid: 'FromOffice', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Sid: 'WithMfa', Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
    { Sid: 'OwnTeam', Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } },
  ],
});
const POLICY: PolicySetEntry = {
  Kind: 'managed',
  PolicyType: 'user-managed',
  PolicyId: 'ANPADETACHONEXXXXXXXX',
  PolicyName: 'DetachOne',
  PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/DetachOne`,
  VersionId: 'v1',
  AttachedTo: [{ PrincipalType: 'user', PrincipalId: ALICE.UserId }],
  Document: DOCUMENT,
};

/** As the authorization service decides: the shared context, then the check's own keys over it. */
function decide(action: string, resource: string, context: RequestContextValues): AuthorizeReply {
  const decision = evaluate([compilePolicy(DOCUMENT, { id: POLICY.PolicyId })], { action, resource, context: createRequestContext(context) });
  if (decision.error) return { Decision: 'implicitDeny', MatchedStatements: [], MissingContextKeys: [], Error: decision.error.message };
  return { Decision: decision.decision, MatchedStatements: [], MissingContextKeys: [...decision.missingContextKeys] };
}

const entry = (ContextKeyName: string, value: string, ContextKeyType = 'string') => ({ ContextKeyName, ContextKeyValues: [value], ContextKeyType });

/**
 * `POST /v1/me/permissions` with a check's context entries, in a gateway deciding with the policy
 * engine: from the data plane's policy set, and (caches off) through the authorization service's
 * decision patterns. A decision on a button agrees with the call it stands for.
 */
describe.each([
  ['decided in the gateway (data plane)', true],
  ['decided by the authorization service (caches off)', false],
])('GetCallerPermissions with context entries, %s', (_mode, cached) => {
  let app: NestFastifyApplication;
  let url: string;
  const closers: Array<{ close(): Promise<unknown> }> = [];
  const detached: string[] = [];

  beforeAll(async () => {
    const transport = inProcessTransport();
    closers.push(
      await startStubService(transport, 'identity', {
        [IdentityPatterns.VerifySession]: (r) => {
          if (r.SessionToken !== TOKEN) throw new IamError('InvalidToken', 'The session token is not valid.');
          return { Principal: ALICE, Expiration: '2099-01-01T00:00:00Z', PasswordChangeOnly: false };
        },
        [IdentityPatterns.ResolveUser]: (r) => {
          const name = 'UserName' in r ? r.UserName?.toLowerCase() : undefined;
          if (name === 'bob') return BOB;
          if (name === 'alice') return { UserId: ALICE.UserId, UserName: 'alice', Path: '/', Arn: ALICE.Arn, State: 'active', Tags: [], CreateDate: '2026-01-01T00:00:00Z' };
          throw new IamError('NoSuchEntity', 'The user cannot be found.');
        },
      }),
      await startStubService(transport, 'authorization', {
        [AuthorizationPatterns.GetPolicySet]: () => ({ Groups: [], Policies: [POLICY] }),
        [AuthorizationPatterns.Authorize]: (r) => decide(r.Action, r.Resource, r.Context ?? {}),
        [AuthorizationPatterns.AuthorizeBatch]: (r) => ({ Results: r.Checks.map((check) => decide(check.Action, check.Resource, { ...r.Context, ...check.Context })) }),
        [AuthorizationPatterns.DetachUserPolicy]: (r) => {
          detached.push(r.PolicyArn);
          return {};
        },
      }),
    );
    ({ app, url } = await startTestGateway({ transport, ...(cached ? { cache: { leaseMs: 1200, ttlMs: 60_000, capacity: 1000, keyUseFlushMs: 50 } } : {}) }));
    // The replica joins (two beat intervals) before it answers from its caches.
    if (cached) await new Promise((resolve) => setTimeout(resolve, 600));
  });

  afterAll(async () => {
    await app?.close();
    for (const closer of closers) await closer.close();
  });

  const session = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const permissions = (Checks: unknown[]) => fetch(`${url}/v1/me/permissions`, { method: 'POST', headers: session, body: JSON.stringify({ Checks }) });
  const detach = (policyArn: string) => fetch(`${url}/v1/users/bob/attached-policies/${encodeURIComponent(policyArn)}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
  const detachCheck = (policyArn?: string) => ({
    Action: 'iam:DetachUserPolicy',
    Resource: BOB.Arn,
    ...(policyArn ? { ContextEntries: [entry('iam:PolicyARN', policyArn)] } : {}),
  });

  it('decides a button that depends on iam:PolicyARN as the call it stands for is decided', async () => {
    const response = await permissions([detachCheck(ALLOWED), detachCheck(OTHER), detachCheck()]);
    expect(response.status).toBe(200);
    expect((await json(response)).Results).toEqual([
      { Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, Decision: 'allowed', MissingContextKeys: [] },
      { Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, Decision: 'implicitDeny', MissingContextKeys: [] },
      // Without the policy's ARN the decision is not final: the key it depends on is named.
      { Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, Decision: 'implicitDeny', MissingContextKeys: ['iam:PolicyARN'] },
    ]);
    // The calls themselves: the allowed one reaches the service, the other is refused.
    expect((await detach(ALLOWED)).status).toBe(204);
    const refused = await detach(OTHER);
    expect(refused.status).toBe(403);
    expect((await json(refused)).code).toBe('AccessDenied');
    expect(detached).toEqual([ALLOWED]);
  });

  it('takes a key in any letter case', async () => {
    const response = await permissions([
      { Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, ContextEntries: [entry('IAM:policyarn', ALLOWED)] },
      { Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, ContextEntries: [entry('Iam:PolicyArn', OTHER)] },
    ]);
    expect((await json(response)).Results.map((r: { Decision: string }) => r.Decision)).toEqual(['allowed', 'implicitDeny']);
  });

  it.each([
    ['aws:SourceIp', entry('aws:SourceIp', '10.1.2.3', 'ip'), 'iam:GetUser'],
    ['aws:SourceIp in another letter case', entry('AWS:SOURCEIP', '10.1.2.3', 'ip'), 'iam:GetUser'],
    ['aws:MultiFactorAuthPresent', entry('aws:MultiFactorAuthPresent', 'true', 'boolean'), 'iam:ListUsers'],
    ['aws:CurrentTime', entry('aws:CurrentTime', '2020-01-01T00:00:00Z', 'date'), 'iam:ListUsers'],
    ['aws:username', entry('aws:username', 'root', 'string'), 'iam:ListUsers'],
    ['aws:PrincipalTag/…', entry('aws:PrincipalTag/team', 'blue'), 'iam:ListUsers'],
    ['aws:ResourceTag/… (read from the resource)', entry('aws:ResourceTag/team', 'blue'), 'iam:TagUser'],
    ['iam:ResourceTag/… (read from the resource)', entry('iam:ResourceTag/team', 'blue'), 'iam:TagUser'],
  ])('refuses a key the server sets itself (%s) with InvalidInput, deciding nothing', async (_name, given, action) => {
    const response = await permissions([{ Action: action, Resource: BOB.Arn, ContextEntries: [given] }]);
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.code).toBe('InvalidInput');
    expect(body.message).toContain(given.ContextKeyName);
    // Without it, the caller is not allowed.
    expect((await json(await permissions([{ Action: action, Resource: BOB.Arn }]))).Results[0].Decision).toBe('implicitDeny');
  });

  it('refuses malformed context entries with AWS error codes', async () => {
    const refused = async (ContextEntries: unknown[]) => json(await permissions([{ Action: 'iam:DetachUserPolicy', Resource: BOB.Arn, ContextEntries }]));
    // A key given twice (keys are case-insensitive), a scalar type with two values, a value not of its type.
    expect((await refused([entry('iam:PolicyARN', ALLOWED), entry('IAM:PolicyArn', OTHER)])).code).toBe('InvalidInput');
    expect((await refused([{ ContextKeyName: 'iam:PolicyARN', ContextKeyValues: [ALLOWED, OTHER], ContextKeyType: 'string' }])).code).toBe('InvalidInput');
    expect((await refused([entry('s3:max-keys', 'many', 'numeric')])).code).toBe('InvalidInput');
    // What the shape refuses: an unknown type, a missing member, a key name too short, too many entries.
    expect((await refused([entry('iam:PolicyARN', ALLOWED, 'arn')])).code).toBe('ValidationError');
    expect((await refused([{ ContextKeyName: 'iam:PolicyARN', ContextKeyType: 'string' }])).code).toBe('ValidationError');
    expect((await refused([entry('a:b', 'x')])).code).toBe('ValidationError');
    expect((await refused(Array.from({ length: 21 }, (_, n) => entry(`test:key${n}`, 'x')))).code).toBe('ValidationError');
  });
});
