import { z } from 'zod';
import type { HealthReply } from './common';

/**
 * Directory: groups and memberships, keyed by immutable user and group ids.
 * A group holds users only; there is no operation that puts a group in a group.
 */
export const DirectoryPatterns = {
  Health: 'directory.health',
  /**
   * Service-to-service, the decision path: the groups of a user by id, in one
   * indexed query. Consistency: reads committed state, so a membership removal
   * is seen by every call that starts after `RemoveUserFromGroup` returned.
   * An unknown or deleted user has no groups (empty list, not an error).
   */
  GroupsOfUser: 'directory.user.groups',
  /**
   * Service-to-service, step 1 of `DeleteUser` in identity: from now on adds of
   * this user are refused, and the reply says how many memberships remain. If
   * any remain, identity answers `DeleteConflict` and calls `CancelUserDelete`.
   */
  BeginUserDelete: 'directory.user.begin-delete',
  /** Service-to-service: undoes `BeginUserDelete` when the delete does not go ahead. */
  CancelUserDelete: 'directory.user.cancel-delete',
} as const;

export const DirectoryEvents = {} as const;

export const UserIdRequest = z.strictObject({ UserId: z.string().min(1).max(128) });
export type UserIdRequest = z.infer<typeof UserIdRequest>;

/** A group as the decision path needs it. */
export interface GroupRef {
  GroupId: string;
  GroupName: string;
  Path: string;
  Arn: string;
}

export interface DirectoryMessages {
  [DirectoryPatterns.Health]: { request: Record<string, never>; reply: HealthReply };
  [DirectoryPatterns.GroupsOfUser]: { request: UserIdRequest; reply: { Groups: GroupRef[] } };
  [DirectoryPatterns.BeginUserDelete]: { request: UserIdRequest; reply: { MembershipCount: number } };
  [DirectoryPatterns.CancelUserDelete]: { request: UserIdRequest; reply: Record<string, never> };
}

export const DirectoryRequests = {
  [DirectoryPatterns.Health]: z.strictObject({}),
  [DirectoryPatterns.GroupsOfUser]: UserIdRequest,
  [DirectoryPatterns.BeginUserDelete]: UserIdRequest,
  [DirectoryPatterns.CancelUserDelete]: UserIdRequest,
} satisfies { [P in keyof DirectoryMessages]: z.ZodType<DirectoryMessages[P]['request']> };

/** Events of the directory service. */
export type DirectoryEventMap = Record<never, never>;
