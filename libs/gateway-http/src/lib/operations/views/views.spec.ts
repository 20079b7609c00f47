import { IamError } from '@iam/contracts';
import type { Caller } from '../../application/caller';
import type { RequestInfo } from '../../application/request-info';
import type { OperationContext } from '../operation';
import { GetAccountAuthorizationDetails, GetCredentialReport } from './account.operations';
import { GetGroupOverview, GetUserOverview } from './overview.operations';
import { allPages, allParts, mapLimited } from './pages';

const ROOT: Caller = { type: 'root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012', via: 'access-key' };

/** An operation context whose bus answers from a table of handlers by pattern. */
function contextWith(handlers: Record<string, (request: Record<string, unknown>) => unknown>): OperationContext & { sent: string[] } {
  const sent: string[] = [];
  const bus = {
    send: async (pattern: string, request: Record<string, unknown>) => {
      sent.push(pattern);
      const handler = handlers[pattern];
      if (!handler) throw new IamError('ServiceUnavailable', `no handler for ${pattern}`);
      return handler(request);
    },
  };
  return {
    sent,
    caller: ROOT,
    request: {} as RequestInfo,
    bus: bus as unknown as OperationContext['bus'],
    accountId: '123456789012',
    now: new Date('2026-11-28T01:02:03.000Z'),
    options: { accountId: '123456789012' } as OperationContext['options'],
    authorize: async () => undefined,
    decide: async (checks) => checks.map(() => ({ decision: 'allowed' as const, missingContextKeys: [] })),
    evaluate: (decision) => bus.send('authorization.authorize', decision) as ReturnType<OperationContext['evaluate']>,
    resolveUser: (name) => bus.send('identity.user.resolve', { UserName: name }) as ReturnType<OperationContext['resolveUser']>,
    resolveGroup: (name) => bus.send('directory.group.resolve', { GroupName: name }) as ReturnType<OperationContext['resolveGroup']>,
  };
}

