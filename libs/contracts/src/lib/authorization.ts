import { z } from 'zod';
import { EntityPath, GroupName, HealthReply, MAX_TAGS, Marker, MaxItems, Page, PageRequest, PathPrefix, PolicyName, Tag, ExistingUserName } from './common';
import { awsString } from './validation';

/**
 * Authorization: managed policies (customer managed and AWS managed) with
 * versions, inline policies, attachments of managed policies to users and
 * groups, the decision every request goes through, the AWS policy simulation
 * APIs and the who-can view.
 *
 * Conventions of every pattern below:
 * - Policies are addressed by ARN, as AWS does:
 *   `arn:aws:iam::ACCOUNT:policy/PATH/NAME` for the account's own (customer
 *   managed) policies, `arn:aws:iam::aws:policy/NAME` for the AWS managed
 *   ones, which are read-only (changing one answers `AccessDenied`). A string
 *   that is not a policy ARN answers `InvalidInput` ("ARN x is not valid.").
 * - Users and groups are named as AWS does (`UserName`, `GroupName`, looked up
 *   regardless of case) and resolved to their immutable ids with identity and
 *   directory; attachments and inline policies are keyed by those ids, so
 *   renames change nothing here. Unknown user or group → `NoSuchEntity` with
 *   the owning service's message.
 * - Policy documents are returned exactly as they were written (raw JSON
 *   text, white space kept). AWS's Query API returns them URL-encoded
 *   (RFC 3986); that encoding belongs to the protocol front: the gateway
 *   encodes `Document`/`PolicyDocument` for the Query API and passes them raw
 *   in REST JSON.
 * - Every written document is validated and compiled by the policy engine
 *   first: a malformed one answers `MalformedPolicyDocument` naming the JSON
 *   path and the reason (`Statement[0].Effect: Effect must be "Allow" or
 *   "Deny", found "Permit"`), and nothing is stored.
 * - Pagination follows AWS: pass the reply's `Marker` back as `Marker` while
 *   `IsTruncated` is true; `MaxItems` is 1–1000, 100 by default. Markers are
 *   opaque; one that cannot be read answers `InvalidInput`. "By name" orders
 *   compare lower-cased names byte by byte, whatever the database's locale.
 * - Consistency: every reply is given after commit, and every read starts
 *   from committed state, so a change is seen by every call (decisions
 *   included) that starts after the changing call returned, on any replica.
 */
