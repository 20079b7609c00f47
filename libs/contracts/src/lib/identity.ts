import { z } from 'zod';
import {
  EntityPath,
  ExistingUserName,
  HealthReply,
  Marker,
  MAX_TAGS,
  MaxItems,
  Page,
  PathPrefix,
  Tag,
  TAG_KEY_PATTERN,
  UserName,
} from './common';
import { awsInteger, awsSensitiveString, awsString } from './validation';

/**
 * Identity: users, console passwords, access keys, console sessions, SigV4
 * verification and the account's root principal.
 *
 * Every user is keyed by its immutable `UserId`; names are unique per account
 * regardless of case, and every lookup by name ignores case. Reads see
 * committed state: a change is visible to every call that starts after the
 * changing call returned, on every replica. Secrets (passwords, secret access
 * keys, session tokens) are never part of a reply, except the one reply that
 * creates them (`CreateAccessKey`, `SignIn`), and never part of an event.
 *
 * Errors are `IamError`s with AWS's codes and wording. Every pattern may also
 * answer `ValidationError` (a request that breaks the contract, worded as AWS
 * does; a sensitive member's value is never echoed) and `ServiceFailure`.
 */
export const IdentityPatterns = {
  Health: 'identity.health',

  /**
   * Creates a user (`Path` defaults to `/`). Names are unique regardless of
   * case → `EntityAlreadyExists`. Tag keys must be unique regardless of case →
   * `InvalidInput`. Publishes `identity.user.created`.
   */
  CreateUser: 'identity.user.create',
  /**
   * A user by name (case-insensitive) or, without `UserName`, the calling IAM
   * user (`Caller`, supplied by the gateway from authentication). Unknown →
   * `NoSuchEntity`; neither given → `ValidationError`. Users being deleted are
   * still returned. For a root caller without `UserName` the gateway calls
   * `GetRootUser` instead (AWS's `GetUser` answers the root user then).
   */
  GetUser: 'identity.user.get',
  /**
   * The root user as AWS's `GetUser` shows it to the root caller: `UserId` is
   * the account id, `Arn` is `arn:aws:iam::ACCOUNT:root`, `CreateDate` is when
   * this account's identity store was created, `PasswordLastUsed` the last
   * console sign-in of root; no `UserName` or `Path`.
   */
  GetRootUser: 'identity.root.get',
  /**
   * Users whose path starts with `PathPrefix` (default `/`, i.e. all), ordered
   * by name regardless of case (a stable order), `MaxItems` 1–1000 (default
   * 100) per page; pass the reply's opaque `Marker` back for the next page.
   * Users in the list carry no `Tags` (as AWS). A malformed marker →
   * `InvalidInput`.
   */
  ListUsers: 'identity.user.list',
  /**
   * Renames a user (`NewUserName`) and/or moves it (`NewPath`). The new name
   * must be free regardless of case (changing only the case of its own name is
   * allowed) → `EntityAlreadyExists`. Unknown → `NoSuchEntity`; a user being
   * deleted → `EntityTemporarilyUnmodifiable`. Publishes
   * `identity.user.renamed` when the name or path changed.
   */
  UpdateUser: 'identity.user.update',
  /**
   * Deletes a user, as AWS: `DeleteConflict` while it has a login profile,
   * access keys, group memberships or attached or inline policies (one
   * message naming the first). Asks directory and authorization (see the
   * identity-service README for the protocol); a neighbour that does not
   * answer → `ServiceUnavailable` and nothing is deleted. Retrying a delete
   * that was interrupted is safe. Unknown → `NoSuchEntity`. Publishes
   * `identity.user.deleted` once the user is gone.
   */
  DeleteUser: 'identity.user.delete',
  /**
   * Adds or replaces tags on a user. Keys match regardless of case: a tag
   * whose key equals an existing key in another case replaces it. Duplicate
   * keys in one request → `InvalidInput`; more than 50 tags in all →
   * `LimitExceeded`. Unknown → `NoSuchEntity`.
   */
  TagUser: 'identity.user.tag',
  /** Removes tags by key (regardless of case); absent keys are ignored. Unknown → `NoSuchEntity`. */
  UntagUser: 'identity.user.untag',
  /** A user's tags ordered by key regardless of case, paginated as `ListUsers`. Unknown → `NoSuchEntity`. */
  ListUserTags: 'identity.user.list-tags',

  /**
   * Service-to-service: resolves a user by name or id to its immutable id and
   * state. Unknown → `NoSuchEntity`. Used by directory (before adding a member)
   * and authorization (to resolve a `PolicySourceArn`).
   */
  ResolveUser: 'identity.user.resolve',
  /**
   * Service-to-service, bulk: resolves many user ids at once (the who-can view)
   * in one query. Unknown ids are left out of the reply; order is not significant.
   */
  ResolveUsers: 'identity.users.resolve',

  /**
   * Gives a user a console password. The password must satisfy the account
   * password policy (or AWS's default rules when none is set) →
   * `PasswordPolicyViolation` naming the rules broken. A user that has one →
   * `EntityAlreadyExists`; unknown → `NoSuchEntity`; being deleted →
   * `EntityTemporarilyUnmodifiable`. The password is never returned.
   */
  CreateLoginProfile: 'identity.login-profile.create',
  /** A user's login profile (creation date, reset flag). None → `NoSuchEntity`. */
  GetLoginProfile: 'identity.login-profile.get',
  /**
   * An administrator's reset: a new `Password` (checked against the policy
   * and the password history), and/or `PasswordResetRequired`. A new password
   * ends the user's console sessions, clears its sign-in lockout and publishes
   * `identity.credentials.revoked`. None → `NoSuchEntity`.
   */
  UpdateLoginProfile: 'identity.login-profile.update',
  /**
   * Removes a user's console password and ends its console sessions at once.
   * Publishes `identity.credentials.revoked`. None → `NoSuchEntity`.
   */
  DeleteLoginProfile: 'identity.login-profile.delete',
  /**
   * The caller changes its own password (`Caller` is an IAM user). A wrong
   * `OldPassword` → `AccessDenied` (and counts as a failed sign-in for the
   * lockout; while locked → `LimitExceeded`). The new password must satisfy
   * the policy and the reuse prevention → `PasswordPolicyViolation`. With
   * `HardExpiry` and an expired password → `PasswordResetRequired`. Clears
   * `PasswordResetRequired`, ends every console session of the user (sign in
   * again with the new password) and publishes `identity.credentials.revoked`.
   * Root → `InvalidInput` (its password is configuration). Whether the caller
   * may change its password (`AllowUsersToChangePassword` or an
   * `iam:ChangePassword` grant) is the gateway's authorization decision.
   */
  ChangePassword: 'identity.password.change',

  /** The account password policy. None set → `NoSuchEntity` (AWS's default rules then apply to new passwords). */
  GetAccountPasswordPolicy: 'identity.password-policy.get',
  /** Sets the whole policy: an omitted field takes AWS's default (`MinimumPasswordLength` 6, the rest off). */
  UpdateAccountPasswordPolicy: 'identity.password-policy.update',
  /** Removes the policy; AWS's default rules apply again. None set → `NoSuchEntity`. */
  DeleteAccountPasswordPolicy: 'identity.password-policy.delete',

  /**
   * Console sign-in with a user name (or `Root: true`) and password, from the
   * client address the gateway saw. Unknown user, user without a login
   * profile, wrong password and a temporarily locked user or address all
   * answer the same `SignInFailed` with one message, in similar time.
   * Success → a session token (shown once; only its hash is stored) and its
   * expiry. `PasswordChangeOnly` is true when the password must be changed
   * (`PasswordResetRequired` or expired): such a session may only call
   * `ChangePassword`. With `HardExpiry` and an expired password →
   * `PasswordResetRequired` (after the password was verified).
   */
  // ── Account alias and credential report ──────────────────────────────
  /** Sets the account's alias (an account has one; a new one replaces it). */
  CreateAccountAlias: 'identity.account-alias.create',
  /** Removes the alias; another name than the account's → `NoSuchEntity`. */
  DeleteAccountAlias: 'identity.account-alias.delete',
  /** The account's alias, as a list of at most one. */
  ListAccountAliases: 'identity.account-alias.list',
  /**
   * Records that a credential report was generated now, unless one younger than four hours
   * exists: `STARTED` when it records, `COMPLETE` when a recent one exists.
   */
  GenerateCredentialReport: 'identity.credential-report.generate',
  /** When the current report was generated; none → `ReportNotPresent`, older than four hours → `ReportExpired`. */
  GetCredentialReportState: 'identity.credential-report.state',

  SignIn: 'identity.session.sign-in',
  /**
   * The gateway's check of a session token on every request: the principal
   * and whether the session may only change its password. Unknown or ended →
   * `InvalidToken`; past its expiry → `ExpiredToken`. Reads committed state,
   * so an ended session is refused by every replica at once.
   */
  VerifySession: 'identity.session.verify',
  /** Ends a session. Idempotent: an unknown or ended token is not an error. */
  SignOut: 'identity.session.sign-out',

  /**
   * Creates an access key for `UserName`, or for the caller when absent. The
   * `SecretAccessKey` is in this reply only. At most two keys per user →
   * `LimitExceeded`. Unknown → `NoSuchEntity`; being deleted →
   * `EntityTemporarilyUnmodifiable`; root → `InvalidInput` (its keys are
   * configuration); no master key configured → `ServiceUnavailable`.
   */
  CreateAccessKey: 'identity.access-key.create',
  /**
   * Metadata of the keys of `UserName` or the caller (root: its configured
   * key), oldest first, paginated as `ListUsers`. Never the secret.
   */
  ListAccessKeys: 'identity.access-key.list',
  /**
   * Sets a key `Active` or `Inactive`; an inactive key is refused by every
   * replica on the next request. Deactivating publishes
   * `identity.credentials.revoked`. A key not of that user → `NoSuchEntity`.
   */
  UpdateAccessKey: 'identity.access-key.update',
  /** Deletes a key; publishes `identity.credentials.revoked`. A key not of that user → `NoSuchEntity`. */
  DeleteAccessKey: 'identity.access-key.delete',
  /**
   * When and where a key was last used. Recorded off the request path, so it
   * may lag a few seconds. Never used → no `LastUsedDate`, `ServiceName` and
   * `Region` `N/A`. Unknown → `NoSuchEntity`.
   */
  GetAccessKeyLastUsed: 'identity.access-key.last-used',

  /**
   * Checks a SigV4 signature: the gateway parses the request and builds the
   * string to sign (and checks the clock); identity derives the signing key
   * from the secret it holds and compares in constant time. Unknown, deleted
   * or inactive key (checked in the database on every call) →
   * `InvalidClientTokenId`; a signature that differs → `SignatureDoesNotMatch`.
   * Success → the principal, a user or root.
   */
  VerifySignature: 'identity.signature.verify',
} as const;

