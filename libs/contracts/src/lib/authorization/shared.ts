import { z } from 'zod';
import { AwsStrings } from '../common';
import { awsList, awsString } from '../validation';


/** AWS `arnType`, for `PolicyArn` and `PolicySourceArn`. */
export const PolicyArn = awsString(AwsStrings.arn);
/** AWS `policyDocumentType`: tab, line feed, carriage return and U+0020 to U+00FF. */
export const PolicyDocument = awsString(AwsStrings.policyDocument);
export const PolicyVersionId = awsString(AwsStrings.policyVersionId);
export const PolicyDescription = awsString(AwsStrings.policyDescription);
/** AWS `ResourceNameType`, for `ResourceArns`. */
export const ResourceName = awsString(AwsStrings.resourceName);
/** AWS `ActionNameType`. */
export const ActionName = awsString(AwsStrings.actionName);

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
  ContextKeyName: awsString(AwsStrings.contextKeyName),
  ContextKeyValues: awsList(awsString(AwsStrings.contextKeyValue), 0, 256),
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
