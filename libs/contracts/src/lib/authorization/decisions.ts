import { z } from 'zod';
import { pattern } from '../pattern';
import { awsString } from '../validation';
import { DecisionKind, PolicySourceType } from './shared';

// The decision every request goes through: `libs/authorization-service/src/lib/decisions`.

/** The principal of a request, as the gateway authenticated it. */
export const RequestPrincipal = z.union([
  z.strictObject({ Type: z.literal('root') }),
  z.strictObject({ Type: z.literal('user'), UserId: z.string().min(1).max(128) }),
]);
export type RequestPrincipal = z.infer<typeof RequestPrincipal>;

/** Condition keys of a request: a string is single-valued, an array multivalued (`[]` = absent). */
export const RequestContextValues = z
  .record(awsString({ min: 1, max: 256 }), z.union([z.string().max(4096), z.array(z.string().max(4096)).max(256)]))
  .refine((value) => Object.keys(value).length <= 256, { message: 'Member must have at most 256 keys' });
export type RequestContextValues = z.infer<typeof RequestContextValues>;

export const AuthorizeRequest = z.strictObject({
  Principal: RequestPrincipal,
  /** `service:action`, e.g. `iam:CreateUser` (any letter case). */
  Action: awsString({ min: 1, max: 128 }),
  /** The resource ARN, or `*` for actions without a resource. */
  Resource: awsString({ min: 1, max: 2048 }),
  /** What the gateway knows of the request: aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalTag/…, aws:SourceIp, aws:CurrentTime, … */
  Context: RequestContextValues.optional(),
});
export type AuthorizeRequest = z.infer<typeof AuthorizeRequest>;

/** How many checks one `AuthorizeBatch` request may hold. */
export const AUTHORIZE_BATCH_MAX_CHECKS = 100;

export const AuthorizeBatchRequest = z.strictObject({
  Principal: RequestPrincipal,
  /** Context keys shared by every check. */
  Context: RequestContextValues.optional(),
  Checks: z
    .array(
      z.strictObject({
        Action: awsString({ min: 1, max: 128 }),
        Resource: awsString({ min: 1, max: 2048 }),
        /** The check's own keys, added to (and overriding) the shared ones. */
        Context: RequestContextValues.optional(),
      }),
    )
    .min(1)
    .max(AUTHORIZE_BATCH_MAX_CHECKS),
});
export type AuthorizeBatchRequest = z.infer<typeof AuthorizeBatchRequest>;

/** What a policy is attached to, for the principal of a decision. */
export const PolicyAttachmentRef = z.strictObject({
  /** `user` for the principal itself, `group` for one of its groups. */
  PrincipalType: z.enum(['user', 'group']),
  PrincipalId: z.string(),
  /** For a group. */
  GroupName: z.string().optional(),
});
export type PolicyAttachmentRef = z.infer<typeof PolicyAttachmentRef>;

/** A statement that decided a request. */
export const DecisionStatement = z.strictObject({
  /** The managed policy id (`ANPA…`), or the inline policy's name. */
  PolicyId: z.string(),
  PolicyName: z.string(),
  PolicyType: PolicySourceType,
  /** Managed policies only. */
  PolicyArn: z.string().optional(),
  /** The version in force (managed policies only). */
  VersionId: z.string().optional(),
  Sid: z.string().optional(),
  /** Zero-based position of the statement in the policy. */
  StatementIndex: z.number().int().min(0),
  Effect: z.enum(['Allow', 'Deny']),
  /** Through which the principal has the policy: itself and/or some of its groups. */
  AttachedTo: z.array(PolicyAttachmentRef),
});
export type DecisionStatement = z.infer<typeof DecisionStatement>;

export const AuthorizeReply = z.strictObject({
  Decision: DecisionKind,
  /** For `allowed` every Allow that applies; for `explicitDeny` every Deny that applies; else empty. */
  MatchedStatements: z.array(DecisionStatement),
  /** Context keys the applicable statements reference that the request lacks. */
  MissingContextKeys: z.array(z.string()),
  /** Set when the decision is a deny forced by a failure (fail closed); the reason is also logged. */
  Error: z.string().optional(),
});
export type AuthorizeReply = z.infer<typeof AuthorizeReply>;

