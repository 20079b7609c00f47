import { z } from 'zod';
import { AwsStrings, MAX_TAGS, Tag } from '../common';
import { event, payload } from '../pattern';
import { awsList, awsSensitiveString, awsString } from '../validation';

/** An IAM user calling, as the gateway authenticated it. */
export const UserCaller = z.strictObject({ Type: z.literal('user'), UserId: z.string().min(1).max(128) });
/** Who is calling, as the gateway authenticated them (never taken from the client's input). */
export const Caller = z.discriminatedUnion('Type', [UserCaller, z.strictObject({ Type: z.literal('root') })]);
export type Caller = z.infer<typeof Caller>;

export const TagList = awsList(Tag, 0, MAX_TAGS);
export const TagKey = awsString(AwsStrings.tagKey);

/** A password offered at sign-in or as the old one (never echoed); at most 128 characters, as AWS, checked before any hashing. */
export const OfferedPassword = awsSensitiveString(AwsStrings.offeredPassword);
export const AccessKeyId = awsString(AwsStrings.accessKeyId);

export const User = z.strictObject({
  Path: z.string(),
  UserName: z.string(),
  /** `AIDA` followed by 17 upper-case letters and digits. */
  UserId: z.string(),
  Arn: z.string(),
  /** ISO 8601. */
  CreateDate: z.string(),
  /** ISO 8601; absent when the user never signed in with a password. */
  PasswordLastUsed: z.string().optional(),
  Tags: z.array(Tag).optional(),
});
export type User = z.infer<typeof User>;

/** An authenticated IAM user. */
export const UserPrincipal = z.strictObject({
  Type: z.literal('user'),
  AccountId: z.string(),
  UserId: z.string(),
  UserName: z.string(),
  Path: z.string(),
  Arn: z.string(),
  Tags: z.array(Tag),
});
export type UserPrincipal = z.infer<typeof UserPrincipal>;

/** The account's root: not subject to policies, in no group, cannot be deleted. */
export const RootPrincipal = z.strictObject({
  Type: z.literal('root'),
  AccountId: z.string(),
  /** The account id, as AWS reports the root's user id. */
  UserId: z.string(),
  Arn: z.string(),
  Tags: z.array(Tag),
});
export type RootPrincipal = z.infer<typeof RootPrincipal>;

export const Principal = z.discriminatedUnion('Type', [UserPrincipal, RootPrincipal]);
export type Principal = z.infer<typeof Principal>;

export const CredentialEvents = {
  /**
   * A key deactivated or deleted (`AccessKeyId` says which), a password
   * changed or a login profile deleted: caches of credentials must drop the user's.
   */
  CredentialsRevoked: event(
    'identity.credentials.revoked',
    payload<{
      UserId: string;
      Reason: 'access-key' | 'password' | 'login-profile';
      /** The key deactivated or deleted, when `Reason` is `access-key`. */
      AccessKeyId?: string;
    }>(),
  ),
} as const;
