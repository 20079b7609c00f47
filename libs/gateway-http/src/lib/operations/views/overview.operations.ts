import { AuthorizationPatterns, DirectoryPatterns, IamError, IdentityPatterns, type PermissionSource } from '@iam/contracts';
import { type Check, defineOperation, input, required } from '../operation';
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

/** What a view left out because the caller may not read it: the part, and the action that was denied. */
export interface OmittedPart {
  Part: string;
  Action: string;
  /** The resource of the denied check, when it names nothing the caller could not see anyway. */
  Resource?: string;
  /** How many items of the part were left out, for parts made of several items. */
  Count?: number;
}

const OmittedOut = Out.list(Out.struct({ Part: Out.text, Action: Out.text, Resource: Out.text, Count: Out.int }));

/** The parts of the user overview besides the user itself, and the action each needs on the user. */
const USER_PARTS = [
  ['Groups', 'iam:ListGroupsForUser'],
  ['AccessKeys', 'iam:ListAccessKeys'],
  ['LoginProfile', 'iam:GetLoginProfile'],
  ['AttachedPolicies', 'iam:ListAttachedUserPolicies'],
  ['InlinePolicyNames', 'iam:ListUserPolicies'],
  ['EffectivePermissions', 'iam:SimulatePrincipalPolicy'],
] as const;
type UserPart = (typeof USER_PARTS)[number][0];

/** The check that lets the caller read a permission source's statements (the policy document). */
function sourceCheck(source: PermissionSource, userArn: string, groupArns: ReadonlyMap<string, string>): Check {
  if (source.PolicyArn !== undefined) return { action: 'iam:GetPolicyVersion', resource: source.PolicyArn };
  if (source.Via === 'group') return { action: 'iam:GetGroupPolicy', resource: groupArns.get(source.GroupName ?? '') ?? '*' };
  return { action: 'iam:GetUserPolicy', resource: userArn };
}

export const GetUserOverview = defineOperation({
  name: 'GetUserOverview',
  query: false,
  tag: 'Views',
  summary:
    "A user in one reply: the user with its tags, its groups, access key metadata, login profile state, attached and inline policies, and its effective permissions by source (its own policies and each group's, with their statements). Needs GetUser on the user. Every other part is shown only when the caller may read it: ListGroupsForUser, ListAccessKeys, GetLoginProfile, ListAttachedUserPolicies, ListUserPolicies and SimulatePrincipalPolicy on the user; each permission source also needs the action that reads its document (GetUserPolicy on the user, GetGroupPolicy on the group, GetPolicyVersion on the managed policy) and, for a group's, ListGroupsForUser. A part the caller may not read is left out and named in `Omitted` with the denied action. The decisions are asked for in one batch per step; the parts are read in parallel; a part that fails makes the reply 503, never a partial view.",
  input: input({ UserName: required(Shapes.existingUserName) }),
  output: Out.struct({
    User: UserOut,
    Groups: Out.list(GroupOut),
    AccessKeys: Out.list(AccessKeyMetadataOut),
    LoginProfile: Out.struct({ Enabled: Out.bool, CreateDate: Out.timestamp, PasswordResetRequired: Out.bool }),
    AttachedPolicies: Out.list(AttachedPolicyOut),
    InlinePolicyNames: Out.list(Out.text),
    EffectivePermissions: Out.list(PermissionSourceOut),
    Omitted: OmittedOut,
  }),
  checks: async (i, c) => [{ action: 'iam:GetUser', resource: (await userTarget(c, i.UserName)).arn }],
  call: async (i, c) => {
    const UserName = i.UserName;
    const { arn } = await userTarget(c, UserName);
    const decisions = await c.decide(USER_PARTS.map(([, action]) => ({ action, resource: arn })));
    const allowed = new Set<UserPart>(USER_PARTS.filter((_, n) => decisions[n].decision === 'allowed').map(([part]) => part));
    const Omitted: OmittedPart[] = USER_PARTS.filter(([part]) => !allowed.has(part)).map(([Part, Action]) => ({ Part, Action, Resource: arn }));
    const when = <T>(part: UserPart, read: () => Promise<T>): Promise<T | undefined> => (allowed.has(part) ? read() : Promise.resolve(undefined));
    const parts = await allParts(
      'user overview',
      {
        user: c.bus.send(IdentityPatterns.GetUser, { UserName }),
        groups: when('Groups', () => allPages((p) => c.bus.send(DirectoryPatterns.ListGroupsForUser, { UserName, ...p }), (r) => r.Groups)),
        keys: when('AccessKeys', () => allPages((p) => c.bus.send(IdentityPatterns.ListAccessKeys, { UserName, ...p }), (r) => r.AccessKeyMetadata)),
        loginProfile: when('LoginProfile', () =>
          c.bus.send(IdentityPatterns.GetLoginProfile, { UserName }).then(
            ({ LoginProfile }) => ({ Enabled: true, ...LoginProfile }),
            (error: unknown) => {
              if (error instanceof IamError && error.code === 'NoSuchEntity') return { Enabled: false };
              throw error;
            },
          ),
        ),
        attached: when('AttachedPolicies', () =>
          allPages((p) => c.bus.send(AuthorizationPatterns.ListAttachedUserPolicies, { UserName, ...p }), (r) => r.AttachedPolicies),
        ),
        inline: when('InlinePolicyNames', () => allPages((p) => c.bus.send(AuthorizationPatterns.ListUserPolicies, { UserName, ...p }), (r) => r.PolicyNames)),
        permissions: when('EffectivePermissions', async () => {
          const { Sources, Groups } = await c.bus.send(AuthorizationPatterns.UserPermissions, { UserName });
          const groupArns = new Map<string, string>();
          if (allowed.has('Groups')) {
            await Promise.all(Groups.map(async (g) => groupArns.set(g.GroupName, (await groupTarget(c, g.GroupName)).arn)));
          }
          // A group's source tells the membership: shown only with ListGroupsForUser.
          const visible = Sources.filter((source) => source.Via !== 'group' || allowed.has('Groups'));
          const hiddenGroupSources = Sources.length - visible.length;
          const checks = visible.map((source) => sourceCheck(source, arn, groupArns));
          const readable = checks.length > 0 ? await c.decide(checks) : [];
          const denied = new Map<string, number>();
          if (hiddenGroupSources > 0) denied.set('iam:ListGroupsForUser', hiddenGroupSources);
          const shown = visible.filter((_, n) => {
            if (readable[n].decision === 'allowed') return true;
            denied.set(checks[n].action, (denied.get(checks[n].action) ?? 0) + 1);
            return false;
          });
          return { shown, denied };
        }),
      },
      'user',
    );
    for (const [Action, Count] of parts.permissions?.denied ?? []) Omitted.push({ Part: 'EffectivePermissions', Action, Count });
    return {
      User: parts.user.User,
      ...(parts.groups !== undefined ? { Groups: parts.groups } : {}),
      ...(parts.keys !== undefined ? { AccessKeys: parts.keys } : {}),
      ...(parts.loginProfile !== undefined ? { LoginProfile: parts.loginProfile } : {}),
      ...(parts.attached !== undefined ? { AttachedPolicies: parts.attached } : {}),
      ...(parts.inline !== undefined ? { InlinePolicyNames: parts.inline } : {}),
      ...(parts.permissions !== undefined ? { EffectivePermissions: parts.permissions.shown } : {}),
      Omitted,
    };
  },
  rest: { method: 'GET', path: '/v1/users/{UserName}/overview' },
});

