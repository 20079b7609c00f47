import { z } from 'zod';
import { NoReply, pattern } from '../pattern';
import { UserIdRequest } from './memberships';

// Deletes of users, as directory takes part in them: `libs/directory-service/src/lib/users`.

export const UserDeletePatterns = {
  /**
   * Service-to-service, step 1 of `DeleteUser` in identity: records a
   * tombstone for the user id, so that from now on adds of this user are
   * refused, and replies how many memberships remain. If any remain, identity
   * answers `DeleteConflict` and calls `CancelUserDelete`. Idempotent.
   * Serialized with `AddUserToGroup` of the same user: every add that
   * succeeded before is counted, every add after is refused.
   */
  BeginUserDelete: pattern('directory.user.begin-delete', UserIdRequest, z.strictObject({ MembershipCount: z.number().int().min(0) })),
  /** Service-to-service: undoes `BeginUserDelete` when the delete does not go ahead. Idempotent. */
  CancelUserDelete: pattern('directory.user.cancel-delete', UserIdRequest, NoReply),
} as const;
