import { z } from 'zod';
import { EntityPath, ExistingUserName, GroupName, HealthReply, Page, PageRequest, PathPrefix } from './common';
import type { User } from './identity';
import { awsString } from './validation';

/**
 * Directory: groups and memberships, keyed by immutable user and group ids.
 *
 * A group holds users only. There is no operation that puts a group in a
 * group: every input that names a group is validated as a group name and
 * resolved among groups, every input that names a user is resolved among
 * identity's users.
 *
 * Names of groups are unique per account regardless of case and are looked
 * up regardless of case. Memberships store the user id and the group id only,
 * so renaming a user or a group changes no membership.
 *
 * Pagination follows AWS: pass the reply's `Marker` back as `Marker` while
 * `IsTruncated` is true. `MaxItems` is 1–1000, 100 by default. A marker is
 * opaque; one that this service did not issue is refused with `InvalidInput`.
 */
export const DirectoryPatterns = {
  Health: 'directory.health',
  /**
   * AWS `CreateGroup`. `Path` defaults to `/`.
   * Errors: `EntityAlreadyExists` when a group of that name exists (regardless
   * of case), `LimitExceeded` past the groups-per-account quota (300 by
   * default, `IAM_MAX_GROUPS_PER_ACCOUNT`), `ValidationError` for a bad name or path.
   * Publishes `directory.group.created`.
   */
  CreateGroup: 'directory.group.create',
  /**
   * AWS `GetGroup`: the group and one page of its members as AWS `User`s,
   * ordered by user id (stable across renames). Members are resolved with
   * identity in one bulk call per page; a member identity no longer knows (a
   * user being deleted whose memberships are not yet dropped) is left out of
   * the page. Unknown group → `NoSuchEntity`.
   */
  GetGroup: 'directory.group.get',
  /**
   * AWS `ListGroups`: the groups whose path starts with `PathPrefix` (default
   * `/`, all groups), ordered by name regardless of case.
   */
  ListGroups: 'directory.groups.list',
  /**
   * AWS `UpdateGroup`: renames (`NewGroupName`) and/or moves (`NewPath`) a
   * group; neither given is a no-op. Memberships and the group id are kept.
   * Errors: `NoSuchEntity`, `EntityAlreadyExists` when another group has the
   * new name regardless of case, `EntityTemporarilyUnmodifiable` while the
   * group is being deleted. Publishes `directory.group.updated`.
   */
  UpdateGroup: 'directory.group.update',
  /**
   * AWS `DeleteGroup`. The group must have no members (`DeleteConflict`:
   * "Cannot delete entity, must remove users from group first."), no attached
   * managed policies ("Cannot delete entity, must detach all policies first.")
   * and no inline policies ("Cannot delete entity, must delete policies
   * first."); the policy counts come from authorization's
   * `BeginPrincipalDelete`, which also stops policies being attached
   * meanwhile. While a delete is under way, adds to the group and updates of
   * it are refused with `EntityTemporarilyUnmodifiable`. Authorization unreachable →
   * `ServiceUnavailable`, nothing changed. Unknown group → `NoSuchEntity`.
   * Publishes `directory.group.deleted`.
   */
  DeleteGroup: 'directory.group.delete',
  /**
   * AWS `AddUserToGroup`. Adding a member again is not an error. Errors:
   * `NoSuchEntity` when the user does not exist or is being deleted, or when
   * the group does not exist; `LimitExceeded` past the groups-per-user quota
   * (10, `IAM_MAX_GROUPS_PER_USER`); `EntityTemporarilyUnmodifiable` while the group
   * is being deleted. Serialized with `BeginUserDelete` of the same user: a
   * successful reply means the membership is committed and is counted by any
   * later delete of the user. Publishes `directory.membership.added`.
   */
  AddUserToGroup: 'directory.membership.add',
  /**
   * AWS `RemoveUserFromGroup`. Errors: `NoSuchEntity` when the group or the
   * user does not exist, and (as AWS) when the user is not a member of the
   * group. Consistency: once it returned, every `GroupsOfUser`,
   * `ListGroupsForUser` and `GetGroup` that starts sees the removal.
   * Publishes `directory.membership.removed`.
   */
  RemoveUserFromGroup: 'directory.membership.remove',
  /**
   * AWS `ListGroupsForUser`: the user's groups ordered by name regardless of
   * case. Unknown user → `NoSuchEntity`. Reads committed state, like `GroupsOfUser`.
   */
  ListGroupsForUser: 'directory.user.groups.list',
  /**
   * Service-to-service, the decision path: the groups of a user by id, in one
   * indexed query, ordered by group name regardless of case. Consistency:
   * reads committed state with no cache, so a membership removal is seen by
   * every call that starts after `RemoveUserFromGroup` returned. An unknown or
   * deleted user has no groups (empty list, not an error).
   */
  GroupsOfUser: 'directory.user.groups',
  /**
   * Service-to-service, step 1 of `DeleteUser` in identity: records a
   * tombstone for the user id, so that from now on adds of this user are
   * refused, and replies how many memberships remain. If any remain, identity
   * answers `DeleteConflict` and calls `CancelUserDelete`. Idempotent.
   * Serialized with `AddUserToGroup` of the same user: every add that
   * succeeded before is counted, every add after is refused.
   */
  BeginUserDelete: 'directory.user.begin-delete',
  /** Service-to-service: undoes `BeginUserDelete` when the delete does not go ahead. Idempotent. */
  CancelUserDelete: 'directory.user.cancel-delete',
  /** Service-to-service: a group by name (case-insensitive) or id. Unknown → `NoSuchEntity`. */
  ResolveGroup: 'directory.group.resolve',
  /** Service-to-service, bulk (the who-can view): the groups of many users, one query. */
  GroupsOfUsers: 'directory.users.groups',
  /** Service-to-service, bulk (the who-can view): the member user ids of many groups, one query. */
  MembersOfGroups: 'directory.groups.members',
} as const;

