import { AuthorizationPatterns, DirectoryPatterns, IamError, IdentityPatterns } from '@iam/contracts';
import { defineOperation, input, required } from '../operation';
import { AccessKeyMetadataOut, AttachedPolicyOut, GroupOut, Out, Shapes, UserOut } from '../shapes';
import { groupTarget, userTarget } from '../targets';
import { allPages, allParts } from './pages';

const StatementsOut = Out.list(Out.struct({ StatementIndex: Out.int, Sid: Out.text, Effect: Out.text, Statement: Out.text }));
const PermissionSourceOut = Out.struct({
  Via: Out.text,
  GroupName: Out.text,
  PolicyType: Out.text,
  PolicyId: Out.text,
  PolicyName: Out.text,
  PolicyArn: Out.text,
  VersionId: Out.text,
  Statements: StatementsOut,
});

export const GetUserOverview = defineOperation({
  name: 'GetUserOverview',
  query: false,
  tag: 'Views',
  summary:
    'A user in one reply: the user with its tags, its groups, access key metadata, login profile state, attached and inline policies, and its effective permissions by source (its own policies and each group\'s). The parts are read in parallel; a part that fails makes the reply 503, never a partial view. Needs GetUser, ListGroupsForUser, ListAccessKeys, GetLoginProfile, ListAttachedUserPolicies, ListUserPolicies and SimulatePrincipalPolicy on the user.',
  input: input({ UserName: required(Shapes.existingUserName) }),
  output: Out.struct({
    User: UserOut,
    Groups: Out.list(GroupOut),
    AccessKeys: Out.list(AccessKeyMetadataOut),
    LoginProfile: Out.struct({ Enabled: Out.bool, CreateDate: Out.timestamp, PasswordResetRequired: Out.bool }),
    AttachedPolicies: Out.list(AttachedPolicyOut),
    InlinePolicyNames: Out.list(Out.text),
    EffectivePermissions: Out.list(PermissionSourceOut),
  }),
  checks: async (i, c) => {
    const { arn } = await userTarget(c, i.UserName);
    return [
      'iam:GetUser',
      'iam:ListGroupsForUser',
      'iam:ListAccessKeys',
      'iam:GetLoginProfile',
      'iam:ListAttachedUserPolicies',
      'iam:ListUserPolicies',
      'iam:SimulatePrincipalPolicy',
    ].map((action) => ({ action, resource: arn }));
  },
  call: async (i, c) => {
    const UserName = i.UserName;
    const parts = await allParts(
      'user overview',
      {
        user: c.bus.send(IdentityPatterns.GetUser, { UserName }),
        groups: allPages((p) => c.bus.send(DirectoryPatterns.ListGroupsForUser, { UserName, ...p }), (r) => r.Groups),
        keys: allPages((p) => c.bus.send(IdentityPatterns.ListAccessKeys, { UserName, ...p }), (r) => r.AccessKeyMetadata),
        loginProfile: c.bus.send(IdentityPatterns.GetLoginProfile, { UserName }).then(
          ({ LoginProfile }) => ({ Enabled: true, ...LoginProfile }),
          (error: unknown) => {
            if (error instanceof IamError && error.code === 'NoSuchEntity') return { Enabled: false };
            throw error;
          },
        ),
        attached: allPages((p) => c.bus.send(AuthorizationPatterns.ListAttachedUserPolicies, { UserName, ...p }), (r) => r.AttachedPolicies),
        inline: allPages((p) => c.bus.send(AuthorizationPatterns.ListUserPolicies, { UserName, ...p }), (r) => r.PolicyNames),
        permissions: c.bus.send(AuthorizationPatterns.UserPermissions, { UserName }),
      },
      'user',
    );
    return {
      User: parts.user.User,
      Groups: parts.groups,
      AccessKeys: parts.keys,
      LoginProfile: parts.loginProfile,
      AttachedPolicies: parts.attached,
      InlinePolicyNames: parts.inline,
      EffectivePermissions: parts.permissions.Sources,
    };
  },
  rest: { method: 'GET', path: '/v1/users/{UserName}/overview' },
});

export const GetGroupOverview = defineOperation({
  name: 'GetGroupOverview',
  query: false,
  tag: 'Views',
  summary:
    'A group in one reply: the group, all its members, its attached and inline policies. Read in parallel; a part that fails makes the reply 503. Needs GetGroup, ListAttachedGroupPolicies and ListGroupPolicies on the group.',
  input: input({ GroupName: required(Shapes.groupName) }),
  output: Out.struct({
    Group: GroupOut,
    Users: Out.list(UserOut),
    AttachedPolicies: Out.list(AttachedPolicyOut),
    InlinePolicyNames: Out.list(Out.text),
  }),
  checks: async (i, c) => {
    const { arn } = await groupTarget(c, i.GroupName);
    return ['iam:GetGroup', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies'].map((action) => ({ action, resource: arn }));
  },
  call: async (i, c) => {
    const GroupName = i.GroupName;
    let group: unknown;
    const parts = await allParts(
      'group overview',
      {
        members: allPages(
          async (p) => {
            const page = await c.bus.send(DirectoryPatterns.GetGroup, { GroupName, ...p });
            group = page.Group;
            return page;
          },
          (r) => r.Users,
        ),
        attached: allPages((p) => c.bus.send(AuthorizationPatterns.ListAttachedGroupPolicies, { GroupName, ...p }), (r) => r.AttachedPolicies),
        inline: allPages((p) => c.bus.send(AuthorizationPatterns.ListGroupPolicies, { GroupName, ...p }), (r) => r.PolicyNames),
      },
      'members',
    );
    return { Group: group, Users: parts.members, AttachedPolicies: parts.attached, InlinePolicyNames: parts.inline };
  },
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/overview' },
});

export const VIEW_OPERATIONS = [GetUserOverview, GetGroupOverview];