describe('view helpers', () => {
  it('allPages follows markers to the end', async () => {
    const pages: Record<string, { Items: number[]; IsTruncated: boolean; Marker?: string }> = {
      '': { Items: [1, 2], IsTruncated: true, Marker: 'm1' },
      m1: { Items: [3], IsTruncated: true, Marker: 'm2' },
      m2: { Items: [4], IsTruncated: false },
    };
    const seen: Array<string | undefined> = [];
    const items = await allPages(
      async (p) => {
        seen.push(p.Marker);
        return pages[p.Marker ?? ''];
      },
      (r) => r.Items,
    );
    expect(items).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, 'm1', 'm2']);
  });

  it('allParts answers every part, or 503 naming the part that failed', async () => {
    await expect(allParts('view', { a: Promise.resolve(1), b: Promise.resolve('x') })).resolves.toEqual({ a: 1, b: 'x' });
    await expect(
      allParts('user overview', { user: Promise.resolve(1), keys: Promise.reject(new IamError('ServiceUnavailable', 'The identity service is unavailable: no replica is listening.')) }, 'user'),
    ).rejects.toEqual(
      new IamError(
        'ServiceUnavailable',
        "The user overview is unavailable: its part 'keys' failed (ServiceUnavailable: The identity service is unavailable: no replica is listening.).",
      ),
    );
  });

  it('allParts lets the entity\'s own NoSuchEntity through as 404', async () => {
    const missing = new IamError('NoSuchEntity', 'The user with name x cannot be found.');
    await expect(allParts('view', { user: Promise.reject(missing), keys: Promise.reject(missing) }, 'user')).rejects.toBe(missing);
  });

  it('mapLimited keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe('GetUserOverview', () => {
  const user = { UserName: 'ann', UserId: 'AIDAANN', Path: '/', Arn: 'arn:aws:iam::123456789012:user/ann', CreateDate: '2026-01-01T00:00:00Z' };
  const handlers = {
    'identity.user.resolve': () => ({ ...user, State: 'active', Tags: [] }),
    'directory.group.resolve': (r: Record<string, unknown>) => ({ GroupId: 'AGPA', GroupName: r['GroupName'], Path: '/team/', Arn: `arn:aws:iam::123456789012:group/team/${String(r['GroupName'])}` }),
    'identity.user.get': () => ({ User: user }),
    'directory.user.groups.list': () => ({ Groups: [{ GroupName: 'devs' }], IsTruncated: false }),
    'identity.access-key.list': () => ({ AccessKeyMetadata: [{ AccessKeyId: 'AKIA1', Status: 'Active' }], IsTruncated: false }),
    'identity.login-profile.get': () => {
      throw new IamError('NoSuchEntity', 'Login Profile for User ann cannot be found.');
    },
    'authorization.user-policy.list-attached': () => ({ AttachedPolicies: [], IsTruncated: false }),
    'authorization.user-policy.list': () => ({ PolicyNames: ['inline'], IsTruncated: false }),
    'authorization.access.user': () => ({ User: user, Groups: [], Sources: [{ Via: 'direct', PolicyName: 'inline' }] }),
  };

  it('combines every part; a user without a password has LoginProfile.Enabled false', async () => {
    const view = (await GetUserOverview.call({ UserName: 'ann' }, contextWith(handlers))) as Record<string, unknown>;
    expect(view).toEqual({
      User: user,
      Groups: [{ GroupName: 'devs' }],
      AccessKeys: [{ AccessKeyId: 'AKIA1', Status: 'Active' }],
      LoginProfile: { Enabled: false },
      AttachedPolicies: [],
      InlinePolicyNames: ['inline'],
      EffectivePermissions: [{ Via: 'direct', PolicyName: 'inline' }],
      Omitted: [],
    });
  });

  const doc = (action: string) => JSON.stringify({ Effect: 'Allow', Action: action, Resource: '*' });
  const sources = [
    { Via: 'direct', PolicyType: 'user', PolicyName: 'mine', Statements: [{ StatementIndex: 0, Effect: 'Allow', Statement: doc('s3:secret-user-inline') }] },
    { Via: 'direct', PolicyType: 'user-managed', PolicyName: 'managed', PolicyArn: 'arn:aws:iam::123456789012:policy/managed', Statements: [{ StatementIndex: 0, Effect: 'Allow', Statement: doc('s3:secret-managed') }] },
    { Via: 'group', GroupName: 'devs', PolicyType: 'group', PolicyName: 'g-inline', Statements: [{ StatementIndex: 0, Effect: 'Allow', Statement: doc('s3:secret-group-inline') }] },
  ];
  const withSources = { ...handlers, 'authorization.access.user': () => ({ User: user, Groups: [{ GroupName: 'devs', GroupId: 'AGPA' }], Sources: sources }) };

  /** A context of a user allowed only the given `action resource` pairs, recording every batch of decisions asked for. */
  function limited(allowed: string[]) {
    const context = contextWith(withSources);
    const batches: string[][] = [];
    context.decide = async (checks) => {
      batches.push(checks.map((c) => `${c.action} ${c.resource}`));
      return checks.map((c) => ({ decision: allowed.includes(`${c.action} ${c.resource}`) ? ('allowed' as const) : ('implicitDeny' as const), missingContextKeys: [] }));
    };
    return { context, batches };
  }

  it('needs only GetUser on the user to be called', async () => {
    const context = contextWith(withSources);
    expect(await GetUserOverview.checks({ UserName: 'ann' }, context)).toEqual([{ action: 'iam:GetUser', resource: user.Arn }]);
  });

  it('leaves out, and names in Omitted, every part whose action is denied: a user allowed GetUser only sees the user alone', async () => {
    const { context, batches } = limited([]);
    const view = (await GetUserOverview.call({ UserName: 'ann' }, context)) as Record<string, unknown>;
    expect(view).toEqual({
      User: user,
      Omitted: [
        { Part: 'Groups', Action: 'iam:ListGroupsForUser', Resource: user.Arn },
        { Part: 'AccessKeys', Action: 'iam:ListAccessKeys', Resource: user.Arn },
        { Part: 'LoginProfile', Action: 'iam:GetLoginProfile', Resource: user.Arn },
        { Part: 'AttachedPolicies', Action: 'iam:ListAttachedUserPolicies', Resource: user.Arn },
        { Part: 'InlinePolicyNames', Action: 'iam:ListUserPolicies', Resource: user.Arn },
        { Part: 'EffectivePermissions', Action: 'iam:SimulatePrincipalPolicy', Resource: user.Arn },
      ],
    });
    expect(JSON.stringify(view)).not.toContain('secret');
    // One batch of decisions for all the parts; nothing is read that is not shown.
    expect(batches).toHaveLength(1);
    expect(context.sent).not.toContain('authorization.access.user');
    expect(context.sent).not.toContain('identity.access-key.list');
  });

  it('shows a permission source only when its document may be read (GetUserPolicy, GetPolicyVersion, GetGroupPolicy), and a group\'s only with ListGroupsForUser', async () => {
    const { context, batches } = limited([`iam:SimulatePrincipalPolicy ${user.Arn}`, `iam:GetPolicyVersion arn:aws:iam::123456789012:policy/managed`]);
    const view = (await GetUserOverview.call({ UserName: 'ann' }, context)) as { EffectivePermissions: Array<{ PolicyName: string }>; Omitted: unknown[] };
    expect(view.EffectivePermissions.map((s) => s.PolicyName)).toEqual(['managed']);
    expect(JSON.stringify(view)).not.toMatch(/secret-user-inline|secret-group-inline/);
    expect(view.Omitted).toEqual(
      expect.arrayContaining([
        { Part: 'EffectivePermissions', Action: 'iam:ListGroupsForUser', Count: 1 },
        { Part: 'EffectivePermissions', Action: 'iam:GetUserPolicy', Count: 1 },
      ]),
    );
    expect(batches).toEqual([expect.any(Array), [`iam:GetUserPolicy ${user.Arn}`, 'iam:GetPolicyVersion arn:aws:iam::123456789012:policy/managed']]);

    const more = limited([`iam:SimulatePrincipalPolicy ${user.Arn}`, `iam:ListGroupsForUser ${user.Arn}`, 'iam:GetGroupPolicy arn:aws:iam::123456789012:group/team/devs']);
    const second = (await GetUserOverview.call({ UserName: 'ann' }, more.context)) as { EffectivePermissions: Array<{ PolicyName: string }>; Omitted: unknown[] };
    expect(second.EffectivePermissions.map((s) => s.PolicyName)).toEqual(['g-inline']);
    expect(second.Omitted).toEqual(
      expect.arrayContaining([
        { Part: 'EffectivePermissions', Action: 'iam:GetUserPolicy', Count: 1 },
        { Part: 'EffectivePermissions', Action: 'iam:GetPolicyVersion', Count: 1 },
      ]),
    );
  });

  it('fails as a whole when one part fails', async () => {
    const { ['authorization.access.user']: _gone, ...partial } = handlers;
    await expect(GetUserOverview.call({ UserName: 'ann' }, contextWith(partial))).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      message: expect.stringContaining("its part 'permissions' failed"),
    });
  });
});

