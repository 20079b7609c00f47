import { z } from 'zod';
import { ExistingUserName, GroupName, PageRequest } from '../common';
import { event, pattern, payload, reply, type Empty } from '../pattern';
import { GroupsPage } from './groups';
import { GroupRef } from './shared';

// Memberships: `libs/directory-service/src/lib/memberships`.

/** A user (by name, case-insensitive) and a group (by name, case-insensitive). */
export const MembershipRequest = z.strictObject({ GroupName, UserName: ExistingUserName });
export type MembershipRequest = z.infer<typeof MembershipRequest>;

export const ListGroupsForUserRequest = z.strictObject({ UserName: ExistingUserName, ...PageRequest.shape });
export type ListGroupsForUserRequest = z.infer<typeof ListGroupsForUserRequest>;

export const UserIdRequest = z.strictObject({ UserId: z.string().min(1).max(128) });
export type UserIdRequest = z.infer<typeof UserIdRequest>;

export const UserIdsRequest = z.strictObject({ UserIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type UserIdsRequest = z.infer<typeof UserIdsRequest>;

export const MembershipPatterns = {
  /**
   * AWS `AddUserToGroup`. Adding a member again is not an error. Errors:
   * `NoSuchEntity` when the user does not exist or is being deleted, or when
   * the group does not exist; `LimitExceeded` past the groups-per-user quota
   * (10, `IAM_MAX_GROUPS_PER_USER`); `EntityTemporarilyUnmodifiable` while the group
   * is being deleted. Serialized with `BeginUserDelete` of the same user: a
   * successful reply means the membership is committed and is counted by any
   * later delete of the user. Publishes `directory.membership.added`.
   */
  AddUserToGroup: pattern('directory.membership.add', MembershipRequest, reply<Empty>()),
  /**
   * AWS `RemoveUserFromGroup`. Errors: `NoSuchEntity` when the group or the
   * user does not exist, and (as AWS) when the user is not a member of the
   * group. Consistency: once it returned, every `GroupsOfUser`,
   * `ListGroupsForUser` and `GetGroup` that starts sees the removal.
   * Publishes `directory.membership.removed`.
   */
  RemoveUserFromGroup: pattern('directory.membership.remove', MembershipRequest, reply<Empty>()),
  /**
   * AWS `ListGroupsForUser`: the user's groups ordered by name regardless of
   * case. Unknown user → `NoSuchEntity`. Reads committed state, like `GroupsOfUser`.
   */
  ListGroupsForUser: pattern('directory.user.groups.list', ListGroupsForUserRequest, reply<GroupsPage>()),
  /**
   * Service-to-service, the decision path: the groups of a user by id, in one
   * indexed query, ordered by group name regardless of case. Consistency:
   * reads committed state with no cache, so a membership removal is seen by
   * every call that starts after `RemoveUserFromGroup` returned. An unknown or
   * deleted user has no groups (empty list, not an error).
   */
  GroupsOfUser: pattern('directory.user.groups', UserIdRequest, z.strictObject({ Groups: z.array(GroupRef) })),
  /**
   * Service-to-service, bulk (the who-can view): the groups of many users, one query.
   * Every requested user id is a key; users without groups map to `[]`.
   */
  GroupsOfUsers: pattern('directory.users.groups', UserIdsRequest, z.strictObject({ Groups: z.record(z.string(), z.array(GroupRef)) })),
} as const;

export const MembershipEvents = {
  MembershipAdded: event('directory.membership.added', payload<{ UserId: string; GroupId: string }>()),
  /** A member removed, or dropped because its user was deleted in identity. */
  MembershipRemoved: event('directory.membership.removed', payload<{ UserId: string; GroupId: string }>()),
} as const;
