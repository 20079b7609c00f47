import { z } from 'zod';
import { ExistingUserName, Marker, MaxItems, Page } from '../common';
import { pattern, reply, type Empty } from '../pattern';
import { AccessKeyId, Caller } from './shared';

// Access keys: `libs/identity-service/src/lib/access-keys`.

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

export const AccessKeyPatterns = {
  /**
   * Creates an access key for `UserName`, or for the caller when absent. The
   * `SecretAccessKey` is in this reply only. At most two keys per user →
   * `LimitExceeded`. Unknown → `NoSuchEntity`; being deleted →
   * `EntityTemporarilyUnmodifiable`; root → `InvalidInput` (its keys are
   * configuration); no master key configured → `ServiceUnavailable`.
   */
  CreateAccessKey: pattern('identity.access-key.create', CreateAccessKeyRequest, reply<CreateAccessKeyReply>()),
  /**
   * Metadata of the keys of `UserName` or the caller (root: its configured
   * key), oldest first, paginated as `ListUsers`. Never the secret.
   */
  ListAccessKeys: pattern('identity.access-key.list', ListAccessKeysRequest, reply<ListAccessKeysReply>()),
  /**
   * Sets a key `Active` or `Inactive`; an inactive key is refused by every
   * replica on the next request. Deactivating publishes
   * `identity.credentials.revoked`. A key not of that user → `NoSuchEntity`.
   */
  UpdateAccessKey: pattern('identity.access-key.update', UpdateAccessKeyRequest, reply<Empty>()),
  /** Deletes a key; publishes `identity.credentials.revoked`. A key not of that user → `NoSuchEntity`. */
  DeleteAccessKey: pattern('identity.access-key.delete', DeleteAccessKeyRequest, reply<Empty>()),
  /**
   * When and where a key was last used. Recorded off the request path, so it
   * may lag a few seconds. Never used → no `LastUsedDate`, `ServiceName` and
   * `Region` `N/A`. Unknown → `NoSuchEntity`.
   */
  GetAccessKeyLastUsed: pattern('identity.access-key.last-used', GetAccessKeyLastUsedRequest, reply<GetAccessKeyLastUsedReply>()),
} as const;