export const IdentityEvents = {
  UserCreated: 'identity.user.created',
  /** The user's name or path changed; its id did not. */
  UserRenamed: 'identity.user.renamed',
  /** Published after the user row is gone; directory and authorization drop what they keyed by its id. */
  UserDeleted: 'identity.user.deleted',
  /**
   * A key deactivated or deleted (`AccessKeyId` says which), a password
   * changed or a login profile deleted: caches of credentials must drop the user's.
   */
  CredentialsRevoked: 'identity.credentials.revoked',
} as const;

// ---------------------------------------------------------------------------
// Shared shapes

/** An IAM user calling, as the gateway authenticated it. */
export const UserCaller = z.strictObject({ Type: z.literal('user'), UserId: z.string().min(1).max(128) });
/** Who is calling, as the gateway authenticated them (never taken from the client's input). */
export const Caller = z.discriminatedUnion('Type', [UserCaller, z.strictObject({ Type: z.literal('root') })]);
export type Caller = z.infer<typeof Caller>;

/** Up to `max` items with AWS-worded size failures (`Member must have length ...`). */
function awsList<T extends z.ZodType>(item: T, min: number, max: number) {
  return z.array(item).superRefine((items, ctx) => {
    if (items.length < min) {
      ctx.addIssue({ code: 'custom', message: `Member must have length greater than or equal to ${min}`, params: { value: `[${items.length} items]` } });
    }
    if (items.length > max) {
      ctx.addIssue({ code: 'custom', message: `Member must have length less than or equal to ${max}`, params: { value: `[${items.length} items]` } });
    }
  });
}