/**
 * Events of the directory service, published after commit to every replica
 * that subscribes (for caches elsewhere). A lost event loses no grant: the
 * decision path reads memberships with `GroupsOfUser`, never from a cache.
 */
export const DirectoryEvents = {
  GroupCreated: 'directory.group.created',
  /** Renamed and/or moved; the id is unchanged. */
  GroupUpdated: 'directory.group.updated',
  /** Published after the group row is gone. */
  GroupDeleted: 'directory.group.deleted',
  MembershipAdded: 'directory.membership.added',
  /** A member removed, or dropped because its user was deleted in identity. */
  MembershipRemoved: 'directory.membership.removed',
} as const;

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
export interface GroupRef {
  GroupId: string;
  GroupName: string;
  Path: string;
  Arn: string;
}

/** Immutable ids of users and groups (`AIDA…`, `AGPA…`). */
export const EntityId = awsString({ min: 1, max: 128, pattern: '[\\w]+' });

export const CreateGroupRequest = z.strictObject({ GroupName, Path: EntityPath.optional() });
export type CreateGroupRequest = z.infer<typeof CreateGroupRequest>;

export const GetGroupRequest = z.strictObject({ GroupName, ...PageRequest.shape });
export type GetGroupRequest = z.infer<typeof GetGroupRequest>;

export const ListGroupsRequest = z.strictObject({ PathPrefix: PathPrefix.optional(), ...PageRequest.shape });
export type ListGroupsRequest = z.infer<typeof ListGroupsRequest>;

export const UpdateGroupRequest = z.strictObject({
  GroupName,
  NewGroupName: GroupName.optional(),
  NewPath: EntityPath.optional(),
});
export type UpdateGroupRequest = z.infer<typeof UpdateGroupRequest>;

export const DeleteGroupRequest = z.strictObject({ GroupName });
export type DeleteGroupRequest = z.infer<typeof DeleteGroupRequest>;

/** A user (by name, case-insensitive) and a group (by name, case-insensitive). */
export const MembershipRequest = z.strictObject({ GroupName, UserName: ExistingUserName });
export type MembershipRequest = z.infer<typeof MembershipRequest>;

export const ListGroupsForUserRequest = z.strictObject({ UserName: ExistingUserName, ...PageRequest.shape });
export type ListGroupsForUserRequest = z.infer<typeof ListGroupsForUserRequest>;

export const UserIdRequest = z.strictObject({ UserId: z.string().min(1).max(128) });
export type UserIdRequest = z.infer<typeof UserIdRequest>;

