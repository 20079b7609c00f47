import { z } from 'zod';
import { awsString } from '../validation';


/** AWS `arnType` as used for `PolicyArn`. */
export const PolicyArn = awsString({ min: 20, max: 2048 });
/** AWS `policyDocumentType`: tab, line feed, carriage return and U+0020 to U+00FF. */
export const PolicyDocument = awsString({ min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' });
export const PolicyVersionId = awsString({ pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' });
export const PolicyDescription = awsString({ min: 0, max: 1000, stored: true });
/** AWS `ResourceNameType`, for `ResourceArns` and `PolicySourceArn`. */
export const ResourceName = awsString({ min: 1, max: 2048 });
/** AWS `ActionNameType`. */
export const ActionName = awsString({ min: 3, max: 128 });

export const DecisionKind = z.enum(['allowed', 'explicitDeny', 'implicitDeny']);
export type DecisionKind = z.infer<typeof DecisionKind>;

/**
 * Where a policy comes from: AWS's `SourcePolicyType` values. `user` and
 * `group` are inline policies; `aws-managed` and `user-managed` are managed
 * policies; `none` is a policy given in the request (simulation).
 */
export const PolicySourceType = z.enum(['user', 'group', 'aws-managed', 'user-managed', 'none']);
export type PolicySourceType = z.infer<typeof PolicySourceType>;

export const CONTEXT_KEY_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
] as const;

/** AWS `ContextEntry`. */
export const ContextEntry = z.strictObject({
  ContextKeyName: awsString({ min: 5, max: 256 }),
  ContextKeyValues: z.array(z.string().max(4096)).max(256),
  ContextKeyType: z.enum(CONTEXT_KEY_TYPES),
});
export type ContextEntry = z.infer<typeof ContextEntry>;

/**
 * Whether a caller may give condition key `name` for a decision about its own request
 * (`POST /v1/me/permissions`): only keys that come from the request's own parameters, which a
 * real request would give — `aws:RequestTag/…`, `aws:TagKeys`, and service keys such as
 * `iam:PolicyARN`, `iam:PermissionsBoundary` or `iam:PassedToService`. Every other `aws:` key is
 * a fact of the request that the server sets itself (`aws:SourceIp`, `aws:CurrentTime`,
 * `aws:username`, `aws:PrincipalTag/…`, `aws:MultiFactorAuthPresent`, …) or could set one day,
 * and the resource's tags (`aws:ResourceTag/…`, `iam:ResourceTag/…`) are read from the
 * resource: a caller giving them could make itself look allowed. Names are case-insensitive.
 */
export function callerMayGiveContextKey(name: string): boolean {
  const key = name.toLowerCase();
  if (key.startsWith('iam:resourcetag/')) return false;
  if (!key.startsWith('aws:')) return true;
  return key === 'aws:tagkeys' || key.startsWith('aws:requesttag/');
}