export const TagList = awsList(Tag, 0, MAX_TAGS);
export const TagKey = awsString({ min: 1, max: 128, pattern: TAG_KEY_PATTERN });

/** A new console password, as AWS's `passwordType`: 1–128 characters, tab, line ends and U+0020–U+00FF. */
export const NewPassword = awsSensitiveString({ min: 1, max: 128, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' });
/** A password offered at sign-in or as the old one (never echoed); at most 128 characters, as AWS, checked before any hashing. */
export const OfferedPassword = awsSensitiveString({ min: 1, max: 128 });
/** A session token as `SignIn` returned it (never echoed). */
export const SessionToken = awsSensitiveString({ min: 16, max: 512 });
export const AccessKeyId = awsString({ min: 16, max: 128, pattern: '[\\w]+' });

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

/** The root user as `GetUser` shows it to the root caller (AWS has no name or path for it). */
export interface RootUser {
  /** The account id. */
  UserId: string;
  /** `arn:aws:iam::ACCOUNT:root` */
  Arn: string;
  CreateDate: string;
  PasswordLastUsed?: string;
}

/** An authenticated IAM user. */
export interface UserPrincipal {
  Type: 'user';
  AccountId: string;
  UserId: string;
  UserName: string;
  Path: string;
  Arn: string;
  Tags: Tag[];
}

/** The account's root: not subject to policies, in no group, cannot be deleted. */
export interface RootPrincipal {
  Type: 'root';
  AccountId: string;
  /** The account id, as AWS reports the root's user id. */
  UserId: string;
  Arn: string;
  Tags: Tag[];
}

export type Principal = UserPrincipal | RootPrincipal;

/** A user as other services need it; `State` is `deleting` while a delete is under way. */
export interface ResolvedUser {
  UserId: string;
  UserName: string;
  Path: string;
  Arn: string;
  State: 'active' | 'deleting';
  Tags: Tag[];
  /** ISO 8601. */
  CreateDate: string;
  /** ISO 8601; absent when the user never signed in with a password. */
  PasswordLastUsed?: string;
}

type Empty = Record<string, never>;

// ---------------------------------------------------------------------------
// Users

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

export interface UserReply {
  User: User;
}
export interface RootUserReply {
  User: RootUser;
}

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

// ---------------------------------------------------------------------------
// Console passwords

export interface LoginProfile {
  UserName: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
}
export interface LoginProfileReply {
  LoginProfile: LoginProfile;
}

export const CreateLoginProfileRequest = z.strictObject({
  UserName: ExistingUserName,
  Password: NewPassword,
  PasswordResetRequired: z.boolean().optional(),
});
export type CreateLoginProfileRequest = z.infer<typeof CreateLoginProfileRequest>;

export const UpdateLoginProfileRequest = z.strictObject({
  UserName: ExistingUserName,
  Password: NewPassword.optional(),
  PasswordResetRequired: z.boolean().optional(),
});
export type UpdateLoginProfileRequest = z.infer<typeof UpdateLoginProfileRequest>;

export const ChangePasswordRequest = z.strictObject({
  Caller,
  OldPassword: OfferedPassword,
  NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  /** True when `MaxPasswordAge` is set. */
  ExpirePasswords: boolean;
  /** Days a password is valid; absent when passwords never expire. */
  MaxPasswordAge?: number;
  /** How many previous passwords may not be reused; absent when reuse is allowed. */
  PasswordReusePrevention?: number;
  HardExpiry: boolean;
}

export const UpdateAccountPasswordPolicyRequest = z.strictObject({
  MinimumPasswordLength: awsInteger(6, 128).optional(),
  RequireSymbols: z.boolean().optional(),
  RequireNumbers: z.boolean().optional(),
  RequireUppercaseCharacters: z.boolean().optional(),
  RequireLowercaseCharacters: z.boolean().optional(),
  AllowUsersToChangePassword: z.boolean().optional(),
  MaxPasswordAge: awsInteger(1, 1095).optional(),
  PasswordReusePrevention: awsInteger(1, 24).optional(),
  HardExpiry: z.boolean().optional(),
});
export type UpdateAccountPasswordPolicyRequest = z.infer<typeof UpdateAccountPasswordPolicyRequest>;

// ── Account alias ─────────────────────────────────────────────────────────

/** AWS's rule for an account alias: 3 to 63 lower-case letters, digits and single hyphens, not at either end. */
export const ACCOUNT_ALIAS_PATTERN = '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$';
export const AccountAliasRequest = z.strictObject({ AccountAlias: z.string().regex(new RegExp(ACCOUNT_ALIAS_PATTERN)) });
export type AccountAliasRequest = z.infer<typeof AccountAliasRequest>;

// ---------------------------------------------------------------------------
// Console sessions

/** `UserName` for an IAM user, or `Root: true` for the root user (exactly one). */
export const SignInRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Root: z.boolean().optional(),
  Password: OfferedPassword,
  /** The client's address as the gateway saw it (IPv4 or IPv6). */
  SourceIp: awsString({ min: 2, max: 64 }),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export interface SessionReply {
  Principal: Principal;
  /** ISO 8601; the session ends then. */
  Expiration: string;
  /** True when the session may only change its own password. */
  PasswordChangeOnly: boolean;
}
export interface SignInReply extends SessionReply {
  /** Shown once; present it to `VerifySession`. */
  SessionToken: string;
}

export const SessionTokenRequest = z.strictObject({ SessionToken });
export type SessionTokenRequest = z.infer<typeof SessionTokenRequest>;

// ---------------------------------------------------------------------------
// Access keys

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyMetadata {
  /** Absent for the root's key. */
  UserName?: string;
  AccessKeyId: string;
  Status: AccessKeyStatus;
  CreateDate: string;
}
export interface CreateAccessKeyReply {
  AccessKey: AccessKeyMetadata & { UserName: string; SecretAccessKey: string };
}
export interface ListAccessKeysReply extends Page {
  AccessKeyMetadata: AccessKeyMetadata[];
}

/** `UserName`, or the caller when absent. */
export const CreateAccessKeyRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Caller: Caller.optional(),
});
export type CreateAccessKeyRequest = z.infer<typeof CreateAccessKeyRequest>;

export const ListAccessKeysRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Caller: Caller.optional(),
  Marker: Marker.optional(),
  MaxItems: MaxItems.optional(),
});
export type ListAccessKeysRequest = z.infer<typeof ListAccessKeysRequest>;

