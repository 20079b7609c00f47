import { z } from 'zod';
import { EntityPath, GroupName, Page, PageRequest, PathPrefix } from '../common';
import type { User } from '../identity';
import { event, NoInput, pattern, payload, reply, type Empty } from '../pattern';
import { EntityId, Group, GroupRef } from './shared';

// Groups: `libs/directory-service/src/lib/groups`.

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

export const GroupIdsRequest = z.strictObject({ GroupIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type GroupIdsRequest = z.infer<typeof GroupIdsRequest>;

/**
 * A member as `GetGroup` lists it: AWS's `User` shape without tags.
 * `CreateDate` and `PasswordLastUsed` are filled in when identity's
 * `ResolveUsers` supplies them.
 */
export type GroupMember = Omit<User, 'Tags'>;

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

/** What directory counts and enforces, in AWS's `GetAccountSummary` keys. */
export const DirectoryAccountSummary = z.strictObject({
  /** How many groups the account has. */
  Groups: z.number().int().min(0),
  /** Groups per account, as directory enforces it (`IAM_MAX_GROUPS_PER_ACCOUNT`). */
  GroupsQuota: z.number().int().min(1),
  /** Groups per user, as directory enforces it (`IAM_MAX_GROUPS_PER_USER`). */
  GroupsPerUserQuota: z.number().int().min(1),
});
export type DirectoryAccountSummary = z.infer<typeof DirectoryAccountSummary>;

export const GroupPatterns = {
  /**
   * AWS `CreateGroup`. `Path` defaults to `/`.
   * Errors: `EntityAlreadyExists` when a group of that name exists (regardless
   * of case), `LimitExceeded` past the groups-per-account quota (300 by
   * default, `IAM_MAX_GROUPS_PER_ACCOUNT`), `ValidationError` for a bad name or path.
   * Publishes `directory.group.created`.
   */
  CreateGroup: pattern('directory.group.create', CreateGroupRequest, reply<GroupReply>()),
  /**
   * AWS `GetGroup`: the group and one page of its members as AWS `User`s,
   * ordered by user id (stable across renames). Members are resolved with
   * identity in one bulk call per page; a member identity no longer knows (a
   * user being deleted whose memberships are not yet dropped) is left out of
   * the page. Unknown group → `NoSuchEntity`.
   */
  GetGroup: pattern('directory.group.get', GetGroupRequest, reply<GetGroupReply>()),
  /**
   * AWS `ListGroups`: the groups whose path starts with `PathPrefix` (default
   * `/`, all groups), ordered by name regardless of case.
   */
  ListGroups: pattern('directory.groups.list', ListGroupsRequest, reply<GroupsPage>()),
  /**
   * AWS `UpdateGroup`: renames (`NewGroupName`) and/or moves (`NewPath`) a
   * group; neither given is a no-op. Memberships and the group id are kept.
   * Errors: `NoSuchEntity`, `EntityAlreadyExists` when another group has the
   * new name regardless of case, `EntityTemporarilyUnmodifiable` while the
   * group is being deleted. Publishes `directory.group.updated`.
   */
  UpdateGroup: pattern('directory.group.update', UpdateGroupRequest, reply<Empty>()),
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
  DeleteGroup: pattern('directory.group.delete', DeleteGroupRequest, reply<Empty>()),
  /**
   * Directory's part of AWS's `GetAccountSummary`: the number of groups (one
   * `count(*)`) and the quotas directory enforces, as it is configured.
   */
  AccountSummary: pattern('directory.account.summary', NoInput, DirectoryAccountSummary),
  /** Service-to-service: a group by name (case-insensitive) or id. Unknown → `NoSuchEntity`. */
  ResolveGroup: pattern('directory.group.resolve', ResolveGroupRequest, GroupRef),
  /**
   * Service-to-service, bulk (the who-can view): the member user ids of many groups, one query.
   * Every requested group id that exists is a key, mapped to its members' user ids.
   */
  MembersOfGroups: pattern('directory.groups.members', GroupIdsRequest, z.strictObject({ Members: z.record(z.string(), z.array(z.string())) })),
} as const;

export const GroupEvents = {
  GroupCreated: event('directory.group.created', payload<{ GroupId: string; GroupName: string; Path: string }>()),
  /** Renamed and/or moved; the id is unchanged. */
  GroupUpdated: event('directory.group.updated', payload<{ GroupId: string; GroupName: string; Path: string }>()),
  /** Published after the group row is gone. */
  GroupDeleted: event('directory.group.deleted', payload<{ GroupId: string; GroupName: string }>()),
} as const;
