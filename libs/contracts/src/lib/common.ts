import { z } from 'zod';
import { awsInteger, awsString } from './validation';

/** Name and path rules from the AWS IAM API model. */
export const NAME_PATTERN = '[\\w+=,.@-]+';
export const PATH_PATTERN = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
export const PATH_PREFIX_PATTERN = '\\u002F[\\u0021-\\u007F]*';
export const MARKER_PATTERN = '[\\u0020-\\u00FF]+';

export const UserName = awsString({ min: 1, max: 64, pattern: NAME_PATTERN });
/** Names of existing users may be up to 128 characters in AWS's model. */
export const ExistingUserName = awsString({ min: 1, max: 128, pattern: NAME_PATTERN });
export const GroupName = awsString({ min: 1, max: 128, pattern: NAME_PATTERN });
export const PolicyName = awsString({ min: 1, max: 128, pattern: NAME_PATTERN });
export const EntityPath = awsString({ min: 1, max: 512, pattern: PATH_PATTERN });
export const PathPrefix = awsString({ min: 1, max: 512, pattern: PATH_PREFIX_PATTERN });
export const Marker = awsString({ min: 1, max: 320, pattern: MARKER_PATTERN });
export const MaxItems = awsInteger(1, 1000);

export const TAG_KEY_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+';
export const TAG_VALUE_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';
export const Tag = z.object({
  Key: awsString({ min: 1, max: 128, pattern: TAG_KEY_PATTERN }),
  Value: awsString({ min: 0, max: 256, pattern: TAG_VALUE_PATTERN }),
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
