import { z } from 'zod';
import { NoReply, pattern } from '../pattern';

// Deletes of users and groups, as authorization takes part in them: `libs/authorization-service/src/lib/principals`.

export const PrincipalRef = z.strictObject({
  PrincipalType: z.enum(['user', 'group']),
  /** The immutable user or group id. */
  PrincipalId: z.string().min(1).max(128),
});
export type PrincipalRef = z.infer<typeof PrincipalRef>;

/** The most user and group ids one `PoliciesOfPrincipals` request may name, together. */
export const MAX_PRINCIPALS_PER_REQUEST = 1000;

const PrincipalId = z.string().min(1).max(128);

export const PoliciesOfPrincipalsRequest = z
  .strictObject({ UserIds: z.array(PrincipalId).optional(), GroupIds: z.array(PrincipalId).optional() })
  .refine((r) => (r.UserIds?.length ?? 0) + (r.GroupIds?.length ?? 0) <= MAX_PRINCIPALS_PER_REQUEST, {
    message: `At most ${MAX_PRINCIPALS_PER_REQUEST} user and group ids together`,
  });
export type PoliciesOfPrincipalsRequest = z.infer<typeof PoliciesOfPrincipalsRequest>;

/** A principal's policies as its listings give them. */
export const PrincipalPolicies = z.strictObject({
  /** Its attached managed policies in the order `ListAttachedUserPolicies`/`ListAttachedGroupPolicies` lists them. */
  AttachedPolicies: z.array(z.strictObject({ PolicyName: z.string(), PolicyArn: z.string() })),
  /** Its inline policies with their documents, in the order `ListUserPolicies`/`ListGroupPolicies` lists them. */
  InlinePolicies: z.array(z.strictObject({ PolicyName: z.string(), PolicyDocument: z.string() })),
});
export type PrincipalPolicies = z.infer<typeof PrincipalPolicies>;

export const PoliciesOfPrincipalsReply = z.strictObject({
  Users: z.record(z.string(), PrincipalPolicies),
  Groups: z.record(z.string(), PrincipalPolicies),
});
export type PoliciesOfPrincipalsReply = z.infer<typeof PoliciesOfPrincipalsReply>;

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
  /**
   * Bulk (the account authorization details view): the attached and inline policies of many
   * users and groups by id (at most {@link MAX_PRINCIPALS_PER_REQUEST} ids together), in a
   * query per table. Every requested id is a key of its map; a principal with no policies, or
   * one that does not exist, maps to empty lists (existence is identity's and directory's to say).
   */
  PoliciesOfPrincipals: pattern('authorization.principals.policies', PoliciesOfPrincipalsRequest, PoliciesOfPrincipalsReply),
} as const;
