import { ACCOUNT, type Credentials, type Driver, expectOk, type Outcome } from './gateway';

/** AWS's HTTP status of each error code the story expects. */
export const AWS_STATUS: Record<string, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  ValidationError: 400,
  MalformedPolicyDocument: 400,
  PasswordPolicyViolation: 400,
  InvalidInput: 400,
  InvalidAction: 400,
  AccessDenied: 403,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  MissingAuthenticationToken: 403,
};

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

const document = (actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** Expects the call to fail with `code` (and AWS's status for it, when the front shows statuses). */
export async function expectError(outcome: Promise<Outcome>, code: string, message?: string | RegExp): Promise<void> {
  const done = await outcome;
  if (done.ok) throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(done.result)}`);
  expect(done.code).toBe(code);
  if (done.status !== undefined) expect(done.status).toBe(AWS_STATUS[code]);
  if (typeof message === 'string') expect(done.message).toBe(message);
  else if (message) expect(done.message).toMatch(message);
}

/**
 * A policy document as a front returns it: URL-encoded by the Query API (the SDK leaves it so),
 * decoded and parsed by the AWS CLI, raw JSON text in REST.
 */
export function policyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return JSON.parse(value.startsWith('%') ? decodeURIComponent(value) : value);
}

function names(list: unknown, key: string): string[] {
  return (list as Array<Record<string, string>>).map((item) => item[key]).sort();
}

export interface StoryContext {
  call: Driver;
  root: Credentials;
}

/** Which front a driver speaks: the AWS Query API (SDK, CLI) or REST. */
export type Front = 'query' | 'rest';

/**
 * The tutorial, as one list of cases every front runs: root creates an `admins` group with
 * AdministratorAccess and an admin user with a password and keys; the admin creates the
 * `developers` and `security` groups with their policies and a developer; the developer moves
 * from developers to security (one removal, one addition) and his permissions change on the
 * next call. Then a negative case for every error code.
 */
export function tutorialStory(front: Front, context: () => StoryContext): void {
  let admin: Credentials;
  let dave: Credentials;
  let readUsersArn: string;
  const as = (who: () => Credentials) => (action: string, params: Record<string, unknown> = {}) => context().call(who(), action, params);
  const root = as(() => context().root);
  const asAdmin = as(() => admin);
  const asDave = as(() => dave);

  const keysOf = (result: Record<string, unknown>): Credentials => {
    const key = result['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string };
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  };

  it('root creates the admins group with AdministratorAccess', async () => {
    const created = await expectOk(root('CreateGroup', { GroupName: 'admins' }));
    expect(created['Group']).toMatchObject({ GroupName: 'admins', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/admins` });
    await expectOk(root('AttachGroupPolicy', { GroupName: 'admins', PolicyArn: ADMINISTRATOR_ACCESS }));
    const attached = await expectOk(root('ListAttachedGroupPolicies', { GroupName: 'admins' }));
    expect(attached['AttachedPolicies']).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: ADMINISTRATOR_ACCESS }]);
  });

  it('root creates an admin user with a password and access keys, in admins', async () => {
    await expectOk(root('CreateUser', { UserName: 'admin', Path: '/staff/' }));
    const profile = await expectOk(root('CreateLoginProfile', { UserName: 'admin', Password: 'Adm1n-Passw0rd!', PasswordResetRequired: false }));
    expect(profile['LoginProfile']).toMatchObject({ UserName: 'admin', PasswordResetRequired: false });
    admin = keysOf(await expectOk(root('CreateAccessKey', { UserName: 'admin' })));
    expect(admin.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    await expectOk(root('AddUserToGroup', { GroupName: 'admins', UserName: 'admin' }));
    const me = await expectOk(asAdmin('GetUser'));
    expect(me['User']).toMatchObject({ UserName: 'admin', Arn: `arn:aws:iam::${ACCOUNT}:user/staff/admin` });
  });

  it('the admin creates the developers and security groups with their policies', async () => {
    const policy = await expectOk(asAdmin('CreatePolicy', { PolicyName: 'ReadUsers', PolicyDocument: document(['iam:ListUsers', 'iam:GetUser']) }));
    readUsersArn = (policy['Policy'] as { Arn: string }).Arn;
    expect(readUsersArn).toBe(`arn:aws:iam::${ACCOUNT}:policy/ReadUsers`);
    await expectOk(asAdmin('CreateGroup', { GroupName: 'developers' }));
    await expectOk(asAdmin('AttachGroupPolicy', { GroupName: 'developers', PolicyArn: readUsersArn }));
    await expectOk(asAdmin('CreateGroup', { GroupName: 'security' }));
    await expectOk(asAdmin('PutGroupPolicy', { GroupName: 'security', PolicyName: 'audit', PolicyDocument: document(['iam:ListGroups', 'iam:GetGroup']) }));
    const inline = await expectOk(asAdmin('GetGroupPolicy', { GroupName: 'security', PolicyName: 'audit' }));
    expect(policyDocument(inline['PolicyDocument'])).toEqual(JSON.parse(document(['iam:ListGroups', 'iam:GetGroup'])));
  });

  it('the admin creates a developer with access keys, in developers', async () => {
    await expectOk(asAdmin('CreateUser', { UserName: 'dave' }));
    dave = keysOf(await expectOk(asAdmin('CreateAccessKey', { UserName: 'dave' })));
    await expectOk(asAdmin('AddUserToGroup', { GroupName: 'developers', UserName: 'dave' }));
    const groups = await expectOk(asAdmin('ListGroupsForUser', { UserName: 'dave' }));
    expect(names(groups['Groups'], 'GroupName')).toEqual(['developers']);
  });

  it('the developer may do what developers may, and nothing else', async () => {
    const users = await expectOk(asDave('ListUsers'));
    expect(names(users['Users'], 'UserName')).toEqual(['admin', 'dave']);
    await expectError(
      asDave('ListGroups'),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:ListGroups on resource: * because no identity-based policy allows the iam:ListGroups action`,
    );
  });

  it('the developer moves from developers to security (one removal, one addition) and his permissions change on the next call', async () => {
    await expectOk(asAdmin('RemoveUserFromGroup', { GroupName: 'developers', UserName: 'dave' }));
    await expectOk(asAdmin('AddUserToGroup', { GroupName: 'security', UserName: 'dave' }));

    await expectError(
      asDave('ListUsers'),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action`,
    );
    const groups = await expectOk(asDave('ListGroups'));
    expect(names(groups['Groups'], 'GroupName')).toEqual(['admins', 'developers', 'security']);
    const security = await expectOk(asDave('GetGroup', { GroupName: 'security' }));
    expect(names(security['Users'], 'UserName')).toEqual(['dave']);
  });

  it('an explicit deny wins over the group\'s allow, with AWS\'s message', async () => {
    await expectOk(
      asAdmin('PutUserPolicy', {
        UserName: 'dave',
        PolicyName: 'no-security-group',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'iam:GetGroup', Resource: `arn:aws:iam::${ACCOUNT}:group/security` }],
        }),
      }),
    );
    await expectError(
      asDave('GetGroup', { GroupName: 'security' }),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:GetGroup on resource: arn:aws:iam::${ACCOUNT}:group/security with an explicit deny in an identity-based policy`,
    );
    await expectOk(asDave('GetGroup', { GroupName: 'developers' }));
    await expectOk(asAdmin('DeleteUserPolicy', { UserName: 'dave', PolicyName: 'no-security-group' }));
    await expectOk(asDave('GetGroup', { GroupName: 'security' }));
  });

  it("tells when a key was last used to a caller allowed on its owner, and nothing about a key to anyone else", async () => {
    const daves = await expectOk(asAdmin('GetAccessKeyLastUsed', { AccessKeyId: dave.accessKeyId }));
    expect(daves['UserName']).toBe('dave');
    expect(daves['UserArn']).toBeUndefined();
    await expectError(
      asDave('GetAccessKeyLastUsed', { AccessKeyId: admin.accessKeyId }),
      'AccessDenied',
      // The denial names the key given, never its owner.
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:GetAccessKeyLastUsed on the access key ${admin.accessKeyId}`,
    );
    // An unknown key is refused alike, so that it cannot be told from another user's.
    await expectError(
      asDave('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:GetAccessKeyLastUsed on the access key AKIAUNKNOWNUNKNOWN00`,
    );
    await expectError(asAdmin('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }), 'NoSuchEntity', 'The Access Key with id AKIAUNKNOWNUNKNOWN00 cannot be found.');
  });

  describe('every error code', () => {
    it('NoSuchEntity (404)', () => expectError(root('GetUser', { UserName: 'nobody' }), 'NoSuchEntity', 'The user with name nobody cannot be found.'));

    it('EntityAlreadyExists (409), names being unique regardless of case', () =>
      expectError(root('CreateUser', { UserName: 'DAVE' }), 'EntityAlreadyExists', 'User with name DAVE already exists.'));

    it('DeleteConflict (409): a group with members', () =>
      expectError(root('DeleteGroup', { GroupName: 'security' }), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.'));

    it('LimitExceeded (409): a third access key', async () => {
      await expectOk(root('CreateAccessKey', { UserName: 'dave' }));
      await expectError(root('CreateAccessKey', { UserName: 'dave' }), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
    });

    it('ValidationError (400), worded as AWS', () =>
      expectError(
        root('CreateUser', { UserName: 'no spaces' }),
        'ValidationError',
        "1 validation error detected: Value 'no spaces' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      ));

    it('MalformedPolicyDocument (400)', () =>
      expectError(
        root('CreatePolicy', { PolicyName: 'Broken', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}' }),
        'MalformedPolicyDocument',
        // IAM's one message for a bad Effect value.
        'Syntax errors in policy.',
      ));

    it('PasswordPolicyViolation (400)', () =>
      expectError(root('CreateLoginProfile', { UserName: 'dave', Password: 'short' }), 'PasswordPolicyViolation', /minimum length/));

    it('InvalidInput (400): not a policy ARN', () =>
      expectError(root('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:user/not-a-policy` }), 'InvalidInput', `ARN arn:aws:iam::${ACCOUNT}:user/not-a-policy is not valid.`));

    it('AccessDenied (403), and nothing changes', async () => {
      await expectError(asDave('CreateUser', { UserName: 'mallory' }), 'AccessDenied', /is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user\/mallory/);
      await expectError(root('GetUser', { UserName: 'mallory' }), 'NoSuchEntity');
    });

    it('AccessDenied (403) on a rename without permission on the new name', async () => {
      await expectOk(
        asAdmin('PutUserPolicy', {
          UserName: 'dave',
          PolicyName: 'rename-self',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'iam:UpdateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/dave` }],
          }),
        }),
      );
      await expectError(
        asDave('UpdateUser', { UserName: 'dave', NewUserName: 'david' }),
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:UpdateUser on resource: arn:aws:iam::${ACCOUNT}:user/david because no identity-based policy allows the iam:UpdateUser action`,
      );
      await expectOk(root('GetUser', { UserName: 'dave' }));
      await expectOk(asAdmin('DeleteUserPolicy', { UserName: 'dave', PolicyName: 'rename-self' }));
    });

    it('InvalidClientTokenId (403): an unknown access key', () =>
      expectError(
        context().call({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) }, 'ListUsers', {}),
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      ));

    it('SignatureDoesNotMatch (403): a wrong secret', () =>
      expectError(context().call({ accessKeyId: admin.accessKeyId, secretAccessKey: 'y'.repeat(40) }, 'ListUsers', {}), 'SignatureDoesNotMatch'));

    // REST has no actions: its InvalidAction (a method a route does not take) is in the REST spec.
    if (front === 'query') {
      it('InvalidAction (400): an AWS action this server does not serve (Query API only)', async () => {
        await expectError(
          root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
          'InvalidAction',
          'The action CreateRole is not supported by this server yet.',
        );
      });
    }

    it('a deleted access key is refused on the next call', async () => {
      await expectOk(root('DeleteAccessKey', { UserName: 'dave', AccessKeyId: dave.accessKeyId }));
      await expectError(asDave('GetGroup', { GroupName: 'security' }), 'InvalidClientTokenId');
    });
  });
}
