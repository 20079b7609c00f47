import { actionsNamed, completeAction, describeCell, groupMatrix, statementsOf, type AuthorizationDetails } from './access-model';

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
});
