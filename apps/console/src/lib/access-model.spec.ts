import { actionsNamed, completeAction, describeCell, DETAILS_PAGE_SIZE, groupMatrix, readDetails, statementsOf, type AuthorizationDetails } from './access-model';

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const details: AuthorizationDetails = {
  GroupDetailList: [
    { GroupName: 'security', GroupPolicyList: [{ PolicyName: 'audit', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:ListGroups', 'iam:GetGroup'], Resource: '*' }]) }] },
    { GroupName: 'admins', AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    {
      GroupName: 'developers',
      AttachedManagedPolicies: [{ PolicyName: 'ReadUsers', PolicyArn: 'arn:aws:iam::000000000000:policy/ReadUsers' }],
      GroupPolicyList: [{ PolicyName: 'no-s3-delete', PolicyDocument: encodeURIComponent(doc([{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }])) }],
    },
  ],
  Policies: [
    { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }] },
    {
      PolicyName: 'ReadUsers',
      Arn: 'arn:aws:iam::000000000000:policy/ReadUsers',
      PolicyVersionList: [
        { VersionId: 'v2', IsDefaultVersion: true, Document: doc([{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' }]) },
        { VersionId: 'v1', IsDefaultVersion: false, Document: doc([{ Effect: 'Allow', Action: 'iam:OldAction', Resource: '*' }]) },
      ],
    },
  ],
};

describe("the account's permission structure", () => {
  it('reads statements from text, URL-encoded text, objects, and a lone statement; nothing from junk', () => {
    expect(statementsOf(doc([{ Effect: 'Allow' }]))).toHaveLength(1);
    expect(statementsOf(encodeURIComponent(doc([{ Effect: 'Allow' }, { Effect: 'Deny' }])))).toHaveLength(2);
    expect(statementsOf({ Statement: { Effect: 'Allow' } })).toHaveLength(1);
    expect(statementsOf('not json')).toEqual([]);
    expect(statementsOf(undefined)).toEqual([]);
  });

  it("names the actions of the default versions and inline policies, once each, for the who-can completion", () => {
    expect(actionsNamed(details)).toEqual(['*', 'iam:GetGroup', 'iam:GetUser', 'iam:ListGroups', 'iam:ListUsers', 's3:DeleteObject']);
    expect(completeAction('iam:get', actionsNamed(details))).toEqual(['iam:GetGroup', 'iam:GetUser']);
    expect(completeAction('users', actionsNamed(details))).toEqual(['iam:ListUsers']);
    expect(completeAction('', ['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });

  it('builds the groups × services matrix with allows, denies, conditions and the policies they come from', () => {
    const matrix = groupMatrix(details);
    expect(matrix.services).toEqual(['*', 'iam', 's3']);
    expect(matrix.rows.map((r) => r.group)).toEqual(['admins', 'developers', 'security']);
    const [admins, developers, security] = matrix.rows;
    expect(admins.cells['*']).toEqual({ allow: ['*'], deny: [], qualified: false, policies: ['AdministratorAccess'] });
    expect(developers.cells['iam']).toEqual({ allow: ['iam:ListUsers', 'iam:GetUser'], deny: [], qualified: false, policies: ['ReadUsers'] });
    expect(developers.cells['s3']).toEqual({ allow: [], deny: ['s3:DeleteObject'], qualified: true, policies: ['no-s3-delete'] });
    expect(security.cells['iam'].allow).toEqual(['iam:ListGroups', 'iam:GetGroup']);
    expect(describeCell(admins.cells['*'])).toBe('all actions');
    expect(describeCell(developers.cells['iam'])).toBe('2 actions');
    expect(describeCell(developers.cells['s3'])).toBe('1 denied (conditional)');
    expect(describeCell(undefined)).toBe('');
  });

  it("adds the users' own inline policies: to the completion, and as one row of the matrix naming the users", () => {
    const withUsers: AuthorizationDetails = {
      ...details,
      UserDetailList: [
        { UserName: 'erin', UserPolicyList: [{ PolicyName: 'own', PolicyDocument: doc([{ Effect: 'Allow', Action: ['sqs:SendMessage', 'iam:ChangePassword'], Resource: '*' }]) }] },
        { UserName: 'dave', UserPolicyList: [{ PolicyName: 'mine', PolicyDocument: encodeURIComponent(doc([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }, { Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }])) }] },
        { UserName: 'frank', UserPolicyList: [] },
      ],
    };
    expect(actionsNamed(withUsers)).toContain('sqs:SendMessage');
    expect(actionsNamed(details)).not.toContain('sqs:SendMessage');
    expect(completeAction('sqs', actionsNamed(withUsers))).toEqual(['sqs:SendMessage']);
    const matrix = groupMatrix(withUsers);
    expect(matrix.services).toEqual(['*', 'iam', 's3', 'sqs']);
    expect(matrix.rows.map((r) => r.group)).toEqual(['admins', 'developers', 'security']);
    expect(matrix.usersInline?.users).toBe(2);
    expect(matrix.usersInline?.cells['sqs']).toEqual({ allow: ['sqs:SendMessage'], deny: [], qualified: false, policies: ['mine', 'own'], users: ['dave', 'erin'] });
    expect(matrix.usersInline?.cells['iam']).toEqual({ allow: ['iam:ChangePassword'], deny: ['iam:ChangePassword'], qualified: false, policies: ['mine', 'own'], users: ['dave', 'erin'] });
    // Without users read, there is no such row (the groups' cells are unchanged).
    expect(groupMatrix(details).usersInline).toBeUndefined();
    expect(matrix.rows[1].cells['iam']).toEqual(groupMatrix(details).rows[1].cells['iam']);
  });

  it('reads every page of the authorization details, 1,000 at a time, keeping only the users with inline policies', async () => {
    const users = Array.from({ length: 2500 }, (_, n) => ({
      UserName: `user-${n}`,
      Arn: `arn:aws:iam::000000000000:user/user-${n}`,
      GroupList: ['g'],
      UserPolicyList: n % 1000 === 7 ? [{ PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: `svc${n}:Do`, Resource: '*' }]) }] : [],
    }));
    const asked: Array<Record<string, unknown> | undefined> = [];
    const reads: number[] = [];
    const api = {
      get: async <T,>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T> => {
        expect(path).toBe('/v1/account/authorization-details');
        asked.push(query);
        const from = query?.cursor === undefined ? 0 : Number(query.cursor);
        const to = from + Number(query?.limit);
        return { UserDetailList: users.slice(from, to), ...(to < users.length ? { nextCursor: String(to) } : {}) } as T;
      },
    };
    const read = await readDetails(api, 'User', (n) => reads.push(n));
    expect(asked).toEqual([
      { filter: 'User', limit: DETAILS_PAGE_SIZE, cursor: undefined },
      { filter: 'User', limit: DETAILS_PAGE_SIZE, cursor: '1000' },
      { filter: 'User', limit: DETAILS_PAGE_SIZE, cursor: '2000' },
    ]);
    expect(reads).toEqual([1000, 2000, 2500]);
    expect(read.UserDetailList?.map((u) => u.UserName)).toEqual(['user-7', 'user-1007', 'user-2007']);
    expect(read.UserDetailList?.[0]).toEqual({ UserName: 'user-7', UserPolicyList: users[7].UserPolicyList });
    expect(actionsNamed(read)).toEqual(['svc1007:Do', 'svc2007:Do', 'svc7:Do']);

    // In smaller pages, and no further page once nobody waits for the answer.
    asked.length = 0;
    let live = true;
    await readDetails(api, 'User', () => (live = asked.length < 2), { pageSize: 250, live: () => live });
    expect(asked).toEqual([
      { filter: 'User', limit: 250, cursor: undefined },
      { filter: 'User', limit: 250, cursor: '250' },
    ]);
  });
});
