import { AuthorizationPatterns } from '@iam/contracts';
import { defineOperation, input, required } from '../operation';
import { AttachedPolicyOut, Out, PageMembers, PageOut, Shapes } from '../shapes';
import { groupTarget, resourceTagContext, userTarget } from '../targets';
import { urlEncodeDocument } from './documents';

const AttachedPage = Out.struct({ AttachedPolicies: Out.list(AttachedPolicyOut), ...PageOut });
const NamesPage = Out.struct({ PolicyNames: Out.list(Out.text), ...PageOut });
const user = required(Shapes.existingUserName);
const group = required(Shapes.groupName);

// ── Users ────────────────────────────────────────────────────────────────

export const AttachUserPolicy = defineOperation({
  name: 'AttachUserPolicy',
  query: true,
  tag: 'User policies',
  summary: 'Attaches a managed policy to a user (at most ten).',
  input: input({ UserName: user, PolicyArn: required(Shapes.arn) }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:AttachUserPolicy', resource: target.arn, context: { ...resourceTagContext(target), 'iam:PolicyARN': i.PolicyArn } }];
  },
  call: (i, c) => c.bus.send(AuthorizationPatterns.AttachUserPolicy, i),
  rest: { method: 'POST', path: '/v1/users/{UserName}/attached-policies', status: 204 },
});

export const DetachUserPolicy = defineOperation({
  name: 'DetachUserPolicy',
  query: true,
  tag: 'User policies',
  summary: 'Detaches a managed policy from a user; in force for the next request.',
  input: input({ UserName: user, PolicyArn: required(Shapes.arn) }),
  checks: async (i, c) => {
    const target = await userTarget(c, i.UserName);
    return [{ action: 'iam:DetachUserPolicy', resource: target.arn, context: { ...resourceTagContext(target), 'iam:PolicyARN': i.PolicyArn } }];
  },
  call: (i, c) => c.bus.send(AuthorizationPatterns.DetachUserPolicy, i),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/attached-policies/{PolicyArn}', status: 204 },
});

export const ListAttachedUserPolicies = defineOperation({
  name: 'ListAttachedUserPolicies',
  query: true,
  tag: 'User policies',
  summary: 'The managed policies attached to a user, in the order attached.',
  input: input({ UserName: user, PathPrefix: Shapes.policyPathPrefix, ...PageMembers }),
  output: AttachedPage,
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListAttachedUserPolicies', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListAttachedUserPolicies, i),
  rest: { method: 'GET', path: '/v1/users/{UserName}/attached-policies' },
});

