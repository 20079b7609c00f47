import { z } from 'zod';
import { EntityPath, ExistingUserName, Marker, MAX_TAGS, MaxItems, Page, PathPrefix, Tag, UserName } from '../common';
import { event, pattern, payload, reply, type Empty } from '../pattern';
import { awsList } from '../validation';
import { TagKey, TagList, User, UserCaller } from './shared';

// Users: `libs/identity-service/src/lib/users`.

export const CreateUserRequest = z.strictObject({
  UserName,
  Path: EntityPath.optional(),
  Tags: TagList.optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** By name (case-insensitive), or the calling IAM user when `UserName` is absent. */
export const GetUserRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Caller: UserCaller.optional(),
});
export type GetUserRequest = z.infer<typeof GetUserRequest>;

export const UserReply = z.strictObject({ User });
export type UserReply = z.infer<typeof UserReply>;

export const ListUsersRequest = z.strictObject({
  PathPrefix: PathPrefix.optional(),
  Marker: Marker.optional(),
  MaxItems: MaxItems.optional(),
});
export type ListUsersRequest = z.infer<typeof ListUsersRequest>;
export interface ListUsersReply extends Page {
  Users: User[];
}

export const UpdateUserRequest = z.strictObject({
  UserName: ExistingUserName,
  NewUserName: UserName.optional(),
  NewPath: EntityPath.optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const UserNameRequest = z.strictObject({ UserName: ExistingUserName });
export type UserNameRequest = z.infer<typeof UserNameRequest>;

export const TagUserRequest = z.strictObject({ UserName: ExistingUserName, Tags: awsList(Tag, 1, MAX_TAGS) });
export type TagUserRequest = z.infer<typeof TagUserRequest>;

export const UntagUserRequest = z.strictObject({ UserName: ExistingUserName, TagKeys: awsList(TagKey, 1, MAX_TAGS) });
export type UntagUserRequest = z.infer<typeof UntagUserRequest>;

export const ListUserTagsRequest = z.strictObject({
  UserName: ExistingUserName,
  Marker: Marker.optional(),
  MaxItems: MaxItems.optional(),
});
export type ListUserTagsRequest = z.infer<typeof ListUserTagsRequest>;
export interface ListUserTagsReply extends Page {
  Tags: Tag[];
}

/** Exactly one of `UserName` (case-insensitive) or `UserId`. */
export const ResolveUserRequest = z.union([
  z.strictObject({ UserName: ExistingUserName }),
  z.strictObject({ UserId: z.string().min(1).max(128) }),
]);
export type ResolveUserRequest = z.infer<typeof ResolveUserRequest>;

export const ResolveUsersRequest = z.strictObject({ UserIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type ResolveUsersRequest = z.infer<typeof ResolveUsersRequest>;

/** A user as other services need it; `State` is `deleting` while a delete is under way. */
export const ResolvedUser = z.strictObject({
  UserId: z.string(),
  UserName: z.string(),
  Path: z.string(),
  Arn: z.string(),
  State: z.enum(['active', 'deleting']),
  Tags: z.array(Tag),
  /** ISO 8601. */
  CreateDate: z.string(),
  /** ISO 8601; absent when the user never signed in with a password. */
  PasswordLastUsed: z.string().optional(),
});
export type ResolvedUser = z.infer<typeof ResolvedUser>;

/** A position in identity's name order: a user's lower-cased name, then its id. */
export const UserNameKey = z.strictObject({ NameLower: z.string().min(1).max(128), UserId: z.string().min(1).max(128) });
export type UserNameKey = z.infer<typeof UserNameKey>;

export const UsersInNameOrderRequest = z.strictObject({
  /** Only users after this position. */
  After: UserNameKey.optional(),
  /** Only these ids (unknown ones are left out); every user when absent. */
  UserIds: z.array(z.string().min(1).max(128)).max(10_000).optional(),
  /** At most this many users. */
  Limit: z.number().int().min(1).max(1000),
});
export type UsersInNameOrderRequest = z.infer<typeof UsersInNameOrderRequest>;

/** A user as a listing of other services shows it. */
export const UserSummary = z.strictObject({ UserId: z.string(), UserName: z.string(), Path: z.string(), Arn: z.string() });
export type UserSummary = z.infer<typeof UserSummary>;

export const UsersInNameOrderReply = z.strictObject({
  Users: z.array(UserSummary),
  /** True when more users follow the last one given (with the same `UserIds`). */
  IsTruncated: z.boolean(),
});
export type UsersInNameOrderReply = z.infer<typeof UsersInNameOrderReply>;

export const UnknownUsersRequest = z.strictObject({ UserIds: z.array(z.string().min(1).max(128)).max(10_000) });
export type UnknownUsersRequest = z.infer<typeof UnknownUsersRequest>;
export const UserPatterns = {
  /**
   * Creates a user (`Path` defaults to `/`). Names are unique regardless of
   * case → `EntityAlreadyExists`. Tag keys must be unique regardless of case →
   * `InvalidInput`. Publishes `identity.user.created`.
   */
  CreateUser: pattern('identity.user.create', CreateUserRequest, UserReply),
  /**
   * A user by name (case-insensitive) or, without `UserName`, the calling IAM
   * user (`Caller`, supplied by the gateway from authentication). Unknown →
   * `NoSuchEntity`; neither given → `ValidationError`. Users being deleted are
   * still returned. For a root caller without `UserName` the gateway calls
   * `GetRootUser` instead (AWS's `GetUser` answers the root user then).
   */
  GetUser: pattern('identity.user.get', GetUserRequest, UserReply),
  /**
   * Users whose path starts with `PathPrefix` (default `/`, i.e. all), ordered
   * by name regardless of case (a stable order), `MaxItems` 1–1000 (default
   * 100) per page; pass the reply's opaque `Marker` back for the next page.
   * Users in the list carry no `Tags` (as AWS). A malformed marker →
   * `InvalidInput`.
   */
  ListUsers: pattern('identity.user.list', ListUsersRequest, reply<ListUsersReply>()),
  /**
   * Renames a user (`NewUserName`) and/or moves it (`NewPath`). The new name
   * must be free regardless of case (changing only the case of its own name is
   * allowed) → `EntityAlreadyExists`. Unknown → `NoSuchEntity`; a user being
   * deleted → `EntityTemporarilyUnmodifiable`. Publishes
   * `identity.user.renamed` when the name or path changed.
   */
  UpdateUser: pattern('identity.user.update', UpdateUserRequest, reply<Empty>()),
  /**
   * Deletes a user, as AWS: `DeleteConflict` while it has a login profile,
   * access keys, group memberships or attached or inline policies (one
   * message naming the first). Asks directory and authorization (see the
   * identity-service README for the protocol); a neighbour that does not
   * answer → `ServiceUnavailable` and nothing is deleted. Retrying a delete
   * that was interrupted is safe. Unknown → `NoSuchEntity`. Publishes
   * `identity.user.deleted` once the user is gone.
   */
  DeleteUser: pattern('identity.user.delete', UserNameRequest, reply<Empty>()),
  /**
   * Adds or replaces tags on a user (`mergeTags`, keys regardless of case): a
   * tag whose key equals an existing key in another case replaces it in its
   * place, with the new case. Duplicate keys in one request → `InvalidInput`
   * ("Duplicate tag keys found. Please note that Tag keys are case
   * insensitive."); more than 50 tags in all → `LimitExceeded` ("The number of
   * tags has reached the maximum limit."). Unknown → `NoSuchEntity`.
   */
  TagUser: pattern('identity.user.tag', TagUserRequest, reply<Empty>()),
  /** Removes tags by key (regardless of case); absent keys are ignored. Unknown → `NoSuchEntity`. */
  UntagUser: pattern('identity.user.untag', UntagUserRequest, reply<Empty>()),
  /**
   * A user's tags ordered by key regardless of case (AWS: "sorted by tag key"; not by length
   * first, as a policy's), paginated as `ListUsers`. `GetUser` shows them in the order written.
   * Unknown → `NoSuchEntity`.
   */
  ListUserTags: pattern('identity.user.list-tags', ListUserTagsRequest, reply<ListUserTagsReply>()),

  /**
   * Service-to-service: resolves a user by name or id to its immutable id and
   * state. Unknown → `NoSuchEntity`. Used by directory (before adding a member)
   * and authorization (to resolve a `PolicySourceArn`).
   */
  ResolveUser: pattern('identity.user.resolve', ResolveUserRequest, ResolvedUser),
  /**
   * Service-to-service, bulk: resolves many user ids at once (the who-can view)
   * in one query. Unknown ids are left out of the reply; order is not significant.
   */
  ResolveUsers: pattern('identity.users.resolve', ResolveUsersRequest, z.strictObject({ Users: z.array(ResolvedUser) })),
  /**
   * Service-to-service, a keyset page (the who-can view): users ordered by
   * lower-cased name, then id (both by code point), after `After`, at most
   * `Limit` of them; with `UserIds`, only those. One query; the reply may
   * hold fewer than `Limit` users (still `IsTruncated`) to fit in one bus
   * message. Users being deleted are included.
   */
  UsersInNameOrder: pattern('identity.users.in-name-order', UsersInNameOrderRequest, UsersInNameOrderReply),
  /**
   * Service-to-service: of these ids, those identity does not know (in the
   * order given), in one query. Lets a caller count users it knows by id
   * without resolving them.
   */
  UnknownUsers: pattern('identity.users.unknown', UnknownUsersRequest, z.strictObject({ UserIds: z.array(z.string()) })),
} as const;

export const UserEvents = {
  UserCreated: event('identity.user.created', payload<{ UserId: string; UserName: string }>()),
  /** The user's name or path changed; its id did not. */
  UserRenamed: event('identity.user.renamed', payload<{ UserId: string; UserName: string; Path: string }>()),
  /** Published after the user row is gone; directory and authorization drop what they keyed by its id. */
  UserDeleted: event('identity.user.deleted', payload<{ UserId: string; UserName: string }>()),
} as const;