describe('GetGroupOverview', () => {
  const group = { GroupName: 'devs', GroupId: 'AGPA', Path: '/', Arn: 'arn:aws:iam::123456789012:group/devs', CreateDate: 'd' };
  const handlers = {
    'directory.group.resolve': () => group,
    'directory.group.get': () => ({ Group: group, Users: [{ UserName: 'ann' }], IsTruncated: false }),
    'authorization.group-policy.list-attached': () => ({ AttachedPolicies: [{ PolicyName: 'p' }], IsTruncated: false }),
    'authorization.group-policy.list': () => ({ PolicyNames: ['secret-inline'], IsTruncated: false }),
  };

  it('needs GetGroup; leaves out the policies the caller may not list and names them in Omitted', async () => {
    const context = contextWith(handlers);
    expect(await GetGroupOverview.checks({ GroupName: 'devs' }, context)).toEqual([{ action: 'iam:GetGroup', resource: group.Arn }]);
    expect(await GetGroupOverview.call({ GroupName: 'devs' }, context)).toEqual({
      Group: group,
      Users: [{ UserName: 'ann' }],
      AttachedPolicies: [{ PolicyName: 'p' }],
      InlinePolicyNames: ['secret-inline'],
      Omitted: [],
    });
    context.decide = async (checks) => checks.map((c) => ({ decision: c.action === 'iam:ListAttachedGroupPolicies' ? ('allowed' as const) : ('implicitDeny' as const), missingContextKeys: [] }));
    const limited = await GetGroupOverview.call({ GroupName: 'devs' }, context);
    expect(limited).toEqual({
      Group: group,
      Users: [{ UserName: 'ann' }],
      AttachedPolicies: [{ PolicyName: 'p' }],
      Omitted: [{ Part: 'InlinePolicyNames', Action: 'iam:ListGroupPolicies', Resource: group.Arn }],
    });
  });
});

