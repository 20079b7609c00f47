import { AuthorizationPatterns, IamError, IdentityPatterns } from '@iam/contracts';
import type { Caller } from '../../application/caller';
import type { RequestInfo } from '../../application/request-info';
import type { OperationContext } from '../operation';
import { Authorize } from './simulation.operations';

const ACCOUNT = '123456789012';
const ROOT: Caller = { type: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, via: 'access-key' };
const DAVE = { UserName: 'dave', UserId: 'AIDAEXAMPLEDAVE00001', Arn: `arn:aws:iam::${ACCOUNT}:user/dave`, Path: '/', State: 'active' };

/** An operation context whose bus resolves dave and records the decision request. */
function context(): OperationContext & { asked: Record<string, unknown>[] } {
  const asked: Record<string, unknown>[] = [];
  const bus = {
    send: async (pattern: string, request: Record<string, unknown>) => {
      if (pattern === IdentityPatterns.ResolveUser) return DAVE;
      if (pattern === AuthorizationPatterns.Authorize) {
        asked.push(request);
        return { Decision: 'implicitDeny', MatchedStatements: [], MissingContextKeys: [] };
      }
      throw new IamError('ServiceUnavailable', `no handler for ${pattern}`);
    },
  };
  return {
    asked,
    caller: ROOT,
    request: {} as RequestInfo,
    bus: bus as unknown as OperationContext['bus'],
    accountId: ACCOUNT,
    now: new Date('2026-11-28T01:02:03.000Z'),
    options: { accountId: ACCOUNT } as OperationContext['options'],
    authorize: async () => undefined,
    decide: async (checks) => checks.map(() => ({ decision: 'allowed' as const, missingContextKeys: [] })),
    evaluate: (decision) => bus.send('authorization.authorize', decision) as ReturnType<OperationContext['evaluate']>,
    resolveUser: (name) => bus.send('identity.user.resolve', { UserName: name }) as ReturnType<OperationContext['resolveUser']>,
    resolveGroup: (name) => bus.send('directory.group.resolve', { GroupName: name }) as unknown as ReturnType<OperationContext['resolveGroup']>,
  };
}

const entry = (ContextKeyName: string, value: string) => ({ ContextKeyName, ContextKeyValues: [value], ContextKeyType: 'string' });

describe('Authorize (POST /v1/authorize): the request context', () => {
  it('sets the principal keys from the principal', async () => {
    const c = context();
    await Authorize.call({ Principal: 'dave', Action: 'myapp:Read', Resource: '*' }, c);
    expect(c.asked[0]['Context']).toEqual({
      'aws:PrincipalArn': DAVE.Arn,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'User',
      'aws:userid': DAVE.UserId,
      'aws:username': 'dave',
    });
  });

  it('lets the request give a principal key in any letter case: context key names are case-insensitive', async () => {
    const c = context();
    await Authorize.call({ Principal: 'dave', Action: 'myapp:Read', Resource: '*', ContextEntries: [entry('AWS:UserName', 'john'), entry('aws:principalarn', 'x')] }, c);
    expect(c.asked[0]['Context']).toEqual({
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'User',
      'aws:userid': DAVE.UserId,
      'AWS:UserName': 'john',
      'aws:principalarn': 'x',
    });
  });

  it('refuses a key given twice in different letter case (InvalidInput), and asks nothing', async () => {
    const c = context();
    await expect(
      Authorize.call({ Principal: 'dave', Action: 'myapp:Read', Resource: '*', ContextEntries: [entry('myapp:Team', 'a'), entry('MYAPP:team', 'b')] }, c),
    ).rejects.toEqual(new IamError('InvalidInput', 'The context key MYAPP:team is given twice (as myapp:Team); context key names are case-insensitive.'));
    expect(c.asked).toEqual([]);
  });
});
