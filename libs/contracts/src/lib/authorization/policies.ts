import { z } from 'zod';
import { AwsStrings, MAX_TAGS, Page, PageRequest, PolicyName, PolicyPath, Tag } from '../common';
import { NoInput, pattern, reply, type Empty } from '../pattern';
import { awsList, awsString } from '../validation';
import { PolicyArn, PolicyDescription, PolicyDocument, PolicyVersionId } from './shared';

// Managed policies, their versions and tags: `libs/authorization-service/src/lib/policies`.

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

/** {@link Policy} as a schema: what a fake of `CreatePolicy` must answer. */
export const PolicySchema: z.ZodType<Policy> = z.strictObject({
  PolicyName: z.string(),
  PolicyId: z.string(),
  Arn: z.string(),
  Path: z.string(),
  DefaultVersionId: z.string(),
  AttachmentCount: z.number().int().min(0),
  PermissionsBoundaryUsageCount: z.number().int().min(0),
  IsAttachable: z.boolean(),
  Description: z.string().optional(),
  CreateDate: z.string(),
  UpdateDate: z.string(),
  Tags: z.array(Tag).optional(),
});

/** AWS `PolicyVersion`. */
export interface PolicyVersion {
  /** Raw JSON text as written (see the encoding note above); absent in `ListPolicyVersions`. */
  Document?: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  /** ISO 8601. */
  CreateDate: string;
}

export const PolicyArnRequest = z.strictObject({ PolicyArn });
export type PolicyArnRequest = z.infer<typeof PolicyArnRequest>;

export const CreatePolicyRequest = z.strictObject({
  PolicyName,
  Path: PolicyPath.optional(),
  Description: PolicyDescription.optional(),
  PolicyDocument,
  Tags: awsList(Tag, 0, MAX_TAGS).optional(),
});
export type CreatePolicyRequest = z.infer<typeof CreatePolicyRequest>;

export const ListPoliciesRequest = z.strictObject({
  Scope: z.enum(['All', 'AWS', 'Local']).optional(),
  OnlyAttached: z.boolean().optional(),
  PathPrefix: PolicyPath.optional(),
  PolicyUsageFilter: z.enum(['PermissionsPolicy', 'PermissionsBoundary']).optional(),
  ...PageRequest.shape,
});
export type ListPoliciesRequest = z.infer<typeof ListPoliciesRequest>;

