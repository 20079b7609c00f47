import { z } from 'zod';
import { NoReply, pattern } from '../pattern';

// Deletes of users and groups, as authorization takes part in them: `libs/authorization-service/src/lib/principals`.

export const PrincipalRef = z.strictObject({
  PrincipalType: z.enum(['user', 'group']),
  /** The immutable user or group id. */
  PrincipalId: z.string().min(1).max(128),
});
export type PrincipalRef = z.infer<typeof PrincipalRef>;

export const PrincipalPatterns = {
  /**
   * Service-to-service, step 1 of `DeleteUser` (identity) and `DeleteGroup`
   * (directory): records a tombstone for the principal id, so that from now
   * on no policy may be attached to or put on it, and replies how many
   * attached and inline policies remain. Serialized with attaches and puts of
   * the same principal: every one that succeeded before is counted, every one
   * after is refused. If any remain, the caller answers `DeleteConflict` and
   * calls `CancelPrincipalDelete`. Idempotent.
   */
  BeginPrincipalDelete: pattern('authorization.principal.begin-delete', PrincipalRef, z.strictObject({ AttachedPolicyCount: z.number().int().min(0), InlinePolicyCount: z.number().int().min(0) })),
  /** Service-to-service: undoes `BeginPrincipalDelete`. Idempotent. */
  CancelPrincipalDelete: pattern('authorization.principal.cancel-delete', PrincipalRef, NoReply),
} as const;