export const UpdateAccessKeyRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Caller: Caller.optional(),
  AccessKeyId,
  Status: z.enum(['Active', 'Inactive']),
});
export type UpdateAccessKeyRequest = z.infer<typeof UpdateAccessKeyRequest>;

export const DeleteAccessKeyRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Caller: Caller.optional(),
  AccessKeyId,
});
export type DeleteAccessKeyRequest = z.infer<typeof DeleteAccessKeyRequest>;

export const GetAccessKeyLastUsedRequest = z.strictObject({ AccessKeyId });
export type GetAccessKeyLastUsedRequest = z.infer<typeof GetAccessKeyLastUsedRequest>;

export interface GetAccessKeyLastUsedReply {
  /** The owner's name; `root` for the root's key. */
  UserName: string;
  /**
   * The owner's ARN (the account's root ARN for the root's key): the resource on which a caller
   * needs `iam:GetAccessKeyLastUsed`.
   */
  UserArn: string;
  AccessKeyLastUsed: {
    /** Absent when never used. */
    LastUsedDate?: string;
    /** The signing scope's service, or `N/A` when never used. */
    ServiceName: string;
    /** The signing scope's region, or `N/A` when never used. */
    Region: string;
  };
}

// ---------------------------------------------------------------------------
// SigV4