/** Exactly one of `GroupName` (validated as a group name) or `GroupId`. */
export type ResolveGroupRequest = { GroupName: string } | { GroupId: string };
export const ResolveGroupRequest: z.ZodType<ResolveGroupRequest> = z
  .strictObject({ GroupName: GroupName.optional(), GroupId: EntityId.optional() })
  .superRefine((value, ctx) => {
    if (value.GroupName === undefined && value.GroupId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['GroupName'], message: 'Member must not be null', params: { value: null } });
    }
    if (value.GroupName !== undefined && value.GroupId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['GroupId'],
        message: 'Member must not be given together with groupName',
        params: { value: value.GroupId },
      });
    }
  })
  .transform((value): ResolveGroupRequest =>
    value.GroupName !== undefined ? { GroupName: value.GroupName } : { GroupId: value.GroupId as string },
  );

export const UserIdsRequest = z.strictObject({ UserIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type UserIdsRequest = z.infer<typeof UserIdsRequest>;
export const GroupIdsRequest = z.strictObject({ GroupIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type GroupIdsRequest = z.infer<typeof GroupIdsRequest>;

/**
 * A member as `GetGroup` lists it: AWS's `User` shape without tags.
 * `CreateDate` and `PasswordLastUsed` are filled in when identity's
 * `ResolveUsers` supplies them.
 */
export type GroupMember = Omit<User, 'CreateDate' | 'Tags'> & { CreateDate?: string };

export interface GroupReply {
  Group: Group;
}

export interface GetGroupReply extends Page {
  Group: Group;
  /** One page of members, ordered by user id. */
  Users: GroupMember[];
}

export interface GroupsPage extends Page {
  Groups: Group[];
}

export interface DirectoryMessages {
  [DirectoryPatterns.Health]: { request: Record<string, never>; reply: HealthReply };
  [DirectoryPatterns.CreateGroup]: { request: CreateGroupRequest; reply: GroupReply };
  [DirectoryPatterns.GetGroup]: { request: GetGroupRequest; reply: GetGroupReply };
  [DirectoryPatterns.ListGroups]: { request: ListGroupsRequest; reply: GroupsPage };
  [DirectoryPatterns.UpdateGroup]: { request: UpdateGroupRequest; reply: Record<string, never> };
  [DirectoryPatterns.DeleteGroup]: { request: DeleteGroupRequest; reply: Record<string, never> };
  [DirectoryPatterns.AddUserToGroup]: { request: MembershipRequest; reply: Record<string, never> };
  [DirectoryPatterns.RemoveUserFromGroup]: { request: MembershipRequest; reply: Record<string, never> };
  [DirectoryPatterns.ListGroupsForUser]: { request: ListGroupsForUserRequest; reply: GroupsPage };
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
  [DirectoryPatterns.CreateGroup]: CreateGroupRequest,
  [DirectoryPatterns.GetGroup]: GetGroupRequest,
  [DirectoryPatterns.ListGroups]: ListGroupsRequest,
  [DirectoryPatterns.UpdateGroup]: UpdateGroupRequest,
  [DirectoryPatterns.DeleteGroup]: DeleteGroupRequest,
  [DirectoryPatterns.AddUserToGroup]: MembershipRequest,
  [DirectoryPatterns.RemoveUserFromGroup]: MembershipRequest,
  [DirectoryPatterns.ListGroupsForUser]: ListGroupsForUserRequest,
  [DirectoryPatterns.GroupsOfUser]: UserIdRequest,
  [DirectoryPatterns.BeginUserDelete]: UserIdRequest,
  [DirectoryPatterns.CancelUserDelete]: UserIdRequest,
  [DirectoryPatterns.ResolveGroup]: ResolveGroupRequest,
  [DirectoryPatterns.GroupsOfUsers]: UserIdsRequest,
  [DirectoryPatterns.MembersOfGroups]: GroupIdsRequest,
} satisfies { [P in keyof DirectoryMessages]: z.ZodType<DirectoryMessages[P]['request']> };

/** Events of the directory service. */
export interface DirectoryEventMap {
  [DirectoryEvents.GroupCreated]: { GroupId: string; GroupName: string; Path: string };
  [DirectoryEvents.GroupUpdated]: { GroupId: string; GroupName: string; Path: string };
  [DirectoryEvents.GroupDeleted]: { GroupId: string; GroupName: string };
  [DirectoryEvents.MembershipAdded]: { UserId: string; GroupId: string };
  [DirectoryEvents.MembershipRemoved]: { UserId: string; GroupId: string };
}
