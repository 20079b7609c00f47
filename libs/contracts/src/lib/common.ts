import { z } from 'zod';
import { awsInteger, awsString, type AwsStringRules } from './validation';

/** Name and path rules from the AWS IAM API model. */
export const NAME_PATTERN = '[\\w+=,.@-]+';
export const PATH_PATTERN = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
export const PATH_PREFIX_PATTERN = '\\u002F[\\u0021-\\u007F]*';
export const POLICY_PATH_PATTERN = '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/';
export const MARKER_PATTERN = '[\\u0020-\\u00FF]+';
export const TAG_KEY_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
export const TAG_VALUE_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';
/** Tab, line feed, carriage return and U+0020 to U+00FF (policy documents and passwords). */
export const TEXT_PATTERN = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
/** AWS's rule for an account alias: 3 to 63 lower-case letters, digits and single hyphens, not at either end. */
export const ACCOUNT_ALIAS_PATTERN = '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$';

/**
 * The string types of the AWS IAM model (`@length`, `@pattern`) as plain data, the one source of
 * these rules: the contract schemas are built from them (`awsString(AwsStrings.userName)`), and
 * so are the gateway's input shapes (`{ type: 'string', ...AwsStrings.userName }`), so the two
 * validators cannot state a rule differently.
 */
export const AwsStrings = {
  userName: { min: 1, max: 64, pattern: NAME_PATTERN },
  /** Names of existing users may be up to 128 characters in AWS's model. */
  existingUserName: { min: 1, max: 128, pattern: NAME_PATTERN },
  groupName: { min: 1, max: 128, pattern: NAME_PATTERN },
  policyName: { min: 1, max: 128, pattern: NAME_PATTERN },
  path: { min: 1, max: 512, pattern: PATH_PATTERN },
  pathPrefix: { min: 1, max: 512, pattern: PATH_PREFIX_PATTERN },
  /** AWS `policyPathType`, for a policy's path and the prefixes that filter policies. */
  policyPath: { min: 1, max: 512, pattern: POLICY_PATH_PATTERN },
  /** AWS `arnType`. */
  arn: { min: 20, max: 2048 },
  marker: { min: 1, max: 320, pattern: MARKER_PATTERN },
  accessKeyId: { min: 16, max: 128, pattern: '[\\w]+' },
  /** AWS `passwordType`: a new password, and the old one when changing it. */
  password: { min: 1, max: 128, pattern: TEXT_PATTERN },
  /** A password offered at sign-in (no pattern: any text is merely refused as wrong). */
  offeredPassword: { min: 1, max: 128 },
  /** AWS `policyDocumentType`. */
  policyDocument: { min: 1, max: 131072, pattern: TEXT_PATTERN },
  policyVersionId: { pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' },
  /** Stored free text: no U+0000. */
  policyDescription: { min: 0, max: 1000, stored: true },
  tagKey: { min: 1, max: 128, pattern: TAG_KEY_PATTERN },
  tagValue: { min: 0, max: 256, pattern: TAG_VALUE_PATTERN },
  /** AWS `ActionNameType`. */
  actionName: { min: 3, max: 128 },
  /** AWS `ResourceNameType`. */
  resourceName: { min: 1, max: 2048 },
  /** AWS `ContextKeyNameType`. */
  contextKeyName: { min: 5, max: 256 },
  /** AWS `ContextKeyValueType`. */
  contextKeyValue: { max: 4096 },
  accountAlias: { min: 3, max: 63, pattern: ACCOUNT_ALIAS_PATTERN },
} as const satisfies Record<string, AwsStringRules>;

export const UserName = awsString(AwsStrings.userName);
export const ExistingUserName = awsString(AwsStrings.existingUserName);
export const GroupName = awsString(AwsStrings.groupName);
export const PolicyName = awsString(AwsStrings.policyName);
export const EntityPath = awsString(AwsStrings.path);
export const PathPrefix = awsString(AwsStrings.pathPrefix);
export const PolicyPath = awsString(AwsStrings.policyPath);
export const Marker = awsString(AwsStrings.marker);
/** AWS `maxItemsType`. */
export const MAX_ITEMS = { min: 1, max: 1000 } as const;
export const MaxItems = awsInteger(MAX_ITEMS.min, MAX_ITEMS.max);

export const Tag = z.object({
  Key: awsString(AwsStrings.tagKey),
  Value: awsString(AwsStrings.tagValue),
});
export type Tag = z.infer<typeof Tag>;
/** AWS allows at most 50 tags on an IAM entity. */
export const MAX_TAGS = 50;

/** Pagination in AWS's shape: pass `Marker` back to get the next page. */
export const PageRequest = z.object({
  Marker: Marker.optional(),
  MaxItems: MaxItems.optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;
export const DEFAULT_MAX_ITEMS = 100;

export interface Page {
  IsTruncated: boolean;
  /** Present only when `IsTruncated` is true. */
  Marker?: string;
}

/** ARNs of the account's entities. */
export const Arns = {
  root: (account: string) => `arn:aws:iam::${account}:root`,
  user: (account: string, path: string, name: string) => `arn:aws:iam::${account}:user${path}${name}`,
  group: (account: string, path: string, name: string) => `arn:aws:iam::${account}:group${path}${name}`,
  policy: (account: string, path: string, name: string) => `arn:aws:iam::${account}:policy${path}${name}`,
};

/** The three back-end services; each is also its queue group on the bus. */
export const SERVICES = ['identity', 'directory', 'authorization'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What every service's health pattern answers. */
export interface HealthReply {
  service: ServiceName;
  database: 'up';
}
