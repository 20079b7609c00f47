import { z } from 'zod';
import { EntityPath, ExistingUserName, HealthReply, MAX_TAGS, Tag, UserName } from './common';

/**
 * Identity: users, credentials, sessions, signature verification.
 * Every user is keyed by its immutable `UserId`; names are unique per account
 * regardless of case.
 */
export const IdentityPatterns = {
  Health: 'identity.health',
  CreateUser: 'identity.user.create',
  GetUser: 'identity.user.get',
  /**
   * Service-to-service: resolves a user by name or id to its immutable id and
   * state. Unknown → `NoSuchEntity`. Used by directory (before adding a member)
   * and authorization (to resolve a `PolicySourceArn`).
   */
  ResolveUser: 'identity.user.resolve',
  /**
   * Service-to-service, bulk: resolves many user ids at once (the who-can view).
   * Unknown ids are left out of the reply; order is not significant.
   */
  ResolveUsers: 'identity.users.resolve',
} as const;

export const IdentityEvents = {
  UserCreated: 'identity.user.created',
  UserRenamed: 'identity.user.renamed',
  /** Published after the user row is gone; directory and authorization drop what they keyed by its id. */
  UserDeleted: 'identity.user.deleted',
  /** A key deactivated or deleted, or a password changed: caches of credentials must drop the user's. */
  CredentialsRevoked: 'identity.credentials.revoked',
} as const;

export interface User {
  Path: string;
  UserName: string;
  /** `AIDA` followed by 17 upper-case letters and digits. */
  UserId: string;
  Arn: string;
  /** ISO 8601. */
  CreateDate: string;
  /** ISO 8601; absent when the user never signed in with a password. */
  PasswordLastUsed?: string;
  Tags?: Tag[];
}

export const CreateUserRequest = z.strictObject({
  UserName,
  Path: EntityPath.optional(),
  Tags: z.array(Tag).max(MAX_TAGS).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** Looks a user up by name, case-insensitively. Unknown → `NoSuchEntity`. */
export const GetUserRequest = z.strictObject({ UserName: ExistingUserName });
export type GetUserRequest = z.infer<typeof GetUserRequest>;

export interface UserReply {
  User: User;
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
export interface ResolvedUser {
  UserId: string;
  UserName: string;
  Path: string;
  Arn: string;
  State: 'active' | 'deleting';
  Tags: Tag[];
}

export interface IdentityMessages {
  [IdentityPatterns.Health]: { request: Record<string, never>; reply: HealthReply };
  [IdentityPatterns.CreateUser]: { request: CreateUserRequest; reply: UserReply };
  [IdentityPatterns.GetUser]: { request: GetUserRequest; reply: UserReply };
  [IdentityPatterns.ResolveUser]: { request: ResolveUserRequest; reply: ResolvedUser };
  [IdentityPatterns.ResolveUsers]: { request: ResolveUsersRequest; reply: { Users: ResolvedUser[] } };
}

export const IdentityRequests = {
  [IdentityPatterns.Health]: z.strictObject({}),
  [IdentityPatterns.CreateUser]: CreateUserRequest,
  [IdentityPatterns.GetUser]: GetUserRequest,
  [IdentityPatterns.ResolveUser]: ResolveUserRequest,
  [IdentityPatterns.ResolveUsers]: ResolveUsersRequest,
} satisfies { [P in keyof IdentityMessages]: z.ZodType<IdentityMessages[P]['request']> };

export interface IdentityEventMap {
  [IdentityEvents.UserCreated]: { UserId: string; UserName: string };
  [IdentityEvents.UserRenamed]: { UserId: string; UserName: string; Path: string };
  [IdentityEvents.UserDeleted]: { UserId: string; UserName: string };
  [IdentityEvents.CredentialsRevoked]: { UserId: string; Reason: 'access-key' | 'password' | 'login-profile' };
}