describe('GetCredentialReport', () => {
  it("writes AWS's columns: the root row, then each user with its password and keys", async () => {
    const context = contextWith({
      'identity.root.get': () => ({ User: { UserId: '123456789012', Arn: 'arn:aws:iam::123456789012:root', CreateDate: '2026-01-01T00:00:00.000Z' } }),
      'identity.credential-report.state': () => ({ GeneratedTime: '2026-11-28T01:02:03.000Z' }),
      'identity.user.list': () => ({ Users: [{ UserName: 'ann' }], IsTruncated: false }),
      'identity.password-policy.get': () => ({ PasswordPolicy: { MaxPasswordAge: 90 } }),
      'identity.access-key.list': (r) =>
        r['UserName'] === 'ann'
          ? { AccessKeyMetadata: [{ AccessKeyId: 'AKIAANN', Status: 'Inactive', CreateDate: '2026-02-01T00:00:00.000Z' }], IsTruncated: false }
          : { AccessKeyMetadata: [], IsTruncated: false },
      'identity.access-key.last-used': () => ({
        UserName: 'ann',
        AccessKeyLastUsed: { LastUsedDate: '2026-03-01T10:00:00.000Z', ServiceName: 'iam', Region: 'eu-west-3' },
      }),
      'identity.user.get': () => ({
        User: { UserName: 'ann', Arn: 'arn:aws:iam::123456789012:user/ann', CreateDate: '2026-01-15T00:00:00.000Z', PasswordLastUsed: '2026-03-02T00:00:00.000Z' },
      }),
      'identity.login-profile.get': () => ({ LoginProfile: { UserName: 'ann', CreateDate: '2026-01-20T00:00:00.000Z', PasswordResetRequired: false } }),
    });
    const reply = (await GetCredentialReport.call({}, context)) as { Content: string; ReportFormat: string; GeneratedTime: string };
    expect(reply.ReportFormat).toBe('text/csv');
    expect(reply.GeneratedTime).toBe('2026-11-28T01:02:03Z');
    const lines = Buffer.from(reply.Content, 'base64').toString('utf8').split('\n');
    expect(lines).toEqual([
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      '<root_account>,arn:aws:iam::123456789012:root,2026-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'ann,arn:aws:iam::123456789012:user/ann,2026-01-15T00:00:00+00:00,true,2026-03-02T00:00:00+00:00,2026-01-20T00:00:00+00:00,2026-04-20T00:00:00+00:00,false,false,2026-02-01T00:00:00+00:00,2026-03-01T10:00:00+00:00,eu-west-3,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ]);
  });
});