export const GetGroupOverview = defineOperation({
  name: 'GetGroupOverview',
  query: false,
  tag: 'Views',
  summary:
    'A group in one reply: the group, all its members, its attached and inline policies. Needs GetGroup on the group; the attached and inline policies are shown only with ListAttachedGroupPolicies and ListGroupPolicies on it, else left out and named in `Omitted` with the denied action. Read in parallel; a part that fails makes the reply 503.',
  input: input({ GroupName: required(Shapes.groupName) }),
  output: Out.struct({
    Group: GroupOut,
    Users: Out.list(UserOut),
    AttachedPolicies: Out.list(AttachedPolicyOut),
    InlinePolicyNames: Out.list(Out.text),
    Omitted: OmittedOut,
  }),
  checks: async (i, c) => [{ action: 'iam:GetGroup', resource: (await groupTarget(c, i.GroupName)).arn }],
  call: async (i, c) => {
    const GroupName = i.GroupName;
    const { arn } = await groupTarget(c, GroupName);
    const optional = [
      ['AttachedPolicies', 'iam:ListAttachedGroupPolicies'],
      ['InlinePolicyNames', 'iam:ListGroupPolicies'],
    ] as const;
    const decisions = await c.decide(optional.map(([, action]) => ({ action, resource: arn })));
    const allowed = new Set(optional.filter((_, n) => decisions[n].decision === 'allowed').map(([part]) => part));
    const Omitted: OmittedPart[] = optional.filter(([part]) => !allowed.has(part)).map(([Part, Action]) => ({ Part, Action, Resource: arn }));
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
        attached: allowed.has('AttachedPolicies')
          ? allPages((p) => c.bus.send(AuthorizationPatterns.ListAttachedGroupPolicies, { GroupName, ...p }), (r) => r.AttachedPolicies)
          : Promise.resolve(undefined),
        inline: allowed.has('InlinePolicyNames')
          ? allPages((p) => c.bus.send(AuthorizationPatterns.ListGroupPolicies, { GroupName, ...p }), (r) => r.PolicyNames)
          : Promise.resolve(undefined),
      },
      'members',
    );
    return {
      Group: group,
      Users: parts.members,
      ...(parts.attached !== undefined ? { AttachedPolicies: parts.attached } : {}),
      ...(parts.inline !== undefined ? { InlinePolicyNames: parts.inline } : {}),
      Omitted,
    };
  },
  rest: { method: 'GET', path: '/v1/groups/{GroupName}/overview' },
});

export const VIEW_OPERATIONS = [GetUserOverview, GetGroupOverview];