export const GetPolicySetRequest = z.strictObject({
  Principal: z.strictObject({ Type: z.literal('user'), UserId: z.string().min(1).max(128) }),
});
export type GetPolicySetRequest = z.infer<typeof GetPolicySetRequest>;

/** One policy of a principal's policy set, with its document as stored. */
export const PolicySetEntry = z.strictObject({
  /** `inline` for a user's or group's own policy, `managed` otherwise. */
  Kind: z.enum(['managed', 'inline']),
  PolicyType: PolicySourceType,
  /** The managed policy id (`ANPA…`), or the inline policy's name. */
  PolicyId: z.string(),
  PolicyName: z.string(),
  /** Managed policies only. */
  PolicyArn: z.string().optional(),
  /** The version in force (managed policies only). */
  VersionId: z.string().optional(),
  /** Through which the principal has the policy: itself and/or some of its groups. */
  AttachedTo: z.array(PolicyAttachmentRef),
  /** The policy document (JSON text) as stored. */
  Document: z.string(),
});
export type PolicySetEntry = z.infer<typeof PolicySetEntry>;

/**
 * How a matched statement of a policy set's entry is reported in a decision: the one wording of
 * `MatchedStatements`, for the authorization service's `Authorize` and the gateway's decisions
 * made in process alike.
 */
export function decisionStatement(
  entry: Omit<PolicySetEntry, 'Kind' | 'Document'>,
  statement: { readonly sid?: string; readonly statementIndex: number; readonly effect: 'Allow' | 'Deny' },
): DecisionStatement {
  return {
    PolicyId: entry.PolicyId,
    PolicyName: entry.PolicyName,
    PolicyType: entry.PolicyType,
    ...(entry.PolicyArn !== undefined ? { PolicyArn: entry.PolicyArn } : {}),
    ...(entry.VersionId !== undefined ? { VersionId: entry.VersionId } : {}),
    ...(statement.sid !== undefined ? { Sid: statement.sid } : {}),
    StatementIndex: statement.statementIndex,
    Effect: statement.effect,
    AttachedTo: entry.AttachedTo,
  };
}

export const GetPolicySetReply = z.strictObject({
  /** The user's groups (membership read in this request). */
  Groups: z.array(z.strictObject({ GroupId: z.string(), GroupName: z.string() })),
  /** Every policy that applies, in evaluation order, each once (as `Authorize` evaluates them). */
  Policies: z.array(PolicySetEntry),
});
export type GetPolicySetReply = z.infer<typeof GetPolicySetReply>;

export const DecisionPatterns = {
  /**
   * The decision the gateway asks for every request: may this principal do
   * this action on this resource with this request context? The principal's
   * policies are its inline and attached managed policies and those of each
   * of its groups (one hop, read from directory per decision), evaluated
   * with the policy engine. The root principal is allowed everything in its
   * account. A request that is the contract never fails: any error on the
   * way (directory down, a bad context value, a stored document that no
   * longer compiles) is an `implicitDeny` with `Error` set (fail closed); one
   * that is not the contract answers `ValidationError`, which is a deny too.
   * Consistency: reads committed attachments, versions, inline policies and
   * memberships on every call; no grant is cached.
   */
  Authorize: pattern('authorization.authorize', AuthorizeRequest, AuthorizeReply),
  /**
   * Several decisions for one principal in one message: each of `Checks` (an
   * action and a resource, with its own context keys added to the shared
   * `Context`) decided exactly as `Authorize` would, in order, against one
   * read of the principal's groups and policies. At most
   * `AUTHORIZE_BATCH_MAX_CHECKS` checks. Fails closed per check as
   * `Authorize` does (`implicitDeny` with `Error`).
   */
  AuthorizeBatch: pattern('authorization.authorize.batch', AuthorizeBatchRequest, z.strictObject({ Results: z.array(AuthorizeReply) })),
  /**
   * Everything a decision on a user needs, in one reply, for a gateway that
   * decides in process: the user's groups and every policy that applies
   * (its own and its groups' inline and attached managed policies, the
   * default version of each), in the order and with the attachments
   * `Authorize` evaluates. Read from committed state. A user that does not
   * exist has no groups and no policies. A store that is down →
   * `ServiceUnavailable`.
   */
  GetPolicySet: pattern('authorization.policy-set.get', GetPolicySetRequest, GetPolicySetReply),
} as const;
