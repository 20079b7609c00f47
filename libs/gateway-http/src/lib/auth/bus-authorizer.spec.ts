import { AUTHORIZE_BATCH_MAX_CHECKS, AuthorizationPatterns, IamError, type AuthorizeReply, type AuthorizeRequest } from '@iam/contracts';
import { inProcessTransport, startStubService, testBusClient } from '@iam/testing';
import { ROOT, userCaller } from '../../test-support/harness';
import type { RequestInfo } from '../application/request-info';
import type { GatewayOptions } from '../gateway.options';
import { BusAuthorizer } from './bus-authorizer';

const request: RequestInfo = {
  requestId: 'req-1',
  method: 'POST',
  path: '/',
  rawQuery: '',
  headers: {},
  body: Buffer.alloc(0),
  sourceIp: '203.0.113.9',
  secure: true,
  userAgent: 'aws-cli/1.45',
};
const now = new Date('2026-11-28T01:02:03.456Z');
const check = { action: 'iam:CreateUser', resource: 'arn:aws:iam::123456789012:user/bob', context: { 'aws:RequestTag/team': 'blue', 'aws:TagKeys': ['team'] } };

describe('BusAuthorizer: the decision pattern for every check', () => {
  const closers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()?.close();
  });

  async function authorizerAnswering(answer: (r: AuthorizeRequest) => AuthorizeReply | Promise<AuthorizeReply>) {
    const transport = inProcessTransport();
    const seen: AuthorizeRequest[] = [];
    const messages: string[] = [];
    closers.push(
      await startStubService(transport, 'authorization', {
        [AuthorizationPatterns.Authorize]: (r) => {
          messages.push(AuthorizationPatterns.Authorize);
          seen.push(r);
          return answer(r);
        },
        // As the service does: each check decided as Authorize would, with the shared context and its own.
        [AuthorizationPatterns.AuthorizeBatch]: async (r) => {
          messages.push(AuthorizationPatterns.AuthorizeBatch);
          const Results: AuthorizeReply[] = [];
          for (const check of r.Checks) {
            const one = { Principal: r.Principal, Action: check.Action, Resource: check.Resource, Context: { ...r.Context, ...check.Context } };
            seen.push(one);
            Results.push(await answer(one));
          }
          return { Results };
        },
      }),
    );
    const bus = await testBusClient(transport, 1_000);
    closers.push(bus);
    return { authorizer: new BusAuthorizer(bus, { accountId: '123456789012' } as GatewayOptions), seen, messages };
  }

  const decision = (Decision: AuthorizeReply['Decision'], extra: Partial<AuthorizeReply> = {}): AuthorizeReply => ({
    Decision,
    MatchedStatements: [],
    MissingContextKeys: [],
    ...extra,
  });

  it('sends the caller, action, resource and every global condition key, as strings', async () => {
    const { authorizer, seen } = await authorizerAnswering(() => decision('allowed'));
    const alice = userCaller('alice', { tags: [{ Key: 'dept', Value: 'eng' }] });
    await authorizer.authorize(alice, [check], request, now);
    expect(seen).toEqual([
      {
        Principal: { Type: 'user', UserId: (alice as { userId: string }).userId },
        Action: 'iam:CreateUser',
        Resource: 'arn:aws:iam::123456789012:user/bob',
        Context: {
          'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/alice',
          'aws:PrincipalAccount': '123456789012',
          'aws:PrincipalType': 'User',
          'aws:username': 'alice',
          'aws:userid': (alice as { userId: string }).userId,
          'aws:PrincipalTag/dept': 'eng',
          'aws:SourceIp': '203.0.113.9',
          'aws:SecureTransport': 'true',
          'aws:CurrentTime': '2026-11-28T01:02:03Z',
          'aws:EpochTime': '1795827723',
          'aws:MultiFactorAuthPresent': 'false',
          'aws:UserAgent': 'aws-cli/1.45',
          'aws:RequestTag/team': 'blue',
          'aws:TagKeys': ['team'],
        },
      },
    ]);
  });

  it("never lets a check's own keys replace the request's global keys, in any letter case, for one check or a batch", async () => {
    const { authorizer, seen } = await authorizerAnswering(() => decision('allowed'));
    const forged = {
      action: 'iam:DetachUserPolicy',
      resource: 'arn:aws:iam::123456789012:user/bob',
      context: { 'aws:SourceIp': '10.0.0.1', 'AWS:USERNAME': 'root', 'aws:MultiFactorAuthPresent': true, 'iam:PolicyARN': 'arn:aws:iam::123456789012:policy/p' },
    };
    await authorizer.decide(userCaller('alice'), [forged], request, now);
    await authorizer.decide(userCaller('alice'), [forged, { ...forged, resource: '*' }], request, now);
    expect(seen).toHaveLength(3);
    for (const asked of seen) {
      const keys = Object.keys(asked.Context ?? {}).map((key) => key.toLowerCase());
      expect(new Set(keys).size).toBe(keys.length);
      expect(asked.Context).toMatchObject({ 'aws:SourceIp': '203.0.113.9', 'aws:username': 'alice', 'aws:MultiFactorAuthPresent': 'false', 'iam:PolicyARN': 'arn:aws:iam::123456789012:policy/p' });
    }
  });

  it("denies with AWS's message for an implicit deny", async () => {
    const { authorizer } = await authorizerAnswering(() => decision('implicitDeny'));
    await expect(authorizer.authorize(userCaller('alice'), [check], request, now)).rejects.toEqual(
      new IamError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:CreateUser action',
      ),
    );
  });

  it("denies with AWS's message for an explicit deny", async () => {
    const { authorizer } = await authorizerAnswering(() => decision('explicitDeny'));
    await expect(authorizer.authorize(userCaller('alice'), [check], request, now)).rejects.toEqual(
      new IamError(
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob with an explicit deny in an identity-based policy',
      ),
    );
  });

  it('needs every check allowed: a rename denied on the new name is denied', async () => {
    const { authorizer, seen } = await authorizerAnswering((r) => decision(r.Resource.endsWith('/bob') ? 'allowed' : 'implicitDeny'));
    const rename = [
      { action: 'iam:UpdateUser', resource: 'arn:aws:iam::123456789012:user/bob' },
      { action: 'iam:UpdateUser', resource: 'arn:aws:iam::123456789012:user/robert' },
    ];
    await expect(authorizer.authorize(userCaller('alice'), rename, request, now)).rejects.toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('on resource: arn:aws:iam::123456789012:user/robert'),
    });
    expect(seen).toHaveLength(2);
  });

  it('fails closed: an allow that carries an error, or a service failure, is a deny', async () => {
    const withError = await authorizerAnswering(() => decision('allowed', { Error: 'directory unavailable' }));
    await expect(withError.authorizer.authorize(userCaller('alice'), [check], request, now)).rejects.toMatchObject({ code: 'AccessDenied' });
    const failing = await authorizerAnswering(() => {
      throw new IamError('ServiceFailure', 'boom');
    });
    await expect(failing.authorizer.authorize(userCaller('alice'), [check], request, now)).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it('answers ServiceUnavailable when no authorization replica answers (nothing is allowed)', async () => {
    const bus = await testBusClient(inProcessTransport(), 1_000);
    closers.push(bus);
    const authorizer = new BusAuthorizer(bus, { accountId: '123456789012' } as GatewayOptions);
    await expect(authorizer.authorize(userCaller('alice'), [check], request, now)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
  });

  it('does not ask about root, which no policy governs', async () => {
    const { authorizer, seen } = await authorizerAnswering(() => decision('explicitDeny'));
    await authorizer.authorize(ROOT, [check], request, now);
    expect(seen).toEqual([]);
  });

  describe('decide: each check on its own, for a caller asking what it may do', () => {
    const checks = [
      { action: 'iam:ListUsers', resource: '*' },
      { action: 'iam:DeleteUser', resource: 'arn:aws:iam::123456789012:user/bob' },
      { action: 'iam:AttachUserPolicy', resource: 'arn:aws:iam::123456789012:user/bob' },
      { action: 'iam:CreateGroup', resource: 'arn:aws:iam::123456789012:group/ops' },
    ];

    it('answers every decision in order, explicit and implicit denies apart, with the missing context keys', async () => {
      const { authorizer, seen, messages } = await authorizerAnswering((r) => {
        if (r.Action === 'iam:ListUsers') return decision('allowed');
        if (r.Action === 'iam:DeleteUser') return decision('explicitDeny');
        if (r.Action === 'iam:AttachUserPolicy') return decision('implicitDeny', { MissingContextKeys: ['iam:PolicyARN'] });
        return decision('implicitDeny');
      });
      const decisions = await authorizer.decide(userCaller('alice'), checks, request, now);
      expect(decisions).toEqual([
        { decision: 'allowed', missingContextKeys: [] },
        { decision: 'explicitDeny', missingContextKeys: [] },
        { decision: 'implicitDeny', missingContextKeys: ['iam:PolicyARN'] },
        { decision: 'implicitDeny', missingContextKeys: [] },
      ]);
      // One bus request for all of them.
      expect(messages).toEqual([AuthorizationPatterns.AuthorizeBatch]);
      // The same global condition keys as a real request of the caller's.
      expect(seen.map((r) => r.Context?.['aws:SourceIp'])).toEqual(['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.9']);
      expect(seen.every((r) => r.Context?.['aws:username'] === 'alice')).toBe(true);
    });

    it('asks in batches of at most AUTHORIZE_BATCH_MAX_CHECKS, keeping the order; a failed batch denies its checks', async () => {
      const many = Array.from({ length: AUTHORIZE_BATCH_MAX_CHECKS + 5 }, (_, n) => ({ action: 'iam:GetUser', resource: `arn:aws:iam::123456789012:user/u${n}` }));
      const { authorizer, messages } = await authorizerAnswering((r) => decision(/u\d*[02468]$/.test(r.Resource) ? 'allowed' : 'implicitDeny'));
      const decisions = await authorizer.decide(userCaller('alice'), many, request, now);
      expect(messages).toEqual([AuthorizationPatterns.AuthorizeBatch, AuthorizationPatterns.AuthorizeBatch]);
      expect(decisions.map((d) => d.decision)).toEqual(many.map((_, n) => (n % 2 === 0 ? 'allowed' : 'implicitDeny')));
      const failing = await authorizerAnswering(() => {
        throw new IamError('ServiceFailure', 'boom');
      });
      expect((await failing.authorizer.decide(userCaller('alice'), checks, request, now)).map((d) => d.decision)).toEqual(checks.map(() => 'implicitDeny'));
      await expect(failing.authorizer.authorize(userCaller('alice'), checks, request, now)).rejects.toMatchObject({ code: 'AccessDenied' });
    });

    it('fails closed: an allow with an error or a failed decision is a deny; no replica at all is ServiceUnavailable', async () => {
      const withError = await authorizerAnswering(() => decision('allowed', { Error: 'directory unavailable', MissingContextKeys: ['x'] }));
      expect(await withError.authorizer.decide(userCaller('alice'), checks.slice(0, 1), request, now)).toEqual([{ decision: 'implicitDeny', missingContextKeys: [] }]);
      const failing = await authorizerAnswering(() => {
        throw new IamError('ServiceFailure', 'boom');
      });
      expect(await failing.authorizer.decide(userCaller('alice'), checks.slice(0, 1), request, now)).toEqual([{ decision: 'implicitDeny', missingContextKeys: [] }]);
      const bus = await testBusClient(inProcessTransport(), 1_000);
      closers.push(bus);
      const unreachable = new BusAuthorizer(bus, { accountId: '123456789012' } as GatewayOptions);
      await expect(unreachable.decide(userCaller('alice'), checks, request, now)).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    });

    it('allows root everything without asking', async () => {
      const { authorizer, seen } = await authorizerAnswering(() => decision('explicitDeny'));
      expect((await authorizer.decide(ROOT, checks, request, now)).map((d) => d.decision)).toEqual(['allowed', 'allowed', 'allowed', 'allowed']);
      expect(seen).toEqual([]);
    });
  });
});
