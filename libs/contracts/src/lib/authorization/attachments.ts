import { z } from 'zod';
import { EntityPath, ExistingUserName, GroupName, Page, PageRequest, PolicyPath } from '../common';
import { NoReply, pattern, reply, type Empty } from '../pattern';
import { PolicyArn } from './shared';

// Attachments of managed policies to users and groups: `libs/authorization-service/src/lib/attachments`.

/** AWS `AttachedPolicy`. */
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export const UserPolicyAttachmentRequest = z.strictObject({ UserName: ExistingUserName, PolicyArn });
export type UserPolicyAttachmentRequest = z.infer<typeof UserPolicyAttachmentRequest>;
export const GroupPolicyAttachmentRequest = z.strictObject({ GroupName, PolicyArn });
export type GroupPolicyAttachmentRequest = z.infer<typeof GroupPolicyAttachmentRequest>;
export const ListAttachedUserPoliciesRequest = z.strictObject({ UserName: ExistingUserName, PathPrefix: PolicyPath.optional(), ...PageRequest.shape });
export type ListAttachedUserPoliciesRequest = z.infer<typeof ListAttachedUserPoliciesRequest>;
export const ListAttachedGroupPoliciesRequest = z.strictObject({ GroupName, PathPrefix: PolicyPath.optional(), ...PageRequest.shape });
export type ListAttachedGroupPoliciesRequest = z.infer<typeof ListAttachedGroupPoliciesRequest>;

export const ListEntitiesForPolicyRequest = z.strictObject({
  PolicyArn,
  EntityFilter: z.enum(['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']).optional(),
  PathPrefix: EntityPath.optional(),
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

export const AttachmentPatterns = {
  /**
   * AWS `AttachUserPolicy`. Attaching an attached policy again is not an
   * error. At most ten managed policies per user → `LimitExceeded` ("Cannot
   * exceed quota for PoliciesPerUser: 10."). Unknown policy → `NoSuchEntity`
   * ("Policy ARN does not exist or is not attachable."). A user whose delete
   * has begun → `NoSuchEntity`.
   */
  AttachUserPolicy: pattern('authorization.user-policy.attach', UserPolicyAttachmentRequest, reply<Empty>()),
  /**
   * AWS `DetachUserPolicy`. Not attached → `NoSuchEntity` ("Policy ARN was not
   * found."). In force for every decision that starts after the reply.
   */
  DetachUserPolicy: pattern('authorization.user-policy.detach', UserPolicyAttachmentRequest, NoReply),
  /** AWS `AttachGroupPolicy`; as `AttachUserPolicy`, quota `PoliciesPerGroup: 10`. */
  AttachGroupPolicy: pattern('authorization.group-policy.attach', GroupPolicyAttachmentRequest, reply<Empty>()),
  /** AWS `DetachGroupPolicy`; as `DetachUserPolicy`. */
  DetachGroupPolicy: pattern('authorization.group-policy.detach', GroupPolicyAttachmentRequest, reply<Empty>()),
  /** AWS `ListAttachedUserPolicies`: in the order attached; `PathPrefix` filters on the policy path. */
  ListAttachedUserPolicies: pattern('authorization.user-policy.list-attached', ListAttachedUserPoliciesRequest, reply<{ AttachedPolicies: AttachedPolicy[] } & Page>()),
  /** AWS `ListAttachedGroupPolicies`: as `ListAttachedUserPolicies`. */
  ListAttachedGroupPolicies: pattern('authorization.group-policy.list-attached', ListAttachedGroupPoliciesRequest, reply<{ AttachedPolicies: AttachedPolicy[] } & Page>()),
  /**
   * AWS `ListEntitiesForPolicy`: the users and groups a policy is attached
   * to, names resolved with identity and directory. `EntityFilter` `User`,
   * `Group` (`Role` gives nothing), `LocalManagedPolicy` or `AWSManagedPolicy`
   * (everything when the policy is of that kind, else nothing);
   * `PathPrefix` filters on the entity's path. Groups first, then users, each
   * ordered by name regardless of case. `PolicyRoles` is always empty.
   */
  ListEntitiesForPolicy: pattern('authorization.policy.entities', ListEntitiesForPolicyRequest, reply<ListEntitiesForPolicyReply>()),
} as const;
