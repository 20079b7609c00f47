import { Arns, AuthorizationPatterns } from '@iam/contracts';
import { requestTagContext, tagKeysContext } from '../../application/request-context';
import { defineOperation, input, required } from '../operation';
import { Out, PageMembers, PageOut, PolicyOut, PolicyVersionOut, Shapes, TagKeyList, TagList, TagOut } from '../shapes';
import { urlEncodeDocument } from './documents';

const TAG = 'Policies';

export const CreatePolicy = defineOperation({
  name: 'CreatePolicy',
  query: true,
  tag: TAG,
  summary: 'Creates a customer managed policy; its document becomes version v1, the default.',
  input: input({
    PolicyName: required(Shapes.policyName),
    Path: Shapes.policyPath,
    Description: Shapes.policyDescription,
    PolicyDocument: required(Shapes.policyDocument),
    Tags: TagList,
  }),
  output: Out.struct({ Policy: PolicyOut }),
  checks: (i, c) => [
    { action: 'iam:CreatePolicy', resource: Arns.policy(c.accountId, i.Path ?? '/', i.PolicyName), context: requestTagContext(i.Tags) },
  ],
  call: (i, c) => c.bus.send(AuthorizationPatterns.CreatePolicy, i),
  rest: { method: 'POST', path: '/v1/policies', status: 201 },
});

