import { Arns, IdentityPatterns, type UserReply } from '@iam/contracts';
import { requestTagContext } from '../../application/request-context';
import { defineOperation, input, required } from '../operation';
import { Out, Shapes, TagList, UserOut } from '../shapes';
import { callerUserName, resourceTagContext, userTarget } from '../targets';

const TAG = 'Users';

export const CreateUser = defineOperation({
  name: 'CreateUser',
  query: true,
  tag: TAG,
  summary: 'Creates a user. Names are unique regardless of case.',
  input: input({ UserName: required(Shapes.userName), Path: Shapes.path, Tags: TagList }),
  output: Out.struct({ User: UserOut }),
  checks: (i, c) => [
    {
      action: 'iam:CreateUser',
      resource: Arns.user(c.accountId, i.Path ?? '/', i.UserName),
      context: requestTagContext(i.Tags),
    },
  ],
  call: (i, c) => c.bus.send(IdentityPatterns.CreateUser, i),
  rest: { method: 'POST', path: '/v1/users', status: 201 },
});

export const GetUser = defineOperation({
  name: 'GetUser',
  query: true,
  tag: TAG,
  summary: 'Gets a user by name, case-insensitively; without a name, the caller.',
  input: input({ UserName: Shapes.existingUserName }),
  output: Out.struct({ User: UserOut }),
  checks: async (i, c) => {
    if (i.UserName === undefined) return [{ action: 'iam:GetUser', resource: c.caller.arn }];
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:GetUser', resource: target.arn, context: resourceTagContext(target) }];
  },
  call: async (i, c): Promise<UserReply> => {
    const name = i.UserName ?? callerUserName(c, 'GetUser');
    return c.bus.send(IdentityPatterns.GetUser, { UserName: name });
  },
  rest: { method: 'GET', path: '/v1/users/{UserName}' },
});

export const GetCallerUser = defineOperation({
  name: 'GetCallerUser',
  query: false,
  tag: TAG,
  summary: 'Gets the calling user (GetUser without a name).',
  input: input({}),
  output: Out.struct({ User: UserOut }),
  checks: (_i, c) => [{ action: 'iam:GetUser', resource: c.caller.arn }],
  call: (_i, c) => c.bus.send(IdentityPatterns.GetUser, { UserName: callerUserName(c, 'GetUser') }),
  rest: { method: 'GET', path: '/v1/me' },
});

export const USER_OPERATIONS = [CreateUser, GetUser, GetCallerUser];
