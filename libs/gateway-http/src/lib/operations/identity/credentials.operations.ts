import { Arns, IamError, IdentityPatterns } from '@iam/contracts';
import { type Check, defineOperation, input, required } from '../operation';
import { AccessKeyMetadataOut, LoginProfileOut, Out, PageMembers, PageOut, Shapes } from '../shapes';
import { callerRef, isNotFound, resourceTagContext, userOrCaller, userTarget } from '../targets';
import { GatewayErrors } from '../../http/gateway-errors';

const TAG = 'Credentials';

export const CreateLoginProfile = defineOperation({
  name: 'CreateLoginProfile',
  query: true,
  tag: TAG,
  summary: 'Gives a user a console password (checked against the account password policy).',
  input: input({ UserName: required(Shapes.existingUserName), Password: required(Shapes.password), PasswordResetRequired: { type: 'boolean' } }),
  output: Out.struct({ LoginProfile: LoginProfileOut }),
  checks: async (i, c) => [{ action: 'iam:CreateLoginProfile', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.CreateLoginProfile, i),
  rest: { method: 'POST', path: '/v1/users/{UserName}/login-profile', status: 201 },
});

export const GetLoginProfile = defineOperation({
  name: 'GetLoginProfile',
  query: true,
  tag: TAG,
  summary: "A user's login profile: when it was created and whether the password must be reset.",
  input: input({ UserName: required(Shapes.existingUserName) }),
  output: Out.struct({ LoginProfile: LoginProfileOut }),
  checks: async (i, c) => [{ action: 'iam:GetLoginProfile', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.GetLoginProfile, i),
  rest: { method: 'GET', path: '/v1/users/{UserName}/login-profile' },
});

export const UpdateLoginProfile = defineOperation({
  name: 'UpdateLoginProfile',
  query: true,
  tag: TAG,
  summary: "Resets a user's password and/or its reset-required flag; a new password ends the user's sessions.",
  input: input({ UserName: required(Shapes.existingUserName), Password: Shapes.password, PasswordResetRequired: { type: 'boolean' } }),
  checks: async (i, c) => [{ action: 'iam:UpdateLoginProfile', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.UpdateLoginProfile, i),
  rest: { method: 'PATCH', path: '/v1/users/{UserName}/login-profile', status: 204 },
});

export const DeleteLoginProfile = defineOperation({
  name: 'DeleteLoginProfile',
  query: true,
  tag: TAG,
  summary: "Removes a user's console password and ends its sessions.",
  input: input({ UserName: required(Shapes.existingUserName) }),
  checks: async (i, c) => [{ action: 'iam:DeleteLoginProfile', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.DeleteLoginProfile, i),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/login-profile', status: 204 },
});

export const ChangePassword = defineOperation({
  name: 'ChangePassword',
  query: true,
  tag: TAG,
  summary:
    "The calling user changes its own password. Allowed when the account password policy lets users change their password, else with iam:ChangePassword on the caller. Ends the caller's sessions.",
  input: input({ OldPassword: required(Shapes.password), NewPassword: required(Shapes.password) }),
  allowedWhilePasswordResetRequired: true,
  checks: async (_i, c): Promise<Check[]> => {
    if (c.caller.type === 'root') return [];
    const policy = await c.bus.send(IdentityPatterns.GetAccountPasswordPolicy, {}).catch((error: unknown) => {
      if (error instanceof IamError && error.code === 'NoSuchEntity') return undefined;
      throw error;
    });
    if (policy?.PasswordPolicy.AllowUsersToChangePassword) return [];
    return [{ action: 'iam:ChangePassword', resource: c.caller.arn }];
  },
  call: (i, c) => c.bus.send(IdentityPatterns.ChangePassword, { Caller: callerRef(c), OldPassword: i.OldPassword, NewPassword: i.NewPassword }),
  rest: { method: 'POST', path: '/v1/me/password', status: 204 },
});

const PasswordPolicyOut = Out.struct({
  MinimumPasswordLength: Out.int,
  RequireSymbols: Out.bool,
  RequireNumbers: Out.bool,
  RequireUppercaseCharacters: Out.bool,
  RequireLowercaseCharacters: Out.bool,
  AllowUsersToChangePassword: Out.bool,
  ExpirePasswords: Out.bool,
  MaxPasswordAge: Out.int,
  PasswordReusePrevention: Out.int,
  HardExpiry: Out.bool,
});

export const GetAccountPasswordPolicy = defineOperation({
  name: 'GetAccountPasswordPolicy',
  query: true,
  tag: 'Account',
  summary:
    'The account password policy; NoSuchEntity when none is set. Needs iam:GetAccountPasswordPolicy, except (as in AWS) when the policy lets users change their password, and for a session that must change its password (it needs the rules to choose one).',
  input: input({}),
  output: Out.struct({ PasswordPolicy: PasswordPolicyOut }),
  allowedWhilePasswordResetRequired: true,
  checks: async (_i, c): Promise<Check[]> => {
    const check: Check = { action: 'iam:GetAccountPasswordPolicy', resource: '*' };
    if (c.caller.type !== 'user') return [check];
    if (c.caller.passwordResetRequired) return [];
    const policy = await c.bus.send(IdentityPatterns.GetAccountPasswordPolicy, {}).catch((error: unknown) => {
      if (error instanceof IamError && error.code === 'NoSuchEntity') return undefined;
      throw error;
    });
    return policy?.PasswordPolicy.AllowUsersToChangePassword ? [] : [check];
  },
  call: (_i, c) => c.bus.send(IdentityPatterns.GetAccountPasswordPolicy, {}),
  rest: { method: 'GET', path: '/v1/account/password-policy' },
});

export const UpdateAccountPasswordPolicy = defineOperation({
  name: 'UpdateAccountPasswordPolicy',
  query: true,
  tag: 'Account',
  summary: 'Sets the whole account password policy; omitted members take AWS defaults.',
  input: input({
    MinimumPasswordLength: { type: 'integer', min: 6, max: 128 },
    RequireSymbols: { type: 'boolean' },
    RequireNumbers: { type: 'boolean' },
    RequireUppercaseCharacters: { type: 'boolean' },
    RequireLowercaseCharacters: { type: 'boolean' },
    AllowUsersToChangePassword: { type: 'boolean' },
    MaxPasswordAge: { type: 'integer', min: 1, max: 1095 },
    PasswordReusePrevention: { type: 'integer', min: 1, max: 24 },
    HardExpiry: { type: 'boolean' },
  }),
  checks: () => [{ action: 'iam:UpdateAccountPasswordPolicy', resource: '*' }],
  call: (i, c) => c.bus.send(IdentityPatterns.UpdateAccountPasswordPolicy, i),
  rest: { method: 'PUT', path: '/v1/account/password-policy', status: 204 },
});

export const DeleteAccountPasswordPolicy = defineOperation({
  name: 'DeleteAccountPasswordPolicy',
  query: true,
  tag: 'Account',
  summary: "Removes the account password policy; AWS's default rules apply again.",
  input: input({}),
  checks: () => [{ action: 'iam:DeleteAccountPasswordPolicy', resource: '*' }],
  call: (_i, c) => c.bus.send(IdentityPatterns.DeleteAccountPasswordPolicy, {}),
  rest: { method: 'DELETE', path: '/v1/account/password-policy', status: 204 },
});

const AccessKeyOut = Out.struct({ UserName: Out.text, AccessKeyId: Out.text, Status: Out.text, SecretAccessKey: Out.text, CreateDate: Out.timestamp });

export const CreateAccessKey = defineOperation({
  name: 'CreateAccessKey',
  query: true,
  tag: TAG,
  summary: 'Creates an access key for a user (the caller without UserName). The secret is in this reply only.',
  input: input({ UserName: Shapes.existingUserName }),
  output: Out.struct({ AccessKey: AccessKeyOut }),
  checks: async (i, c) => {
    const target = await userOrCaller(c, i.UserName);
    return [{ action: 'iam:CreateAccessKey', resource: target.arn, context: resourceTagContext(target) }];
  },
  call: (i, c) => c.bus.send(IdentityPatterns.CreateAccessKey, i.UserName !== undefined ? { UserName: i.UserName } : { Caller: callerRef(c) }),
  rest: { method: 'POST', path: '/v1/users/{UserName}/access-keys', status: 201 },
});

export const ListAccessKeys = defineOperation({
  name: 'ListAccessKeys',
  query: true,
  tag: TAG,
  summary: "Metadata of a user's access keys (the caller's without UserName), oldest first; never the secret.",
  input: input({ UserName: Shapes.existingUserName, ...PageMembers }),
  output: Out.struct({ AccessKeyMetadata: Out.list(AccessKeyMetadataOut), ...PageOut }),
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListAccessKeys', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.ListAccessKeys, i.UserName !== undefined ? i : { ...i, Caller: callerRef(c) }),
  rest: { method: 'GET', path: '/v1/users/{UserName}/access-keys' },
});

export const UpdateAccessKey = defineOperation({
  name: 'UpdateAccessKey',
  query: true,
  tag: TAG,
  summary: 'Sets an access key Active or Inactive; an inactive key is refused on the next request.',
  input: input({ UserName: Shapes.existingUserName, AccessKeyId: required(Shapes.accessKeyId), Status: required({ type: 'string', enum: ['Active', 'Inactive'] }) }),
  checks: async (i, c) => [{ action: 'iam:UpdateAccessKey', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.UpdateAccessKey, i.UserName !== undefined ? i : { ...i, Caller: callerRef(c) }),
  rest: { method: 'PATCH', path: '/v1/users/{UserName}/access-keys/{AccessKeyId}', status: 204 },
});

export const DeleteAccessKey = defineOperation({
  name: 'DeleteAccessKey',
  query: true,
  tag: TAG,
  summary: 'Deletes an access key; it is refused on the next request.',
  input: input({ UserName: Shapes.existingUserName, AccessKeyId: required(Shapes.accessKeyId) }),
  checks: async (i, c) => [{ action: 'iam:DeleteAccessKey', resource: (await userOrCaller(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.DeleteAccessKey, i.UserName !== undefined ? i : { ...i, Caller: callerRef(c) }),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/access-keys/{AccessKeyId}', status: 204 },
});

export const GetAccessKeyLastUsed = defineOperation({
  name: 'GetAccessKeyLastUsed',
  query: true,
  tag: TAG,
  summary:
    'When and where an access key was last used. The key names its owner, so the owner is looked up first and the reply is given only when iam:GetAccessKeyLastUsed on the owner is allowed; that an unknown key does not exist is told only to a caller allowed on every user, and a denial reads the same whether the key exists or not (it never names the owner).',
  input: input({ AccessKeyId: required(Shapes.accessKeyId) }),
  output: Out.struct({ UserName: Out.text, AccessKeyLastUsed: Out.struct({ LastUsedDate: Out.timestamp, ServiceName: Out.text, Region: Out.text }) }),
  // The resource is the key's owner, known only from the reply: see `call`.
  checks: () => [],
  call: async (i, c) => {
    const action = 'iam:GetAccessKeyLastUsed';
    // Every denial reads the same whether the key exists and whose it is: the message names
    // the key the caller gave, never its owner.
    const denied = (error: unknown): never => {
      if (error instanceof IamError && error.code === 'AccessDenied') {
        throw GatewayErrors.accessKeyDenied(c.caller.arn, action, i.AccessKeyId);
      }
      throw error;
    };
    const found = await c.bus.send(IdentityPatterns.GetAccessKeyLastUsed, i).catch(async (error: unknown) => {
      // An unknown key names no owner: checked as if it were every user's, so that a caller
      // allowed on some users only cannot tell an unknown key from another user's.
      if (isNotFound(error)) await c.authorize([{ action, resource: Arns.user(c.accountId, '/', '*') }]).catch(denied);
      throw error;
    });
    await c.authorize([{ action, resource: found.UserArn }]).catch(denied);
    return { UserName: found.UserName, AccessKeyLastUsed: found.AccessKeyLastUsed };
  },
  rest: { method: 'GET', path: '/v1/access-keys/{AccessKeyId}/last-used' },
});

export const CREDENTIAL_OPERATIONS = [
  CreateLoginProfile,
  GetLoginProfile,
  UpdateLoginProfile,
  DeleteLoginProfile,
  ChangePassword,
  CreateAccessKey,
  ListAccessKeys,
  UpdateAccessKey,
  DeleteAccessKey,
  GetAccessKeyLastUsed,
  GetAccountPasswordPolicy,
  UpdateAccountPasswordPolicy,
  DeleteAccountPasswordPolicy,
];