export const AuthorizationPatterns = {
  Health: 'authorization.health',

  // ── Managed policies ────────────────────────────────────────────────────
  /**
   * AWS `CreatePolicy`: a customer managed policy whose document becomes
   * version `v1`, the default. `Path` defaults to `/`. Errors:
   * `EntityAlreadyExists` when the account has a policy of that name
   * (regardless of case and path), `MalformedPolicyDocument`, `LimitExceeded`
   * for a document over 6,144 characters without white space,
   * `InvalidInput` for repeated tag keys.
   */
  CreatePolicy: 'authorization.policy.create',
  /** AWS `GetPolicy`: metadata, default version id, attachment count, tags. Unknown → `NoSuchEntity`. */
  GetPolicy: 'authorization.policy.get',
  /**
   * AWS `ListPolicies`: `Scope` `All` (default), `AWS` or `Local`;
   * `OnlyAttached` keeps policies attached to at least one user or group;
   * `PathPrefix` filters on the policy path; `PolicyUsageFilter`
   * `PermissionsPolicy` lists every policy, `PermissionsBoundary` none
   * (permissions boundaries are not supported). Ordered by name regardless of
   * case, then ARN. `Description` and `Tags` are left out, as AWS does.
   */
  ListPolicies: 'authorization.policy.list',
  /**
   * AWS `DeletePolicy`: deletes a customer managed policy with its default
   * version. `DeleteConflict` while it is attached ("Cannot delete a policy
   * attached to entities.") or has other versions; `NoSuchEntity` when
   * unknown; `AccessDenied` for an AWS managed policy.
   */
  DeletePolicy: 'authorization.policy.delete',
  /** AWS `TagPolicy`: adds or replaces tags (keys compared regardless of case). At most 50 tags → `LimitExceeded`. */
  TagPolicy: 'authorization.policy.tag',
  /** AWS `UntagPolicy`: removes the named tag keys (regardless of case); unknown keys are ignored. */
  UntagPolicy: 'authorization.policy.untag',
  /** AWS `ListPolicyTags`, in the order the tags were added. */
  ListPolicyTags: 'authorization.policy.tags',

  // ── Policy versions ─────────────────────────────────────────────────────
  /**
   * AWS `CreatePolicyVersion`: the next version id (`v2`, `v3`, … never
   * reused), the default one when `SetAsDefault`. A policy has at most five
   * versions → `LimitExceeded` ("A managed policy can have up to 5 versions.
   * Before you create a new version, you must delete an existing version.").
   * A new default is in force for every decision that starts after the reply.
   */
  CreatePolicyVersion: 'authorization.policy-version.create',
  /** AWS `GetPolicyVersion`, with the raw `Document`. Unknown policy or version → `NoSuchEntity`. */
  GetPolicyVersion: 'authorization.policy-version.get',
  /** AWS `ListPolicyVersions`, newest first, without documents. */
  ListPolicyVersions: 'authorization.policy-version.list',
  /** AWS `SetDefaultPolicyVersion`; in force for every decision that starts after the reply. */
  SetDefaultPolicyVersion: 'authorization.policy-version.set-default',
  /**
   * AWS `DeletePolicyVersion` of a non-default version. The default one →
   * `DeleteConflict` ("Cannot delete the default version of a policy.").
   */
  DeletePolicyVersion: 'authorization.policy-version.delete',

  // ── Attachments ─────────────────────────────────────────────────────────
  /**
   * AWS `AttachUserPolicy`. Attaching an attached policy again is not an
   * error. At most ten managed policies per user → `LimitExceeded` ("Cannot
   * exceed quota for PoliciesPerUser: 10."). Unknown policy → `NoSuchEntity`
   * ("Policy ARN does not exist or is not attachable."). A user whose delete
   * has begun → `NoSuchEntity`.
   */
  AttachUserPolicy: 'authorization.user-policy.attach',
  /**
   * AWS `DetachUserPolicy`. Not attached → `NoSuchEntity` ("Policy ARN was not
   * found."). In force for every decision that starts after the reply.
   */
  DetachUserPolicy: 'authorization.user-policy.detach',
  /** AWS `AttachGroupPolicy`; as `AttachUserPolicy`, quota `PoliciesPerGroup: 10`. */
  AttachGroupPolicy: 'authorization.group-policy.attach',
  /** AWS `DetachGroupPolicy`; as `DetachUserPolicy`. */
  DetachGroupPolicy: 'authorization.group-policy.detach',
  /** AWS `ListAttachedUserPolicies`: in the order attached; `PathPrefix` filters on the policy path. */
  ListAttachedUserPolicies: 'authorization.user-policy.list-attached',
  /** AWS `ListAttachedGroupPolicies`: as `ListAttachedUserPolicies`. */
  ListAttachedGroupPolicies: 'authorization.group-policy.list-attached',
  /**
   * AWS `ListEntitiesForPolicy`: the users and groups a policy is attached
   * to, names resolved with identity and directory. `EntityFilter` `User`,
   * `Group` (`Role` gives nothing), `LocalManagedPolicy` or `AWSManagedPolicy`
   * (everything when the policy is of that kind, else nothing);
   * `PathPrefix` filters on the entity's path. Groups first, then users, each
   * ordered by name regardless of case. `PolicyRoles` is always empty.
   */
  ListEntitiesForPolicy: 'authorization.policy.entities',

  // ── Inline policies ─────────────────────────────────────────────────────
  /**
   * AWS `PutUserPolicy`: creates or replaces the inline policy of that name
   * (names compared regardless of case). The user's inline policies may
   * total 2,048 characters without white space → `LimitExceeded` ("Maximum
   * policy size of 2048 bytes exceeded for user NAME"). A user whose delete
   * has begun → `NoSuchEntity`.
   */
  PutUserPolicy: 'authorization.user-policy.put',
  /** AWS `GetUserPolicy`, with the raw `PolicyDocument`. Unknown → `NoSuchEntity` ("The user policy with name X cannot be found."). */
  GetUserPolicy: 'authorization.user-policy.get',
  /** AWS `DeleteUserPolicy`. Unknown → `NoSuchEntity`. In force for every decision that starts after the reply. */
  DeleteUserPolicy: 'authorization.user-policy.delete',
  /** AWS `ListUserPolicies`: names ordered regardless of case. */
  ListUserPolicies: 'authorization.user-policy.list',
  /** AWS `PutGroupPolicy`: as `PutUserPolicy`, aggregate limit 5,120. */
  PutGroupPolicy: 'authorization.group-policy.put',
  /** AWS `GetGroupPolicy`. */
  GetGroupPolicy: 'authorization.group-policy.get',
  /** AWS `DeleteGroupPolicy`. */
  DeleteGroupPolicy: 'authorization.group-policy.delete',
  /** AWS `ListGroupPolicies`. */
  ListGroupPolicies: 'authorization.group-policy.list',

  // ── Principal deletion (service to service) ─────────────────────────────
  /**
   * Service-to-service, step 1 of `DeleteUser` (identity) and `DeleteGroup`
   * (directory): records a tombstone for the principal id, so that from now
   * on no policy may be attached to or put on it, and replies how many
   * attached and inline policies remain. Serialized with attaches and puts of
   * the same principal: every one that succeeded before is counted, every one
   * after is refused. If any remain, the caller answers `DeleteConflict` and
   * calls `CancelPrincipalDelete`. Idempotent.
   */
  BeginPrincipalDelete: 'authorization.principal.begin-delete',
  /** Service-to-service: undoes `BeginPrincipalDelete`. Idempotent. */
  CancelPrincipalDelete: 'authorization.principal.cancel-delete',

  // ── Decisions ───────────────────────────────────────────────────────────
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
  Authorize: 'authorization.authorize',
  /**
   * Several decisions for one principal in one message: each of `Checks` (an
   * action and a resource, with its own context keys added to the shared
   * `Context`) decided exactly as `Authorize` would, in order, against one
   * read of the principal's groups and policies. At most
   * `AUTHORIZE_BATCH_MAX_CHECKS` checks. Fails closed per check as
   * `Authorize` does (`implicitDeny` with `Error`).
   */
  AuthorizeBatch: 'authorization.authorize.batch',

  // ── Simulation (AWS semantics, the same evaluation as `Authorize`) ──────
  /**
   * AWS `SimulatePrincipalPolicy`: `PolicySourceArn` is a user ARN (its
   * inline and attached policies and its groups') or a group ARN (the
   * group's); `PolicyInputList` adds policies; `PermissionsBoundaryPolicyInputList`
   * caps the result (an action is allowed only when the boundary allows it
   * too). Each of `ActionNames` × `ResourceArns` (default `*`) is one
   * result, in that order, paginated. For a user, `aws:username`,
   * `aws:userid` and `aws:PrincipalArn` are set from the user unless given in
   * `ContextEntries`. Errors: `NoSuchEntity` (unknown principal),
   * `InvalidInput` (a context value that is not of its type, a source that is
   * not a user or group ARN), `MalformedPolicyDocument` (an input policy),
   * `ServiceFailure` (evaluation failed; AWS's `PolicyEvaluation`). Not supported: `ResourcePolicy`,
   * `ResourceOwner`, `CallerArn`, `ResourceHandlingOption` (resource-based
   * policies), `ResourceSpecificResults`, `EvalDecisionDetails`,
   * `OrganizationsDecisionDetail` (no organizations).
   */
  SimulatePrincipalPolicy: 'authorization.simulate.principal',
  /** AWS `SimulateCustomPolicy`: as `SimulatePrincipalPolicy` with only `PolicyInputList`. */
  SimulateCustomPolicy: 'authorization.simulate.custom',
  /**
   * AWS `GetContextKeysForPrincipalPolicy`: the context keys the principal's
   * policies (for a user, with its groups') and `PolicyInputList` reference,
   * as written where each first appears, without repeats regardless of case.
   */
  GetContextKeysForPrincipalPolicy: 'authorization.context-keys.principal',
  /** AWS `GetContextKeysForCustomPolicy`: the context keys `PolicyInputList` references. */
  GetContextKeysForCustomPolicy: 'authorization.context-keys.custom',

  // ── Who can ─────────────────────────────────────────────────────────────
  /**
   * Who can do `ActionName` on `ResourceArn` (an ARN, or an ARN pattern with
   * `*`/`?`): every user with an applicable statement, its `Verdict`
   * (`allowed`, `denied` by an explicit Deny, or `conditional` when a
   * condition, a policy variable or partial resource coverage leaves it
   * open) and the statements that grant or deny it, each with the group it
   * comes through (or direct). With `ContextEntries` conditions are
   * evaluated. Users with no applicable statement are not listed. Ordered by
   * user name regardless of case; `Verdicts` filters; `Counts` covers every
   * user regardless of the filter and the page. A page may hold fewer than
   * `MaxItems` users (still truncated, with a marker) so that the reply fits
   * in one bus message. Reads committed state on every call, like `Authorize`.
   */
  WhoCan: 'authorization.access.who-can',
  /**
   * A user's effective permissions by source: every policy that applies to
   * it (its own inline and attached ones, then each group's in directory's
   * order), with the group it comes through and its statements as written.
   * Unknown user → `NoSuchEntity`.
   */
  UserPermissions: 'authorization.access.user',
} as const;