describe('GetAccountAuthorizationDetails', () => {
  const groups = ['a', 'b', 'c'].map((name) => ({ GroupName: name, GroupId: `AGPA${name}`, Path: '/', Arn: `arn:aws:iam::123456789012:group/${name}`, CreateDate: 'd' }));
  const handlers = {
    'directory.groups.list': () => ({ Groups: groups, IsTruncated: false }),
    'directory.groups.members': (r: Record<string, unknown>) => ({ Members: Object.fromEntries((r['GroupIds'] as string[]).map((id) => [id, []])) }),
    'authorization.principals.policies': (r: Record<string, unknown>) => ({
      Users: {},
      Groups: Object.fromEntries(
        (r['GroupIds'] as string[]).map((id) => [id, { AttachedPolicies: [], InlinePolicies: [{ PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17"}' }] }]),
      ),
    }),
  };

  it('pages over the filtered entities with a marker bound to the filter', async () => {
    const first = (await GetAccountAuthorizationDetails.call({ Filter: ['Group'], MaxItems: 2 }, contextWith(handlers))) as {
      GroupDetailList: Array<{ GroupName: string }>;
      Marker: string;
      IsTruncated: boolean;
    };
    expect(first.GroupDetailList.map((g) => g.GroupName)).toEqual(['a', 'b']);
    expect(first.IsTruncated).toBe(true);
    const second = (await GetAccountAuthorizationDetails.call({ Filter: ['Group'], MaxItems: 2, Marker: first.Marker }, contextWith(handlers))) as {
      GroupDetailList: Array<{ GroupName: string }>;
      IsTruncated: boolean;
    };
    expect(second.GroupDetailList.map((g) => g.GroupName)).toEqual(['c']);
    expect(second.IsTruncated).toBe(false);
    await expect(GetAccountAuthorizationDetails.call({ Filter: ['User', 'Group'], Marker: first.Marker }, contextWith(handlers))).rejects.toMatchObject({
      code: 'InvalidInput',
    });
  });

  it('writes inline documents URL-encoded in XML, as AWS does', async () => {
    const reply = await GetAccountAuthorizationDetails.call({ Filter: ['Group'] }, contextWith(handlers));
    const xml = GetAccountAuthorizationDetails.toXml?.(reply) as { GroupDetailList: Array<{ GroupPolicyList: Array<{ PolicyDocument: string }> }> };
    expect(xml.GroupDetailList[0].GroupPolicyList[0].PolicyDocument).toBe('%7B%22Version%22%3A%222012-10-17%22%7D');
  });

  describe('a page of users and groups', () => {
    const ACCOUNT = '123456789012';
    const userNamed = (n: number) => ({
      Path: '/',
      UserName: `user${String(n).padStart(3, '0')}`,
      UserId: `AIDA${n}`,
      Arn: `arn:aws:iam::${ACCOUNT}:user/user${String(n).padStart(3, '0')}`,
      CreateDate: '2026-11-01T00:00:00.000Z',
    });
    const groupRef = (name: string) => ({ GroupId: `AGPA${name}`, GroupName: name, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/${name}` });
    const policiesOfUser = (id: string) => ({
      AttachedPolicies: [
        { PolicyName: 'Zeta', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Zeta` },
        { PolicyName: 'Alpha', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/Alpha` },
      ],
      InlinePolicies: [
        { PolicyName: `a-${id}`, PolicyDocument: '{"Statement":[]}' },
        { PolicyName: `b-${id}`, PolicyDocument: '{"Version":"2012-10-17"}' },
      ],
    });

    /** An account of `count` users, each in groups `a` and `b` with two attached and two inline policies. */
    function account(count: number, options: { goneAfterListing?: string } = {}) {
      const users = Array.from({ length: count }, (_, n) => userNamed(n));
      return {
        'identity.user.list': () => ({ Users: users, IsTruncated: false }),
        'directory.groups.list': () => ({ Groups: groups, IsTruncated: false }),
        'identity.users.resolve': (r: Record<string, unknown>) => ({
          Users: users
            .filter((u) => (r['UserIds'] as string[]).includes(u.UserId) && u.UserId !== options.goneAfterListing)
            .map((u) => ({ ...u, State: 'active', Tags: u.UserId === 'AIDA1' ? [{ Key: 'team', Value: 'x' }] : [] })),
        }),
        'directory.users.groups': (r: Record<string, unknown>) => ({
          Groups: Object.fromEntries((r['UserIds'] as string[]).map((id) => [id, [groupRef('a'), groupRef('b')]])),
        }),
        'directory.groups.members': handlers['directory.groups.members'],
        'authorization.principals.policies': (r: Record<string, unknown>) => ({
          Users: Object.fromEntries((r['UserIds'] as string[]).map((id) => [id, policiesOfUser(id)])),
          Groups: Object.fromEntries((r['GroupIds'] as string[]).map((id) => [id, policiesOfUser(id)])),
        }),
      };
    }

    type Details = { UserDetailList: Array<Record<string, unknown>>; GroupDetailList: Array<Record<string, unknown>> };

    it('reads a page of 50 users and their groups with one request per service, as few as for 2 users', async () => {
      const many = contextWith(account(50));
      const reply = (await GetAccountAuthorizationDetails.call({ Filter: ['User', 'Group'], MaxItems: 53 }, many)) as Details;
      expect(reply.UserDetailList).toHaveLength(50);
      expect(reply.GroupDetailList.map((g) => g['GroupName'])).toEqual(['a', 'b', 'c']);
      expect([...many.sent].sort()).toEqual(
        [
          'identity.user.list',
          'directory.groups.list',
          'identity.users.resolve',
          'directory.users.groups',
          'directory.groups.members',
          'authorization.principals.policies',
        ].sort(),
      );
      const few = contextWith(account(2));
      await GetAccountAuthorizationDetails.call({ Filter: ['User', 'Group'] }, few);
      expect(few.sent).toHaveLength(many.sent.length);

      expect(reply.UserDetailList[1]).toEqual({
        Path: '/',
        UserName: 'user001',
        UserId: 'AIDA1',
        Arn: `arn:aws:iam::${ACCOUNT}:user/user001`,
        CreateDate: '2026-11-01T00:00:00.000Z',
        UserPolicyList: policiesOfUser('AIDA1').InlinePolicies,
        GroupList: ['a', 'b'],
        AttachedManagedPolicies: policiesOfUser('AIDA1').AttachedPolicies,
        Tags: [{ Key: 'team', Value: 'x' }],
      });
      expect(Object.keys(reply.UserDetailList[0])).toEqual(['Path', 'UserName', 'UserId', 'Arn', 'CreateDate', 'UserPolicyList', 'GroupList', 'AttachedManagedPolicies', 'Tags']);
      expect(reply.UserDetailList[0]['Tags']).toEqual([]);
      expect(reply.GroupDetailList[2]).toEqual({
        Path: '/',
        GroupName: 'c',
        GroupId: 'AGPAc',
        Arn: `arn:aws:iam::${ACCOUNT}:group/c`,
        CreateDate: 'd',
        GroupPolicyList: policiesOfUser('AGPAc').InlinePolicies,
        AttachedManagedPolicies: policiesOfUser('AGPAc').AttachedPolicies,
      });
    });

    it('is unavailable as a whole, never partial, when a listed user is deleted before its details are read', async () => {
      await expect(GetAccountAuthorizationDetails.call({ Filter: ['User'] }, contextWith(account(5, { goneAfterListing: 'AIDA3' })))).rejects.toMatchObject({
        code: 'ServiceUnavailable',
        message: expect.stringContaining('NoSuchEntity: The user with name user003 cannot be found.'),
      });
    });

    it('is unavailable as a whole when a listed group is deleted before its details are read', async () => {
      const gone = { ...account(1), 'directory.groups.members': () => ({ Members: { AGPAa: [], AGPAc: [] } }) };
      await expect(GetAccountAuthorizationDetails.call({ Filter: ['Group'] }, contextWith(gone))).rejects.toMatchObject({
        code: 'ServiceUnavailable',
        message: expect.stringContaining('NoSuchEntity: The group with name b cannot be found.'),
      });
    });
  });
});
