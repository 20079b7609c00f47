import { z } from 'zod';
import { ExistingUserName, GroupName, Page, PageRequest, PolicyName } from '../common';
import { pattern, reply, type Empty } from '../pattern';
import { PolicyDocument } from './shared';

// Inline policies of users and groups: `libs/authorization-service/src/lib/inline`.

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

export const InlinePolicyPatterns = {
  /**
   * AWS `PutUserPolicy`: creates or replaces the inline policy of that name
   * (names compared regardless of case). The user's inline policies may
   * total 2,048 characters without white space → `LimitExceeded` ("Maximum
   * policy size of 2048 bytes exceeded for user NAME"). A user whose delete
   * has begun → `NoSuchEntity`.
   */
  PutUserPolicy: pattern('authorization.user-policy.put', PutUserPolicyRequest, reply<Empty>()),
  /** AWS `GetUserPolicy`, with the raw `PolicyDocument`. Unknown → `NoSuchEntity` ("The user policy with name X cannot be found."). */
  GetUserPolicy: pattern('authorization.user-policy.get', UserPolicyRequest, reply<GetUserPolicyReply>()),
  /** AWS `DeleteUserPolicy`. Unknown → `NoSuchEntity`. In force for every decision that starts after the reply. */
  DeleteUserPolicy: pattern('authorization.user-policy.delete', UserPolicyRequest, reply<Empty>()),
  /** AWS `ListUserPolicies`: names ordered regardless of case. */
  ListUserPolicies: pattern('authorization.user-policy.list', ListUserPoliciesRequest, reply<PolicyNamesPage>()),
  /** AWS `PutGroupPolicy`: as `PutUserPolicy`, aggregate limit 5,120. */
  PutGroupPolicy: pattern('authorization.group-policy.put', PutGroupPolicyRequest, reply<Empty>()),
  /** AWS `GetGroupPolicy`. */
  GetGroupPolicy: pattern('authorization.group-policy.get', GroupPolicyRequest, reply<GetGroupPolicyReply>()),
  /** AWS `DeleteGroupPolicy`. */
  DeleteGroupPolicy: pattern('authorization.group-policy.delete', GroupPolicyRequest, reply<Empty>()),
  /** AWS `ListGroupPolicies`. */
  ListGroupPolicies: pattern('authorization.group-policy.list', ListGroupPoliciesRequest, reply<PolicyNamesPage>()),
} as const;
