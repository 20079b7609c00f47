import { z } from 'zod';
import { awsString } from '../validation';

/** A group in AWS's shape. */
export interface Group {
  Path: string;
  GroupName: string;
  /** `AGPA` followed by 17 upper-case letters and digits. */
  GroupId: string;
  /** `arn:aws:iam::ACCOUNT:group/PATH/NAME`. */
  Arn: string;
  /** ISO 8601. */
  CreateDate: string;
}

/** A group as the decision path needs it. */
export const GroupRef = z.strictObject({
  GroupId: z.string(),
  GroupName: z.string(),
  Path: z.string(),
  Arn: z.string(),
});
export type GroupRef = z.infer<typeof GroupRef>;

/** Immutable ids of users and groups (`AIDA…`, `AGPA…`). */
export const EntityId = awsString({ min: 1, max: 128, pattern: '[\\w]+' });
