import { Arns, IdentityPatterns } from '@iam/contracts';
import { requestTagContext, tagKeysContext } from '../../application/request-context';
import { type Check, defineOperation, input, required } from '../operation';
import { Out, PageMembers, PageOut, Shapes, TagKeyList, TagList, TagOut, UserOut } from '../shapes';
import { resourceTagContext, userTarget } from '../targets';

const TAG = 'Users';

export const CreateUser = defineOperation({
  name: 'CreateUser',
  query: true,
  tag: TAG,
  summary: 'Creates a user. Names are unique regardless of case.',
  input: input({ UserName: required(Shapes.userName), Path: Shapes.path, Tags: TagList }),
  output: Out.struct({ User: UserOut }),
  unsupported: ['PermissionsBoundary'],
  checks: (i, c) => [
    { action: 'iam:CreateUser', resource: Arns.user(c.accountId, i.Path ?? '/', i.UserName), context: requestTagContext(i.Tags) },
  ],
  call: (i, c) => c.bus.send(IdentityPatterns.CreateUser, i),
  rest: { method: 'POST', path: '/v1/users', status: 201 },
});

export const GetUser = defineOperation({
  name: 'GetUser',
  query: true,
  tag: TAG,
  summary: 'Gets a user by name, case-insensitively; without a name, the caller (the root user for root).',
  input: input({ UserName: Shapes.existingUserName }),
  output: Out.struct({ User: UserOut }),
  checks: async (i, c) => {
    if (i.UserName === undefined) return [{ action: 'iam:GetUser', resource: c.caller.arn }];
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:GetUser', resource: target.arn, context: resourceTagContext(target) }];
  },
  call: async (i, c) => {
    if (i.UserName !== undefined) return c.bus.send(IdentityPatterns.GetUser, { UserName: i.UserName });
    if (c.caller.type === 'root') return c.bus.send(IdentityPatterns.GetRootUser, {});
    return c.bus.send(IdentityPatterns.GetUser, { Caller: { Type: 'user', UserId: c.caller.userId } });
  },
  rest: { method: 'GET', path: '/v1/users/{UserName}' },
});

export const GetCallerUser = defineOperation({
  name: 'GetCallerUser',
  query: false,
  tag: TAG,
  summary: 'Gets the caller: GetUser without a name.',
  input: input({}),
  output: Out.struct({ User: UserOut }),
  checks: (_i, c) => [{ action: 'iam:GetUser', resource: c.caller.arn }],
  call: async (_i, c) =>
    c.caller.type === 'root'
      ? c.bus.send(IdentityPatterns.GetRootUser, {})
      : c.bus.send(IdentityPatterns.GetUser, { Caller: { Type: 'user', UserId: c.caller.userId } }),
  rest: { method: 'GET', path: '/v1/me' },
});

export const ListUsers = defineOperation({
  name: 'ListUsers',
  query: true,
  tag: TAG,
  summary: 'Lists the users whose path starts with PathPrefix, by name.',
  input: input({ PathPrefix: Shapes.pathPrefix, ...PageMembers }),
  output: Out.struct({ Users: Out.list(UserOut), ...PageOut }),
  paginated: true,
  checks: () => [{ action: 'iam:ListUsers', resource: '*' }],
  call: (i, c) => c.bus.send(IdentityPatterns.ListUsers, i),
  rest: { method: 'GET', path: '/v1/users' },
});

export const UpdateUser = defineOperation({
  name: 'UpdateUser',
  query: true,
  tag: TAG,
  summary: 'Renames and/or moves a user. Needs iam:UpdateUser on both the old and the new ARN.',
  input: input({ UserName: required(Shapes.existingUserName), NewUserName: Shapes.userName, NewPath: Shapes.path }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    const renamed = Arns.user(c.accountId, i.NewPath ?? target.path, i.NewUserName ?? i.UserName);
    const checks: Check[] = [{ action: 'iam:UpdateUser', resource: target.arn, context: resourceTagContext(target) }];
    if (renamed !== target.arn) checks.push({ action: 'iam:UpdateUser', resource: renamed });
    return checks;
  },
  call: (i, c) => c.bus.send(IdentityPatterns.UpdateUser, i),
  rest: { method: 'PATCH', path: '/v1/users/{UserName}', status: 204 },
});

export const DeleteUser = defineOperation({
  name: 'DeleteUser',
  query: true,
  tag: TAG,
  summary: 'Deletes a user without login profile, access keys, groups or policies.',
  input: input({ UserName: required(Shapes.existingUserName) }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:DeleteUser', resource: target.arn, context: resourceTagContext(target) }];
  },
  call: (i, c) => c.bus.send(IdentityPatterns.DeleteUser, i),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}', status: 204 },
});

export const TagUser = defineOperation({
  name: 'TagUser',
  query: true,
  tag: TAG,
  summary: 'Adds or replaces tags of a user.',
  input: input({ UserName: required(Shapes.existingUserName), Tags: required({ ...TagList, min: 1 }) }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:TagUser', resource: target.arn, context: { ...resourceTagContext(target), ...requestTagContext(i.Tags) } }];
  },
  call: (i, c) => c.bus.send(IdentityPatterns.TagUser, i),
  rest: { method: 'POST', path: '/v1/users/{UserName}/tags', status: 204 },
});

export const UntagUser = defineOperation({
  name: 'UntagUser',
  query: true,
  tag: TAG,
  summary: 'Removes tags of a user by key (`?keys=a,b`).',
  input: input({ UserName: required(Shapes.existingUserName), TagKeys: required({ ...TagKeyList, min: 1 }) }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:UntagUser', resource: target.arn, context: { ...resourceTagContext(target), ...tagKeysContext(i.TagKeys) } }];
  },
  call: (i, c) => c.bus.send(IdentityPatterns.UntagUser, i),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/tags', status: 204, listParams: { keys: 'TagKeys' } },
});

export const ListUserTags = defineOperation({
  name: 'ListUserTags',
  query: true,
  tag: TAG,
  summary: "Lists a user's tags by key.",
  input: input({ UserName: required(Shapes.existingUserName), ...PageMembers }),
  output: Out.struct({ Tags: Out.list(TagOut), ...PageOut }),
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListUserTags', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(IdentityPatterns.ListUserTags, i),
  rest: { method: 'GET', path: '/v1/users/{UserName}/tags' },
});

export const USER_OPERATIONS = [CreateUser, ListUsers, GetUser, GetCallerUser, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags];