// ── Shared shapes ─────────────────────────────────────────────────────────

/** AWS `arnType` as used for `PolicyArn`. */
export const PolicyArn = awsString({ min: 20, max: 2048 });
/** AWS `policyDocumentType`: tab, line feed, carriage return and U+0020 to U+00FF. */
export const PolicyDocument = awsString({ min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' });
export const PolicyVersionId = awsString({ pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' });
export const PolicyDescription = awsString({ min: 0, max: 1000, stored: true });
/** AWS `ResourceNameType`, for `ResourceArns` and `PolicySourceArn`. */
export const ResourceName = awsString({ min: 1, max: 2048 });
/** AWS `ActionNameType`. */
export const ActionName = awsString({ min: 3, max: 128 });

/** A customer managed or AWS managed policy in AWS's `Policy` shape. */
export interface Policy {
  PolicyName: string;
  /** `ANPA` followed by 17 upper-case letters and digits. */
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  /** Users and groups of this account the policy is attached to. */
  AttachmentCount: number;
  /** Always 0: permissions boundaries are not supported. */
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  /** In `GetPolicy` and `CreatePolicy` only, when set. */
  Description?: string;
  /** ISO 8601. */
  CreateDate: string;
  /** ISO 8601: when the default version last changed. */
  UpdateDate: string;
  /** In `GetPolicy` and `CreatePolicy` only, when there are tags. */
  Tags?: Tag[];
}

/** AWS `PolicyVersion`. */
export interface PolicyVersion {
  /** Raw JSON text as written (see the encoding note above); absent in `ListPolicyVersions`. */
  Document?: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  /** ISO 8601. */
  CreateDate: string;
}

/** AWS `AttachedPolicy`. */
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

const PolicyArnRequest = z.strictObject({ PolicyArn });
export type PolicyArnRequest = z.infer<typeof PolicyArnRequest>;

export const CreatePolicyRequest = z.strictObject({
  PolicyName,
  Path: EntityPath.optional(),
  Description: PolicyDescription.optional(),
  PolicyDocument,
  Tags: z.array(Tag).max(MAX_TAGS).optional(),
});
export type CreatePolicyRequest = z.infer<typeof CreatePolicyRequest>;

export const ListPoliciesRequest = z.strictObject({
  Scope: z.enum(['All', 'AWS', 'Local']).optional(),
  OnlyAttached: z.boolean().optional(),
  PathPrefix: PathPrefix.optional(),
  PolicyUsageFilter: z.enum(['PermissionsPolicy', 'PermissionsBoundary']).optional(),
  ...PageRequest.shape,
});
export type ListPoliciesRequest = z.infer<typeof ListPoliciesRequest>;

export const TagPolicyRequest = z.strictObject({ PolicyArn, Tags: z.array(Tag).max(MAX_TAGS) });
export type TagPolicyRequest = z.infer<typeof TagPolicyRequest>;
export const UntagPolicyRequest = z.strictObject({
  PolicyArn,
  TagKeys: z.array(awsString({ min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' })).max(MAX_TAGS),
});
export type UntagPolicyRequest = z.infer<typeof UntagPolicyRequest>;
export const ListPolicyTagsRequest = z.strictObject({ PolicyArn, ...PageRequest.shape });
export type ListPolicyTagsRequest = z.infer<typeof ListPolicyTagsRequest>;

export const CreatePolicyVersionRequest = z.strictObject({ PolicyArn, PolicyDocument, SetAsDefault: z.boolean().optional() });
export type CreatePolicyVersionRequest = z.infer<typeof CreatePolicyVersionRequest>;
export const PolicyVersionRequest = z.strictObject({ PolicyArn, VersionId: PolicyVersionId });
export type PolicyVersionRequest = z.infer<typeof PolicyVersionRequest>;
export const ListPolicyVersionsRequest = z.strictObject({ PolicyArn, ...PageRequest.shape });
export type ListPolicyVersionsRequest = z.infer<typeof ListPolicyVersionsRequest>;

export const UserPolicyAttachmentRequest = z.strictObject({ UserName: ExistingUserName, PolicyArn });
export type UserPolicyAttachmentRequest = z.infer<typeof UserPolicyAttachmentRequest>;
export const GroupPolicyAttachmentRequest = z.strictObject({ GroupName, PolicyArn });
export type GroupPolicyAttachmentRequest = z.infer<typeof GroupPolicyAttachmentRequest>;
export const ListAttachedUserPoliciesRequest = z.strictObject({ UserName: ExistingUserName, PathPrefix: PathPrefix.optional(), ...PageRequest.shape });
export type ListAttachedUserPoliciesRequest = z.infer<typeof ListAttachedUserPoliciesRequest>;
export const ListAttachedGroupPoliciesRequest = z.strictObject({ GroupName, PathPrefix: PathPrefix.optional(), ...PageRequest.shape });
export type ListAttachedGroupPoliciesRequest = z.infer<typeof ListAttachedGroupPoliciesRequest>;

export const ListEntitiesForPolicyRequest = z.strictObject({
  PolicyArn,
  EntityFilter: z.enum(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']).optional(),
  PathPrefix: PathPrefix.optional(),
  PolicyUsageFilter: z.enum(['PermissionsPolicy', 'PermissionsBoundary']).optional(),
  ...PageRequest.shape,
});
export type ListEntitiesForPolicyRequest = z.infer<typeof ListEntitiesForPolicyRequest>;

export interface ListEntitiesForPolicyReply extends Page {
  PolicyGroups: { GroupName: string; GroupId: string }[];
  PolicyUsers: { UserName: string; UserId: string }[];
  /** Always empty: roles are not supported. */
  PolicyRoles: { RoleName: string; RoleId: string }[];
}

export const PutUserPolicyRequest = z.strictObject({ UserName: ExistingUserName, PolicyName, PolicyDocument });
export type PutUserPolicyRequest = z.infer<typeof PutUserPolicyRequest>;
export const UserPolicyRequest = z.strictObject({ UserName: ExistingUserName, PolicyName });
export type UserPolicyRequest = z.infer<typeof UserPolicyRequest>;
export const ListUserPoliciesRequest = z.strictObject({ UserName: ExistingUserName, ...PageRequest.shape });
export type ListUserPoliciesRequest = z.infer<typeof ListUserPoliciesRequest>;
export const PutGroupPolicyRequest = z.strictObject({ GroupName, PolicyName, PolicyDocument });
export type PutGroupPolicyRequest = z.infer<typeof PutGroupPolicyRequest>;
export const GroupPolicyRequest = z.strictObject({ GroupName, PolicyName });
export type GroupPolicyRequest = z.infer<typeof GroupPolicyRequest>;
export const ListGroupPoliciesRequest = z.strictObject({ GroupName, ...PageRequest.shape });
export type ListGroupPoliciesRequest = z.infer<typeof ListGroupPoliciesRequest>;

export interface GetUserPolicyReply {
  UserName: string;
  PolicyName: string;
  /** Raw JSON text as written. */
  PolicyDocument: string;
}
export interface GetGroupPolicyReply {
  GroupName: string;
  PolicyName: string;
  /** Raw JSON text as written. */
  PolicyDocument: string;
}
export interface PolicyNamesPage extends Page {
  PolicyNames: string[];
}

export const PrincipalRef = z.strictObject({
  PrincipalType: z.enum(['user', 'group']),
  /** The immutable user or group id. */
  PrincipalId: z.string().min(1).max(128),
});
export type PrincipalRef = z.infer<typeof PrincipalRef>;

// ── Decisions ──────────────────────────────────────────────────────────────

export type DecisionKind = 'allowed' | 'explicitDeny' | 'implicitDeny';

/**
 * Where a policy comes from: AWS's `SourcePolicyType` values. `user` and
 * `group` are inline policies; `aws-managed` and `user-managed` are managed
 * policies; `none` is a policy given in the request (simulation).
 */
export type PolicySourceType = 'user' | 'group' | 'aws-managed' | 'user-managed' | 'none';

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
export interface PolicyAttachmentRef {
  /** `user` for the principal itself, `group` for one of its groups. */
  PrincipalType: 'user' | 'group';
  PrincipalId: string;
  /** For a group. */
  GroupName?: string;
}

/** A statement that decided a request. */
export interface DecisionStatement {
  /** The managed policy id (`ANPA…`), or the inline policy's name. */
  PolicyId: string;
  PolicyName: string;
  PolicyType: PolicySourceType;
  /** Managed policies only. */
  PolicyArn?: string;
  /** The version in force (managed policies only). */
  VersionId?: string;
  Sid?: string;
  /** Zero-based position of the statement in the policy. */
  StatementIndex: number;
  Effect: 'Allow' | 'Deny';
  /** Through which the principal has the policy: itself and/or some of its groups. */
  AttachedTo: PolicyAttachmentRef[];
}

export interface AuthorizeReply {
  Decision: DecisionKind;
  /** For `allowed` every Allow that applies; for `explicitDeny` every Deny that applies; else empty. */
  MatchedStatements: DecisionStatement[];
  /** Context keys the applicable statements reference that the request lacks. */
  MissingContextKeys: string[];
  /** Set when the decision is a deny forced by a failure (fail closed); the reason is also logged. */
  Error?: string;
}

// ── Simulation ─────────────────────────────────────────────────────────────

export const CONTEXT_KEY_TYPES = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
] as const;

/** AWS `ContextEntry`. */
export const ContextEntry = z.strictObject({
  ContextKeyName: awsString({ min: 5, max: 256 }),
  ContextKeyValues: z.array(z.string().max(4096)).max(256),
  ContextKeyType: z.enum(CONTEXT_KEY_TYPES),
});
export type ContextEntry = z.infer<typeof ContextEntry>;

const SimulationInput = {
  PermissionsBoundaryPolicyInputList: z.array(PolicyDocument).max(10).optional(),
  ActionNames: z.array(ActionName).min(1).max(1000),
  ResourceArns: z.array(ResourceName).min(1).max(1000).optional(),
  ContextEntries: z.array(ContextEntry).max(256).optional(),
  MaxItems: MaxItems.optional(),
  Marker: Marker.optional(),
};

export const SimulatePrincipalPolicyRequest = z.strictObject({
  PolicySourceArn: ResourceName,
  PolicyInputList: z.array(PolicyDocument).max(50).optional(),
  ...SimulationInput,
});
export type SimulatePrincipalPolicyRequest = z.infer<typeof SimulatePrincipalPolicyRequest>;

export const SimulateCustomPolicyRequest = z.strictObject({
  PolicyInputList: z.array(PolicyDocument).min(1).max(50),
  ...SimulationInput,
});
export type SimulateCustomPolicyRequest = z.infer<typeof SimulateCustomPolicyRequest>;

/** AWS `Position`: 1-based line and column in the policy document text. */
export interface Position {
  Line: number;
  Column: number;
}

/** AWS `Statement` (of a simulation result). */
export interface SimulationStatement {
  /**
   * The policy's name (managed and inline), or `PolicyInputList.N` /
   * `PermissionsBoundaryPolicyInputList.N` (1-based) for a policy of the request.
   */
  SourcePolicyId: string;
  SourcePolicyType: PolicySourceType;
  /** Where the statement's `{` is. */
  StartPosition: Position;
  /** Just after the statement's `}`. */
  EndPosition: Position;
}

/** AWS `EvaluationResult`. */
export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: DecisionKind;
  MatchedStatements: SimulationStatement[];
  MissingContextValues: string[];
  /** Present when `PermissionsBoundaryPolicyInputList` was given. */
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface SimulationReply extends Page {
  EvaluationResults: EvaluationResult[];
}

export const GetContextKeysForPrincipalPolicyRequest = z.strictObject({
  PolicySourceArn: ResourceName,
  PolicyInputList: z.array(PolicyDocument).max(50).optional(),
});
export type GetContextKeysForPrincipalPolicyRequest = z.infer<typeof GetContextKeysForPrincipalPolicyRequest>;
export const GetContextKeysForCustomPolicyRequest = z.strictObject({ PolicyInputList: z.array(PolicyDocument).min(1).max(50) });
export type GetContextKeysForCustomPolicyRequest = z.infer<typeof GetContextKeysForCustomPolicyRequest>;

export interface ContextKeysReply {
  ContextKeyNames: string[];
}

// ── Who can ────────────────────────────────────────────────────────────────

export type AccessVerdict = 'allowed' | 'denied' | 'conditional';

export const WhoCanRequest = z.strictObject({
  ActionName,
  /** An ARN, or an ARN pattern with `*` and `?`. */
  ResourceArn: ResourceName,
  /** When given, conditions are evaluated against these values. */
  ContextEntries: z.array(ContextEntry).max(256).optional(),
  /** Only users with these verdicts (all when absent). */
  Verdicts: z.array(z.enum(['allowed', 'denied', 'conditional'])).min(1).max(3).optional(),
  ...PageRequest.shape,
});
export type WhoCanRequest = z.infer<typeof WhoCanRequest>;

/** A statement that grants or denies access to a user, and how the user has it. */
export interface AccessGrant {
  /** `direct`: the user's own policy; `group`: through that group. */
  Via: 'direct' | 'group';
  GroupName?: string;
  GroupId?: string;
  PolicyType: PolicySourceType;
  /** The managed policy id, or the inline policy's name. */
  PolicyId: string;
  PolicyName: string;
  PolicyArn?: string;
  VersionId?: string;
  Sid?: string;
  StatementIndex: number;
  /** True when it applies only in some cases (a condition, a variable, part of a resource pattern). */
  Conditional: boolean;
}

export interface AccessPrincipal {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  Verdict: AccessVerdict;
  /** Allow statements that apply. */
  Grants: AccessGrant[];
  /** Deny statements that apply. */
  Denials: AccessGrant[];
}

export interface WhoCanReply extends Page {
  ActionName: string;
  ResourceArn: string;
  Principals: AccessPrincipal[];
  Counts: { Allowed: number; Denied: number; Conditional: number };
}

export const UserPermissionsRequest = z.strictObject({ UserName: ExistingUserName });
export type UserPermissionsRequest = z.infer<typeof UserPermissionsRequest>;

export interface PermissionSource {
  Via: 'direct' | 'group';
  GroupName?: string;
  GroupId?: string;
  PolicyType: PolicySourceType;
  PolicyId: string;
  PolicyName: string;
  PolicyArn?: string;
  VersionId?: string;
  Statements: {
    StatementIndex: number;
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    /** The statement's JSON text as written in the document. */
    Statement: string;
  }[];
}

export interface UserPermissionsReply {
  User: { UserName: string; UserId: string; Path: string; Arn: string };
  Groups: { GroupName: string; GroupId: string }[];
  Sources: PermissionSource[];
}

// ── Message map ────────────────────────────────────────────────────────────

type Empty = Record<string, never>;

export interface AuthorizationMessages {
  [AuthorizationPatterns.Health]: { request: Empty; reply: HealthReply };
  [AuthorizationPatterns.CreatePolicy]: { request: CreatePolicyRequest; reply: { Policy: Policy } };
  [AuthorizationPatterns.GetPolicy]: { request: PolicyArnRequest; reply: { Policy: Policy } };
  [AuthorizationPatterns.ListPolicies]: { request: ListPoliciesRequest; reply: { Policies: Policy[] } & Page };
  [AuthorizationPatterns.DeletePolicy]: { request: PolicyArnRequest; reply: Empty };
  [AuthorizationPatterns.TagPolicy]: { request: TagPolicyRequest; reply: Empty };
  [AuthorizationPatterns.UntagPolicy]: { request: UntagPolicyRequest; reply: Empty };
  [AuthorizationPatterns.ListPolicyTags]: { request: ListPolicyTagsRequest; reply: { Tags: Tag[] } & Page };
  [AuthorizationPatterns.CreatePolicyVersion]: { request: CreatePolicyVersionRequest; reply: { PolicyVersion: PolicyVersion } };
  [AuthorizationPatterns.GetPolicyVersion]: { request: PolicyVersionRequest; reply: { PolicyVersion: PolicyVersion } };
  [AuthorizationPatterns.ListPolicyVersions]: { request: ListPolicyVersionsRequest; reply: { Versions: PolicyVersion[] } & Page };
  [AuthorizationPatterns.SetDefaultPolicyVersion]: { request: PolicyVersionRequest; reply: Empty };
  [AuthorizationPatterns.DeletePolicyVersion]: { request: PolicyVersionRequest; reply: Empty };
  [AuthorizationPatterns.AttachUserPolicy]: { request: UserPolicyAttachmentRequest; reply: Empty };
  [AuthorizationPatterns.DetachUserPolicy]: { request: UserPolicyAttachmentRequest; reply: Empty };
  [AuthorizationPatterns.AttachGroupPolicy]: { request: GroupPolicyAttachmentRequest; reply: Empty };
  [AuthorizationPatterns.DetachGroupPolicy]: { request: GroupPolicyAttachmentRequest; reply: Empty };
  [AuthorizationPatterns.ListAttachedUserPolicies]: { request: ListAttachedUserPoliciesRequest; reply: { AttachedPolicies: AttachedPolicy[] } & Page };
  [AuthorizationPatterns.ListAttachedGroupPolicies]: { request: ListAttachedGroupPoliciesRequest; reply: { AttachedPolicies: AttachedPolicy[] } & Page };
  [AuthorizationPatterns.ListEntitiesForPolicy]: { request: ListEntitiesForPolicyRequest; reply: ListEntitiesForPolicyReply };
  [AuthorizationPatterns.PutUserPolicy]: { request: PutUserPolicyRequest; reply: Empty };
  [AuthorizationPatterns.GetUserPolicy]: { request: UserPolicyRequest; reply: GetUserPolicyReply };
  [AuthorizationPatterns.DeleteUserPolicy]: { request: UserPolicyRequest; reply: Empty };
  [AuthorizationPatterns.ListUserPolicies]: { request: ListUserPoliciesRequest; reply: PolicyNamesPage };
  [AuthorizationPatterns.PutGroupPolicy]: { request: PutGroupPolicyRequest; reply: Empty };
  [AuthorizationPatterns.GetGroupPolicy]: { request: GroupPolicyRequest; reply: GetGroupPolicyReply };
  [AuthorizationPatterns.DeleteGroupPolicy]: { request: GroupPolicyRequest; reply: Empty };
  [AuthorizationPatterns.ListGroupPolicies]: { request: ListGroupPoliciesRequest; reply: PolicyNamesPage };
  [AuthorizationPatterns.BeginPrincipalDelete]: {
    request: PrincipalRef;
    reply: { AttachedPolicyCount: number; InlinePolicyCount: number };
  };
  [AuthorizationPatterns.CancelPrincipalDelete]: { request: PrincipalRef; reply: Empty };
  [AuthorizationPatterns.Authorize]: { request: AuthorizeRequest; reply: AuthorizeReply };
  [AuthorizationPatterns.AuthorizeBatch]: { request: AuthorizeBatchRequest; reply: { Results: AuthorizeReply[] } };
  [AuthorizationPatterns.SimulatePrincipalPolicy]: { request: SimulatePrincipalPolicyRequest; reply: SimulationReply };
  [AuthorizationPatterns.SimulateCustomPolicy]: { request: SimulateCustomPolicyRequest; reply: SimulationReply };
  [AuthorizationPatterns.GetContextKeysForPrincipalPolicy]: { request: GetContextKeysForPrincipalPolicyRequest; reply: ContextKeysReply };
  [AuthorizationPatterns.GetContextKeysForCustomPolicy]: { request: GetContextKeysForCustomPolicyRequest; reply: ContextKeysReply };
  [AuthorizationPatterns.WhoCan]: { request: WhoCanRequest; reply: WhoCanReply };
  [AuthorizationPatterns.UserPermissions]: { request: UserPermissionsRequest; reply: UserPermissionsReply };
}

export const AuthorizationRequests = {
  [AuthorizationPatterns.Health]: z.strictObject({}),
  [AuthorizationPatterns.CreatePolicy]: CreatePolicyRequest,
  [AuthorizationPatterns.GetPolicy]: PolicyArnRequest,
  [AuthorizationPatterns.ListPolicies]: ListPoliciesRequest,
  [AuthorizationPatterns.DeletePolicy]: PolicyArnRequest,
  [AuthorizationPatterns.TagPolicy]: TagPolicyRequest,
  [AuthorizationPatterns.UntagPolicy]: UntagPolicyRequest,
  [AuthorizationPatterns.ListPolicyTags]: ListPolicyTagsRequest,
  [AuthorizationPatterns.CreatePolicyVersion]: CreatePolicyVersionRequest,
  [AuthorizationPatterns.GetPolicyVersion]: PolicyVersionRequest,
  [AuthorizationPatterns.ListPolicyVersions]: ListPolicyVersionsRequest,
  [AuthorizationPatterns.SetDefaultPolicyVersion]: PolicyVersionRequest,
  [AuthorizationPatterns.DeletePolicyVersion]: PolicyVersionRequest,
  [AuthorizationPatterns.AttachUserPolicy]: UserPolicyAttachmentRequest,
  [AuthorizationPatterns.DetachUserPolicy]: UserPolicyAttachmentRequest,
  [AuthorizationPatterns.AttachGroupPolicy]: GroupPolicyAttachmentRequest,
  [AuthorizationPatterns.DetachGroupPolicy]: GroupPolicyAttachmentRequest,
  [AuthorizationPatterns.ListAttachedUserPolicies]: ListAttachedUserPoliciesRequest,
  [AuthorizationPatterns.ListAttachedGroupPolicies]: ListAttachedGroupPoliciesRequest,
  [AuthorizationPatterns.ListEntitiesForPolicy]: ListEntitiesForPolicyRequest,
  [AuthorizationPatterns.PutUserPolicy]: PutUserPolicyRequest,
  [AuthorizationPatterns.GetUserPolicy]: UserPolicyRequest,
  [AuthorizationPatterns.DeleteUserPolicy]: UserPolicyRequest,
  [AuthorizationPatterns.ListUserPolicies]: ListUserPoliciesRequest,
  [AuthorizationPatterns.PutGroupPolicy]: PutGroupPolicyRequest,
  [AuthorizationPatterns.GetGroupPolicy]: GroupPolicyRequest,
  [AuthorizationPatterns.DeleteGroupPolicy]: GroupPolicyRequest,
  [AuthorizationPatterns.ListGroupPolicies]: ListGroupPoliciesRequest,
  [AuthorizationPatterns.BeginPrincipalDelete]: PrincipalRef,
  [AuthorizationPatterns.CancelPrincipalDelete]: PrincipalRef,
  [AuthorizationPatterns.Authorize]: AuthorizeRequest,
  [AuthorizationPatterns.AuthorizeBatch]: AuthorizeBatchRequest,
  [AuthorizationPatterns.SimulatePrincipalPolicy]: SimulatePrincipalPolicyRequest,
  [AuthorizationPatterns.SimulateCustomPolicy]: SimulateCustomPolicyRequest,
  [AuthorizationPatterns.GetContextKeysForPrincipalPolicy]: GetContextKeysForPrincipalPolicyRequest,
  [AuthorizationPatterns.GetContextKeysForCustomPolicy]: GetContextKeysForCustomPolicyRequest,
  [AuthorizationPatterns.WhoCan]: WhoCanRequest,
  [AuthorizationPatterns.UserPermissions]: UserPermissionsRequest,
} satisfies { [K in keyof AuthorizationMessages]: z.ZodType<AuthorizationMessages[K]['request']> };

/**
 * Events of the authorization service, published after commit to every
 * replica that subscribes.
 */
export const AuthorizationEvents = {
  /**
   * A policy document was written: a managed policy version (created with
   * the policy or after) or an inline policy (put). Replicas compile it ahead
   * of the first decision that needs it. Only a speed-up: a replica that
   * misses it compiles the document when a decision first needs it, and no
   * grant ever depends on it.
   */
  PolicyDocumentWritten: 'authorization.policy-document.written',
} as const;

export type PolicyDocumentWritten =
  | { Kind: 'managed'; PolicyId: string; VersionId: string }
  | { Kind: 'inline'; PrincipalId: string; PolicyName: string };

export interface AuthorizationEventMap {
  [AuthorizationEvents.PolicyDocumentWritten]: PolicyDocumentWritten;
}
