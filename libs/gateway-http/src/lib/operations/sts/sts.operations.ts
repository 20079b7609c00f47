import { Arns, IdentityPatterns } from '@iam/contracts';
import { defineOperation, input, required } from '../operation';
import { Out, Shapes } from '../shapes';

const TAG = 'STS';

/**
 * AWS STS `GetCallerIdentity` on the same endpoint (Query API `Version=2011-06-15`, signed
 * for service `sts`): who is calling. As in AWS, no permission is needed.
 */
export const GetCallerIdentity = defineOperation({
  name: 'GetCallerIdentity',
  query: true,
  api: 'sts',
  tag: TAG,
  summary: 'Who is calling: the account, the ARN and the unique id of the caller (the account id for root). No permission is needed.',
  input: input({}),
  output: Out.struct({ UserId: Out.text, Account: Out.text, Arn: Out.text }),
  allowedWhilePasswordResetRequired: true,
  checks: () => [],
  call: async (_i, c) => {
    const caller = c.caller;
    if (caller.type === 'root') return { UserId: caller.accountId, Account: caller.accountId, Arn: Arns.root(caller.accountId) };
    return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
  },
  rest: { method: 'GET', path: '/v1/me/caller-identity' },
});

/**
 * AWS STS `GetAccessKeyInfo`: the account an access key belongs to. Needs
 * `sts:GetAccessKeyInfo`. Only keys of this server's account are known: another key is
 * `NoSuchEntity` (AWS decodes the account of any key).
 */
export const GetAccessKeyInfo = defineOperation({
  name: 'GetAccessKeyInfo',
  query: true,
  api: 'sts',
  tag: TAG,
  summary: 'The account an access key of this server belongs to. Needs sts:GetAccessKeyInfo.',
  input: input({ AccessKeyId: required(Shapes.accessKeyId) }),
  output: Out.struct({ Account: Out.text }),
  checks: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
  call: async (i, c) => {
    await c.bus.send(IdentityPatterns.GetAccessKeyLastUsed, { AccessKeyId: i.AccessKeyId });
    return { Account: c.accountId };
  },
  rest: { method: 'GET', path: '/v1/access-keys/{AccessKeyId}/account' },
});

export const STS_OPERATIONS = [GetCallerIdentity, GetAccessKeyInfo];