export const GetPolicy = defineOperation({
  name: 'GetPolicy',
  query: true,
  tag: TAG,
  summary: 'A managed policy: metadata, default version, attachment count, tags.',
  input: input({ PolicyArn: required(Shapes.arn) }),
  output: Out.struct({ Policy: PolicyOut }),
  checks: (i) => [{ action: 'iam:GetPolicy', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetPolicy, i),
  rest: { method: 'GET', path: '/v1/policies/{PolicyArn}' },
});

export const ListPolicies = defineOperation({
  name: 'ListPolicies',
  query: true,
  tag: TAG,
  summary: 'Lists managed policies: Scope All, AWS or Local; OnlyAttached; PathPrefix.',
  input: input({
    Scope: { type: 'string', enum: ['All', 'AWS', 'Local'] },
    OnlyAttached: { type: 'boolean' },
    PathPrefix: Shapes.policyPathPrefix,
    PolicyUsageFilter: { type: 'string', enum: ['PermissionsPolicy', 'PermissionsBoundary'] },
    ...PageMembers,
  }),
  output: Out.struct({ Policies: Out.list(PolicyOut), ...PageOut }),
  paginated: true,
  checks: () => [{ action: 'iam:ListPolicies', resource: '*' }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListPolicies, i),
  rest: { method: 'GET', path: '/v1/policies' },
});

export const DeletePolicy = defineOperation({
  name: 'DeletePolicy',
  query: true,
  tag: TAG,
  summary: 'Deletes a customer managed policy that is attached to nothing and has no other versions.',
  input: input({ PolicyArn: required(Shapes.arn) }),
  checks: (i) => [{ action: 'iam:DeletePolicy', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.DeletePolicy, i),
  rest: { method: 'DELETE', path: '/v1/policies/{PolicyArn}', status: 204 },
});

export const TagPolicy = defineOperation({
  name: 'TagPolicy',
  query: true,
  tag: TAG,
  summary: 'Adds or replaces tags of a managed policy.',
  input: input({ PolicyArn: required(Shapes.arn), Tags: required(TagList) }),
  checks: (i) => [{ action: 'iam:TagPolicy', resource: i.PolicyArn, context: requestTagContext(i.Tags) }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.TagPolicy, i),
  rest: { method: 'POST', path: '/v1/policies/{PolicyArn}/tags', status: 204 },
});

export const UntagPolicy = defineOperation({
  name: 'UntagPolicy',
  query: true,
  tag: TAG,
  summary: 'Removes tags of a managed policy by key (`?keys=a,b`).',
  input: input({ PolicyArn: required(Shapes.arn), TagKeys: required(TagKeyList) }),
  checks: (i) => [{ action: 'iam:UntagPolicy', resource: i.PolicyArn, context: tagKeysContext(i.TagKeys) }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.UntagPolicy, i),
  rest: { method: 'DELETE', path: '/v1/policies/{PolicyArn}/tags', status: 204, listParams: { keys: 'TagKeys' } },
});

export const ListPolicyTags = defineOperation({
  name: 'ListPolicyTags',
  query: true,
  tag: TAG,
  summary: "Lists a managed policy's tags.",
  input: input({ PolicyArn: required(Shapes.arn), ...PageMembers }),
  output: Out.struct({ Tags: Out.list(TagOut), ...PageOut }),
  paginated: true,
  checks: (i) => [{ action: 'iam:ListPolicyTags', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListPolicyTags, i),
  rest: { method: 'GET', path: '/v1/policies/{PolicyArn}/tags' },
});

export const CreatePolicyVersion = defineOperation({
  name: 'CreatePolicyVersion',
  query: true,
  tag: TAG,
  summary: 'Adds a version to a managed policy (at most five), the default one with SetAsDefault.',
  input: input({ PolicyArn: required(Shapes.arn), PolicyDocument: required(Shapes.policyDocument), SetAsDefault: { type: 'boolean' } }),
  output: Out.struct({ PolicyVersion: PolicyVersionOut }),
  checks: (i) => [{ action: 'iam:CreatePolicyVersion', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.CreatePolicyVersion, i),
  toXml: (r) => ({ PolicyVersion: { ...r.PolicyVersion, Document: urlEncodeDocument(r.PolicyVersion.Document) } }),
  rest: { method: 'POST', path: '/v1/policies/{PolicyArn}/versions', status: 201 },
});

export const GetPolicyVersion = defineOperation({
  name: 'GetPolicyVersion',
  query: true,
  tag: TAG,
  summary: 'A version of a managed policy with its document (URL-encoded in the Query API, as AWS; raw JSON text in REST).',
  input: input({ PolicyArn: required(Shapes.arn), VersionId: required(Shapes.policyVersionId) }),
  output: Out.struct({ PolicyVersion: PolicyVersionOut }),
  checks: (i) => [{ action: 'iam:GetPolicyVersion', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.GetPolicyVersion, i),
  toXml: (r) => ({ PolicyVersion: { ...r.PolicyVersion, Document: urlEncodeDocument(r.PolicyVersion.Document) } }),
  rest: { method: 'GET', path: '/v1/policies/{PolicyArn}/versions/{VersionId}' },
});

export const ListPolicyVersions = defineOperation({
  name: 'ListPolicyVersions',
  query: true,
  tag: TAG,
  summary: 'Lists the versions of a managed policy, newest first, without documents.',
  input: input({ PolicyArn: required(Shapes.arn), ...PageMembers }),
  output: Out.struct({ Versions: Out.list(PolicyVersionOut), ...PageOut }),
  paginated: true,
  checks: (i) => [{ action: 'iam:ListPolicyVersions', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListPolicyVersions, i),
  rest: { method: 'GET', path: '/v1/policies/{PolicyArn}/versions' },
});

export const SetDefaultPolicyVersion = defineOperation({
  name: 'SetDefaultPolicyVersion',
  query: true,
  tag: TAG,
  summary: 'Makes a version the one in force, for every request that starts after the reply.',
  input: input({ PolicyArn: required(Shapes.arn), VersionId: required(Shapes.policyVersionId) }),
  checks: (i) => [{ action: 'iam:SetDefaultPolicyVersion', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.SetDefaultPolicyVersion, i),
  rest: { method: 'PUT', path: '/v1/policies/{PolicyArn}/default-version', status: 204 },
});

export const DeletePolicyVersion = defineOperation({
  name: 'DeletePolicyVersion',
  query: true,
  tag: TAG,
  summary: 'Deletes a version that is not the default one.',
  input: input({ PolicyArn: required(Shapes.arn), VersionId: required(Shapes.policyVersionId) }),
  checks: (i) => [{ action: 'iam:DeletePolicyVersion', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.DeletePolicyVersion, i),
  rest: { method: 'DELETE', path: '/v1/policies/{PolicyArn}/versions/{VersionId}', status: 204 },
});

const EntityFilter = { type: 'string', enum: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] } as const;

export const ListEntitiesForPolicy = defineOperation({
  name: 'ListEntitiesForPolicy',
  query: true,
  tag: TAG,
  summary: 'The users and groups a managed policy is attached to.',
  input: input({
    PolicyArn: required(Shapes.arn),
    EntityFilter,
    PathPrefix: Shapes.path,
    PolicyUsageFilter: { type: 'string', enum: ['PermissionsPolicy', 'PermissionsBoundary'] },
    ...PageMembers,
  }),
  output: Out.struct({
    PolicyGroups: Out.list(Out.struct({ GroupName: Out.text, GroupId: Out.text })),
    PolicyUsers: Out.list(Out.struct({ UserName: Out.text, UserId: Out.text })),
    PolicyRoles: Out.list(Out.struct({ RoleName: Out.text, RoleId: Out.text })),
    ...PageOut,
  }),
  paginated: true,
  checks: (i) => [{ action: 'iam:ListEntitiesForPolicy', resource: i.PolicyArn }],
  call: (i, c) => c.bus.send(AuthorizationPatterns.ListEntitiesForPolicy, i),
  rest: { method: 'GET', path: '/v1/policies/{PolicyArn}/entities' },
});

export const POLICY_OPERATIONS = [
  CreatePolicy,
  ListPolicies,
  GetPolicy,
  DeletePolicy,
  TagPolicy,
  UntagPolicy,
  ListPolicyTags,
  CreatePolicyVersion,
  ListPolicyVersions,
  GetPolicyVersion,
  SetDefaultPolicyVersion,
  DeletePolicyVersion,
  ListEntitiesForPolicy,
];