export const PutUserPolicy = defineOperation({
  name: 'PutUserPolicy',
  query: true,
  tag: 'User policies',
  summary: 'Creates or replaces an inline policy of a user.',
  input: input({ UserName: user, PolicyName: required(Shapes.policyName), PolicyDocument: required(Shapes.policyDocument) }),
  checks: async (i, c) => [{ action: 'iam:PutUserPolicy', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.PutUserPolicy, i),
  rest: { method: 'PUT', path: '/v1/users/{UserName}/policies/{PolicyName}', status: 204 },
});

export const GetUserPolicy = defineOperation({
  name: 'GetUserPolicy',
  query: true,
  tag: 'User policies',
  summary: "An inline policy of a user with its document (URL-encoded in the Query API, as AWS).",
  input: input({ UserName: user, PolicyName: required(Shapes.policyName) }),
  output: Out.struct({ UserName: Out.text, PolicyName: Out.text, PolicyDocument: Out.text }),
  checks: async (i, c) => [{ action: 'iam:GetUserPolicy', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetUserPolicy, i),
  toXml: (r) => ({ ...r, PolicyDocument: urlEncodeDocument(r.PolicyDocument) }),
  rest: { method: 'GET', path: '/v1/users/{UserName}/policies/{PolicyName}' },
});

export const DeleteUserPolicy = defineOperation({
  name: 'DeleteUserPolicy',
  query: true,
  tag: 'User policies',
  summary: 'Deletes an inline policy of a user; in force for the next request.',
  input: input({ UserName: user, PolicyName: required(Shapes.policyName) }),
  checks: async (i, c) => [{ action: 'iam:DeleteUserPolicy', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.DeleteUserPolicy, i),
  rest: { method: 'DELETE', path: '/v1/users/{UserName}/policies/{PolicyName}', status: 204 },
});

export const ListUserPolicies = defineOperation({
  name: 'ListUserPolicies',
  query: true,
  tag: 'User policies',
  summary: 'The names of the inline policies of a user.',
  input: input({ UserName: user, ...PageMembers }),
  output: NamesPage,
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListUserPolicies', resource: (await userTarget(c, i.UserName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListUserPolicies, i),
  rest: { method: 'GET', path: '/v1/users/{UserName}/policies' },
});

// ── Groups ───────────────────────────────────────────────────────────────

export const AttachGroupPolicy = defineOperation({
  name: 'AttachGroupPolicy',
  query: true,
  tag: 'Group policies',
  summary: 'Attaches a managed policy to a group (at most ten); its members have it on their next request.',
  input: input({ GroupName: group, PolicyArn: required(Shapes.arn) }),
  checks: async (i, c) => [
    { action: 'iam:AttachGroupPolicy', resource: (await groupTarget(c, i.GroupName)).arn, context: { 'iam:PolicyARN': i.PolicyArn } },
  ],
  call: (i, c) => c.bus.send(AuthorizationPatterns.AttachGroupPolicy, i),
  rest: { method: 'POST', path: '/v1/groups/{GroupName}/attached-policies', status: 204 },
});

export const DetachGroupPolicy = defineOperation({
  name: 'DetachGroupPolicy',
  query: true,
  tag: 'Group policies',
  summary: 'Detaches a managed policy from a group; in force for the next request.',
  input: input({ GroupName: group, PolicyArn: required(Shapes.arn) }),
  checks: async (i, c) => [
    { action: 'iam:DetachGroupPolicy', resource: (await groupTarget(c, i.GroupName)).arn, context: { 'iam:PolicyARN': i.PolicyArn } },
  ],
  call: (i, c) => c.bus.send(AuthorizationPatterns.DetachGroupPolicy, i),
  rest: { method: 'DELETE', path: '/v1/groups/{GroupName}/attached-policies/{PolicyArn}', status: 204 },
});

export const ListAttachedGroupPolicies = defineOperation({
  name: 'ListAttachedGroupPolicies',
  query: true,
  tag: 'Group policies',
  summary: 'The managed policies attached to a group, in the order attached.',
  input: input({ GroupName: group, PathPrefix: Shapes.policyPathPrefix, ...PageMembers }),
  output: AttachedPage,
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListAttachedGroupPolicies', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListAttachedGroupPolicies, i),
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/attached-policies' },
});

export const PutGroupPolicy = defineOperation({
  name: 'PutGroupPolicy',
  query: true,
  tag: 'Group policies',
  summary: 'Creates or replaces an inline policy of a group.',
  input: input({ GroupName: group, PolicyName: required(Shapes.policyName), PolicyDocument: required(Shapes.policyDocument) }),
  checks: async (i, c) => [{ action: 'iam:PutGroupPolicy', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.PutGroupPolicy, i),
  rest: { method: 'PUT', path: '/v1/groups/{GroupName}/policies/{PolicyName}', status: 204 },
});

export const GetGroupPolicy = defineOperation({
  name: 'GetGroupPolicy',
  query: true,
  tag: 'Group policies',
  summary: 'An inline policy of a group with its document (URL-encoded in the Query API, as AWS).',
  input: input({ GroupName: group, PolicyName: required(Shapes.policyName) }),
  output: Out.struct({ GroupName: Out.text, PolicyName: Out.text, PolicyDocument: Out.text }),
  checks: async (i, c) => [{ action: 'iam:GetGroupPolicy', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetGroupPolicy, i),
  toXml: (r) => ({ ...r, PolicyDocument: urlEncodeDocument(r.PolicyDocument) }),
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/policies/{PolicyName}' },
});

export const DeleteGroupPolicy = defineOperation({
  name: 'DeleteGroupPolicy',
  query: true,
  tag: 'Group policies',
  summary: 'Deletes an inline policy of a group; in force for the next request.',
  input: input({ GroupName: group, PolicyName: required(Shapes.policyName) }),
  checks: async (i, c) => [{ action: 'iam:DeleteGroupPolicy', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.DeleteGroupPolicy, i),
  rest: { method: 'DELETE', path: '/v1/groups/{GroupName}/policies/{PolicyName}', status: 204 },
});

export const ListGroupPolicies = defineOperation({
  name: 'ListGroupPolicies',
  query: true,
  tag: 'Group policies',
  summary: 'The names of the inline policies of a group.',
  input: input({ GroupName: group, ...PageMembers }),
  output: NamesPage,
  paginated: true,
  checks: async (i, c) => [{ action: 'iam:ListGroupPolicies', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListGroupPolicies, i),
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/policies' },
});

export const PRINCIPAL_POLICY_OPERATIONS = [
  AttachUserPolicy,
  DetachUserPolicy,
  ListAttachedUserPolicies,
  PutUserPolicy,
  GetUserPolicy,
  DeleteUserPolicy,
  ListUserPolicies,
  AttachGroupPolicy,
  DetachGroupPolicy,
  ListAttachedGroupPolicies,
  PutGroupPolicy,
  GetGroupPolicy,
  DeleteGroupPolicy,
  ListGroupPolicies,
];