/**
 * What the gateway's `prepareSigV4Verification` produced, in this contract's
 * casing: `{ AccessKeyId: p.accessKeyId, Scope: { Date: p.scope.date,
 * Region: p.scope.region, Service: p.scope.service }, StringToSign:
 * p.stringToSign, Signature: p.signature }`.
 */
export const VerifySignatureRequest = z.strictObject({
  AccessKeyId,
  Scope: z.strictObject({
    Date: awsString({ min: 8, max: 8, pattern: '[0-9]{8}' }),
    Region: awsString({ min: 1, max: 128, pattern: '[^/]+' }),
    Service: awsString({ min: 1, max: 128, pattern: '[^/]+' }),
  }),
  StringToSign: awsString({ min: 1, max: 2048 }),
  /** 64 lower-case hex digits. */
  Signature: awsString({ min: 64, max: 64, pattern: '[0-9a-f]{64}' }),
});
export type VerifySignatureRequest = z.infer<typeof VerifySignatureRequest>;

export interface VerifySignatureReply {
  Principal: Principal;
}

// ---------------------------------------------------------------------------

export interface IdentityMessages {
  [IdentityPatterns.Health]: { request: Empty; reply: HealthReply };
  [IdentityPatterns.CreateUser]: { request: CreateUserRequest; reply: UserReply };
  [IdentityPatterns.GetUser]: { request: GetUserRequest; reply: UserReply };
  [IdentityPatterns.GetRootUser]: { request: Empty; reply: RootUserReply };
  [IdentityPatterns.ListUsers]: { request: ListUsersRequest; reply: ListUsersReply };
  [IdentityPatterns.UpdateUser]: { request: UpdateUserRequest; reply: Empty };
  [IdentityPatterns.DeleteUser]: { request: UserNameRequest; reply: Empty };
  [IdentityPatterns.TagUser]: { request: TagUserRequest; reply: Empty };
  [IdentityPatterns.UntagUser]: { request: UntagUserRequest; reply: Empty };
  [IdentityPatterns.ListUserTags]: { request: ListUserTagsRequest; reply: ListUserTagsReply };
  [IdentityPatterns.ResolveUser]: { request: ResolveUserRequest; reply: ResolvedUser };
  [IdentityPatterns.ResolveUsers]: { request: ResolveUsersRequest; reply: { Users: ResolvedUser[] } };
  [IdentityPatterns.CreateLoginProfile]: { request: CreateLoginProfileRequest; reply: LoginProfileReply };
  [IdentityPatterns.GetLoginProfile]: { request: UserNameRequest; reply: LoginProfileReply };
  [IdentityPatterns.UpdateLoginProfile]: { request: UpdateLoginProfileRequest; reply: Empty };
  [IdentityPatterns.DeleteLoginProfile]: { request: UserNameRequest; reply: Empty };
  [IdentityPatterns.ChangePassword]: { request: ChangePasswordRequest; reply: Empty };
  [IdentityPatterns.GetAccountPasswordPolicy]: { request: Empty; reply: { PasswordPolicy: PasswordPolicy } };
  [IdentityPatterns.UpdateAccountPasswordPolicy]: { request: UpdateAccountPasswordPolicyRequest; reply: Empty };
  [IdentityPatterns.DeleteAccountPasswordPolicy]: { request: Empty; reply: Empty };
  [IdentityPatterns.CreateAccountAlias]: { request: AccountAliasRequest; reply: Empty };
  [IdentityPatterns.DeleteAccountAlias]: { request: AccountAliasRequest; reply: Empty };
  [IdentityPatterns.ListAccountAliases]: { request: Empty; reply: { AccountAliases: string[] } };
  [IdentityPatterns.GenerateCredentialReport]: { request: Empty; reply: { State: 'STARTED' | 'COMPLETE' } };
  [IdentityPatterns.GetCredentialReportState]: { request: Empty; reply: { GeneratedTime: string } };
  [IdentityPatterns.SignIn]: { request: SignInRequest; reply: SignInReply };
  [IdentityPatterns.VerifySession]: { request: SessionTokenRequest; reply: SessionReply };
  [IdentityPatterns.SignOut]: { request: SessionTokenRequest; reply: Empty };
  [IdentityPatterns.CreateAccessKey]: { request: CreateAccessKeyRequest; reply: CreateAccessKeyReply };
  [IdentityPatterns.ListAccessKeys]: { request: ListAccessKeysRequest; reply: ListAccessKeysReply };
  [IdentityPatterns.UpdateAccessKey]: { request: UpdateAccessKeyRequest; reply: Empty };
  [IdentityPatterns.DeleteAccessKey]: { request: DeleteAccessKeyRequest; reply: Empty };
  [IdentityPatterns.GetAccessKeyLastUsed]: { request: GetAccessKeyLastUsedRequest; reply: GetAccessKeyLastUsedReply };
  [IdentityPatterns.VerifySignature]: { request: VerifySignatureRequest; reply: VerifySignatureReply };
}