export const TagPolicyRequest = z.strictObject({ PolicyArn, Tags: awsList(Tag, 0, MAX_TAGS) });
export type TagPolicyRequest = z.infer<typeof TagPolicyRequest>;
export const UntagPolicyRequest = z.strictObject({
  PolicyArn,
  TagKeys: awsList(awsString(AwsStrings.tagKey), 0, MAX_TAGS),
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

/** What authorization counts and enforces, in AWS's `GetAccountSummary` keys. */
export const AuthorizationAccountSummary = z.strictObject({
  /** How many customer managed policies the account has. */
  Policies: z.number().int().min(0),
  /** How many versions those policies have in all. */
  PolicyVersionsInUse: z.number().int().min(0),
  /** Managed policies per user and per group, as authorization enforces them (`IAM_MAX_POLICIES_PER_USER`/`_GROUP`). */
  AttachedPoliciesPerUserQuota: z.number().int().min(1),
  AttachedPoliciesPerGroupQuota: z.number().int().min(1),
  /** Versions per managed policy. */
  VersionsPerPolicyQuota: z.number().int().min(1),
  /** Characters of a managed policy document, white space not counted. */
  PolicySizeQuota: z.number().int().min(1),
  /** Characters of a user's (a group's) inline policies together, white space not counted. */
  UserPolicySizeQuota: z.number().int().min(1),
  GroupPolicySizeQuota: z.number().int().min(1),
});
export type AuthorizationAccountSummary = z.infer<typeof AuthorizationAccountSummary>;

export const PolicyPatterns = {
  /**
   * Authorization's part of AWS's `GetAccountSummary`: customer managed
   * policies and their versions (each one `count(*)`) and the quotas
   * authorization enforces, as it is configured.
   */
  AccountSummary: pattern('authorization.account.summary', NoInput, AuthorizationAccountSummary),
  /**
   * AWS `CreatePolicy`: a customer managed policy whose document becomes
   * version `v1`, the default. `Path` defaults to `/`. Errors:
   * `EntityAlreadyExists` when the account has a policy of that name
   * (regardless of case and path), `MalformedPolicyDocument`, `LimitExceeded`
   * for a document over 6,144 characters without white space,
   * `InvalidInput` for repeated tag keys.
   */
  CreatePolicy: pattern('authorization.policy.create', CreatePolicyRequest, z.strictObject({ Policy: PolicySchema })),
  /** AWS `GetPolicy`: metadata, default version id, attachment count, tags. Unknown → `NoSuchEntity`. */
  GetPolicy: pattern('authorization.policy.get', PolicyArnRequest, reply<{ Policy: Policy }>()),
  /**
   * AWS `ListPolicies`: `Scope` `All` (default), `AWS` or `Local`;
   * `OnlyAttached` keeps policies attached to at least one user or group;
   * `PathPrefix` filters on the policy path; `PolicyUsageFilter`
   * `PermissionsPolicy` lists every policy, `PermissionsBoundary` none
   * (permissions boundaries are not supported). Ordered by name regardless of
   * case, then ARN. `Description` and `Tags` are left out, as AWS does.
   */
  ListPolicies: pattern('authorization.policy.list', ListPoliciesRequest, reply<{ Policies: Policy[] } & Page>()),
  /**
   * AWS `DeletePolicy`: deletes a customer managed policy with its default
   * version. `DeleteConflict` while it is attached ("Cannot delete a policy
   * attached to entities.") or has other versions; `NoSuchEntity` when
   * unknown; `AccessDenied` for an AWS managed policy.
   */
  DeletePolicy: pattern('authorization.policy.delete', PolicyArnRequest, reply<Empty>()),
  /**
   * AWS `TagPolicy`: adds or replaces tags (`mergeTags`). A policy's keys are compared as
   * written, as AWS compares them: `a` and `A` are two tags. A key given twice → `InvalidInput`
   * ("Duplicate tag keys found."); more than 50 tags in all → `LimitExceeded` ("The number of
   * tags has reached the maximum limit.").
   */
  TagPolicy: pattern('authorization.policy.tag', TagPolicyRequest, reply<Empty>()),
  /** AWS `UntagPolicy`: removes the named tag keys (as written); unknown keys are ignored. */
  UntagPolicy: pattern('authorization.policy.untag', UntagPolicyRequest, reply<Empty>()),
  /**
   * AWS `ListPolicyTags`, in AWS's order: shorter keys first, then by key as written (`a`, `b`,
   * `z`, `abc`). `CreatePolicy` and `GetPolicy` show the tags in the order they were written.
   */
  ListPolicyTags: pattern('authorization.policy.tags', ListPolicyTagsRequest, reply<{ Tags: Tag[] } & Page>()),
  /**
   * AWS `CreatePolicyVersion`: the next version id (`v2`, `v3`, … never
   * reused), the default one when `SetAsDefault`. A policy has at most five
   * versions → `LimitExceeded` ("A managed policy can have up to 5 versions.
   * Before you create a new version, you must delete an existing version.").
   * A new default is in force for every decision that starts after the reply.
   */
  CreatePolicyVersion: pattern('authorization.policy-version.create', CreatePolicyVersionRequest, reply<{ PolicyVersion: PolicyVersion }>()),
  /** AWS `GetPolicyVersion`, with the raw `Document`. Unknown policy or version → `NoSuchEntity`. */
  GetPolicyVersion: pattern('authorization.policy-version.get', PolicyVersionRequest, reply<{ PolicyVersion: PolicyVersion }>()),
  /** AWS `ListPolicyVersions`, newest first, without documents. */
  ListPolicyVersions: pattern('authorization.policy-version.list', ListPolicyVersionsRequest, reply<{ Versions: PolicyVersion[] } & Page>()),
  /** AWS `SetDefaultPolicyVersion`; in force for every decision that starts after the reply. */
  SetDefaultPolicyVersion: pattern('authorization.policy-version.set-default', PolicyVersionRequest, reply<Empty>()),
  /**
   * AWS `DeletePolicyVersion` of a non-default version. The default one →
   * `DeleteConflict` ("Cannot delete the default version of a policy.").
   */
  DeletePolicyVersion: pattern('authorization.policy-version.delete', PolicyVersionRequest, reply<Empty>()),
} as const;
