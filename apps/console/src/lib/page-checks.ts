/**
 * Every check the buttons of a page ask, each with its concrete resource (the user's, the group's
 * or the policy's ARN, each group's ARN for "Remove from group"), including those of the tabs and
 * dialogs not shown yet: the page asks for them all at once as soon as it has loaded, so
 * `POST /v1/me/permissions` is asked once for the page (in requests of at most 100 checks), and
 * a button shown later finds its answer already there.
 */
import type { Check } from './permissions';
import type { Group, UserOverview } from './types';

const on = (resource: string) => (action: string): Check => ({ action, resource });

/**
 * Attaching or detaching one managed policy: the call gives `iam:PolicyARN`, and so does the
 * check, so a policy that allows only some policies is decided for each one.
 */
export const policyCheck = (action: string, resource: string, policyArn: string): Check => ({ action, resource, context: { 'iam:PolicyARN': policyArn } });

/**
 * What deleting a user takes, step by step (AWS refuses to delete a user that still has any of
 * these): the password, each access key, each group (`RemoveUserFromGroup` on that group's ARN),
 * each attached and inline policy, then the user.
 */
export function deleteUserChecks(view: UserOverview): Check[] {
  const user = on(view.User.Arn);
  return [
    ...(view.LoginProfile?.Enabled ? [user('iam:DeleteLoginProfile')] : []),
    ...((view.AccessKeys ?? []).length > 0 ? [user('iam:DeleteAccessKey')] : []),
    ...(view.Groups ?? []).map((g) => ({ action: 'iam:RemoveUserFromGroup', resource: g.Arn })),
    ...(view.AttachedPolicies ?? []).map((p) => policyCheck('iam:DetachUserPolicy', view.User.Arn, p.PolicyArn)),
    ...((view.InlinePolicyNames ?? []).length > 0 ? [user('iam:DeleteUserPolicy')] : []),
    user('iam:DeleteUser'),
  ];
}

/** The buttons of a user's page, on every tab, and of its dialogs (a "Detach" button per attached policy, with its ARN). */
export function userPageChecks(view: UserOverview): Check[] {
  const user = on(view.User.Arn);
  const enabled = view.LoginProfile?.Enabled === true;
  return [
    ...[
      'iam:AttachUserPolicy',
      'iam:GetUserPolicy',
      'iam:DeleteUserPolicy',
      'iam:PutUserPolicy',
      enabled ? 'iam:UpdateLoginProfile' : 'iam:CreateLoginProfile',
      ...(enabled ? ['iam:DeleteLoginProfile'] : []),
      'iam:GetAccessKeyLastUsed',
      'iam:UpdateAccessKey',
      'iam:DeleteAccessKey',
      'iam:CreateAccessKey',
      'iam:SimulatePrincipalPolicy',
      'iam:TagUser',
    ].map(user),
    ...(view.Groups ?? []).map((g: Group) => ({ action: 'iam:RemoveUserFromGroup', resource: g.Arn })),
    ...deleteUserChecks(view),
  ];
}

export interface GroupPageView {
  Group: Group;
  Users?: unknown[];
  AttachedPolicies?: ReadonlyArray<{ PolicyArn: string }>;
  InlinePolicyNames?: string[];
}

/** What deleting a group takes: its members removed, its policies detached and deleted, then the group. */
export function deleteGroupChecks(view: GroupPageView): Check[] {
  const group = on(view.Group.Arn);
  return [
    ...((view.Users ?? []).length > 0 ? [group('iam:RemoveUserFromGroup')] : []),
    ...(view.AttachedPolicies ?? []).map((p) => policyCheck('iam:DetachGroupPolicy', view.Group.Arn, p.PolicyArn)),
    ...((view.InlinePolicyNames ?? []).length > 0 ? [group('iam:DeleteGroupPolicy')] : []),
    group('iam:DeleteGroup'),
  ];
}

/** The buttons of a group's page and of its dialogs. */
export function groupPageChecks(view: GroupPageView): Check[] {
  const group = on(view.Group.Arn);
  return [
    ...['iam:UpdateGroup', 'iam:RemoveUserFromGroup', 'iam:AddUserToGroup', 'iam:AttachGroupPolicy', 'iam:GetGroupPolicy', 'iam:DeleteGroupPolicy', 'iam:PutGroupPolicy'].map(group),
    ...deleteGroupChecks(view),
  ];
}

/** What deleting a customer managed policy takes here: its other versions deleted, then the policy (detaching it is left to the API: its entities come without their paths). */
export function deletePolicyChecks(policyArn: string, versions: ReadonlyArray<{ IsDefaultVersion: boolean }> | undefined): Check[] {
  const policy = on(policyArn);
  return [...((versions ?? []).some((v) => !v.IsDefaultVersion) ? [policy('iam:DeletePolicyVersion')] : []), policy('iam:DeletePolicy')];
}

/** The buttons of a customer managed policy's page. */
export function policyPageChecks(policyArn: string, versions: ReadonlyArray<{ IsDefaultVersion: boolean }> | undefined): Check[] {
  const policy = on(policyArn);
  return [...['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion'].map(policy), ...deletePolicyChecks(policyArn, versions)];
}