export const IdentityRequests = {
  [IdentityPatterns.Health]: z.strictObject({}),
  [IdentityPatterns.CreateUser]: CreateUserRequest,
  [IdentityPatterns.GetUser]: GetUserRequest,
  [IdentityPatterns.GetRootUser]: z.strictObject({}),
  [IdentityPatterns.ListUsers]: ListUsersRequest,
  [IdentityPatterns.UpdateUser]: UpdateUserRequest,
  [IdentityPatterns.DeleteUser]: UserNameRequest,
  [IdentityPatterns.TagUser]: TagUserRequest,
  [IdentityPatterns.UntagUser]: UntagUserRequest,
  [IdentityPatterns.ListUserTags]: ListUserTagsRequest,
  [IdentityPatterns.ResolveUser]: ResolveUserRequest,
  [IdentityPatterns.ResolveUsers]: ResolveUsersRequest,
  [IdentityPatterns.CreateLoginProfile]: CreateLoginProfileRequest,
  [IdentityPatterns.GetLoginProfile]: UserNameRequest,
  [IdentityPatterns.UpdateLoginProfile]: UpdateLoginProfileRequest,
  [IdentityPatterns.DeleteLoginProfile]: UserNameRequest,
  [IdentityPatterns.ChangePassword]: ChangePasswordRequest,
  [IdentityPatterns.GetAccountPasswordPolicy]: z.strictObject({}),
  [IdentityPatterns.UpdateAccountPasswordPolicy]: UpdateAccountPasswordPolicyRequest,
  [IdentityPatterns.DeleteAccountPasswordPolicy]: z.strictObject({}),
  [IdentityPatterns.CreateAccountAlias]: AccountAliasRequest,
  [IdentityPatterns.DeleteAccountAlias]: AccountAliasRequest,
  [IdentityPatterns.ListAccountAliases]: z.strictObject({}),
  [IdentityPatterns.GenerateCredentialReport]: z.strictObject({}),
  [IdentityPatterns.GetCredentialReportState]: z.strictObject({}),
  [IdentityPatterns.SignIn]: SignInRequest,
  [IdentityPatterns.VerifySession]: SessionTokenRequest,
  [IdentityPatterns.SignOut]: SessionTokenRequest,
  [IdentityPatterns.CreateAccessKey]: CreateAccessKeyRequest,
  [IdentityPatterns.ListAccessKeys]: ListAccessKeysRequest,
  [IdentityPatterns.UpdateAccessKey]: UpdateAccessKeyRequest,
  [IdentityPatterns.DeleteAccessKey]: DeleteAccessKeyRequest,
  [IdentityPatterns.GetAccessKeyLastUsed]: GetAccessKeyLastUsedRequest,
  [IdentityPatterns.VerifySignature]: VerifySignatureRequest,
} satisfies { [P in keyof IdentityMessages]: z.ZodType<IdentityMessages[P]['request']> };

export interface IdentityEventMap {
  [IdentityEvents.UserCreated]: { UserId: string; UserName: string };
  [IdentityEvents.UserRenamed]: { UserId: string; UserName: string; Path: string };
  [IdentityEvents.UserDeleted]: { UserId: string; UserName: string };
  [IdentityEvents.CredentialsRevoked]: {
    UserId: string;
    Reason: 'access-key' | 'password' | 'login-profile';
    /** The key deactivated or deleted, when `Reason` is `access-key`. */
    AccessKeyId?: string;
  };
}
