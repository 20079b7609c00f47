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
  /** Service-to-service: a group by name (case-insensitive) or id. Unknown → `NoSuchEntity`. */
  ResolveGroup: 'directory.group.resolve',
  /** Service-to-service, bulk (the who-can view): the groups of many users, one query. */
  GroupsOfUsers: 'directory.users.groups',
  /** Service-to-service, bulk (the who-can view): the member user ids of many groups, one query. */
  MembersOfGroups: 'directory.groups.members',
} as const;

export const DirectoryEvents = {} as const;

export const UserIdRequest = z.strictObject({ UserId: z.string().min(1).max(128) });
export type UserIdRequest = z.infer<typeof UserIdRequest>;

export const ResolveGroupRequest = z.union([
  z.strictObject({ GroupName: z.string().min(1).max(128) }),
  z.strictObject({ GroupId: z.string().min(1).max(128) }),
]);
export type ResolveGroupRequest = z.infer<typeof ResolveGroupRequest>;

export const UserIdsRequest = z.strictObject({ UserIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type UserIdsRequest = z.infer<typeof UserIdsRequest>;
export const GroupIdsRequest = z.strictObject({ GroupIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type GroupIdsRequest = z.infer<typeof GroupIdsRequest>;

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
  [DirectoryPatterns.ResolveGroup]: { request: ResolveGroupRequest; reply: GroupRef };
  /** Every requested user id is a key; users without groups map to `[]`. */
  [DirectoryPatterns.GroupsOfUsers]: { request: UserIdsRequest; reply: { Groups: Record<string, GroupRef[]> } };
  /** Every requested group id that exists is a key, mapped to its members' user ids. */
  [DirectoryPatterns.MembersOfGroups]: { request: GroupIdsRequest; reply: { Members: Record<string, string[]> } };
}

export const DirectoryRequests = {
  [DirectoryPatterns.Health]: z.strictObject({}),
  [DirectoryPatterns.GroupsOfUser]: UserIdRequest,
  [DirectoryPatterns.BeginUserDelete]: UserIdRequest,
  [DirectoryPatterns.CancelUserDelete]: UserIdRequest,
  [DirectoryPatterns.ResolveGroup]: ResolveGroupRequest,
  [DirectoryPatterns.GroupsOfUsers]: UserIdsRequest,
  [DirectoryPatterns.MembersOfGroups]: GroupIdsRequest,
} satisfies { [P in keyof DirectoryMessages]: z.ZodType<DirectoryMessages[P]['request']> };

/** Events of the directory service. */
export type DirectoryEventMap = Record<never, never>;
