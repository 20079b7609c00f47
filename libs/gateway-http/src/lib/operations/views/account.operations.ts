import {
  AuthorizationPatterns,
  DirectoryPatterns,
  IamError,
  IdentityPatterns,
  MAX_PRINCIPALS_PER_REQUEST,
  type AccessKeyMetadata,
  type Group,
  type GroupRef,
  type Policy,
  type PrincipalPolicies,
  type ResolvedUser,
  type User,
} from '@iam/contracts';
import type { XmlStructure } from '@iam/aws-protocol';
import { invalidMarker, Listing } from '@iam/platform';
import { urlEncodeDocument } from '../authorization/documents';
import { defineOperation, input, required, type OperationContext } from '../operation';
import { AttachedPolicyOut, GroupOut, Out, PageMembers, PageOut, PolicyOut, PolicyVersionOut, Shapes, TagOut, UserOut } from '../shapes';
import { allPages, mapLimited, wholeOrUnavailable } from './pages';

const CONCURRENCY = 16;
const ENTITY_TYPES = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];

// ── GetAccountAuthorizationDetails ─────────────────────────────────────────

type Entity = { kind: 'user'; user: User } | { kind: 'group'; group: Group } | { kind: 'policy'; policy: Policy };

interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: string;
}

interface AuthorizationDetails {
  UserDetailList: Array<Record<string, unknown> & { UserPolicyList: InlinePolicy[] }>;
  GroupDetailList: Array<Record<string, unknown> & { GroupPolicyList: InlinePolicy[] }>;
  RoleDetailList: never[];
  Policies: Array<Record<string, unknown> & { PolicyVersionList: Array<{ Document?: string }> }>;
  IsTruncated: boolean;
  Marker?: string;
}

/** A marker names an offset into the account's entities, bound to the filter it was issued for. */
/** Entities by their position in the listing of the filtered entity types (the filter is part of the marker). */
const DETAILS = new Listing<[filter: string, offset: number]>('authorization-details', 2);

function offsetOf(marker: string | undefined, filter: string): number {
  if (marker === undefined) return 0;
  const [issuedFor, offset] = DETAILS.decode(marker);
  if (issuedFor !== filter || !Number.isInteger(offset) || offset < 0) throw invalidMarker();
  return offset;
}

async function entities(c: OperationContext, types: ReadonlySet<EntityType>): Promise<Entity[]> {
  const [users, groups, local, aws] = await Promise.all([
    types.has('User') ? allPages((p) => c.bus.send(IdentityPatterns.ListUsers, p), (r) => r.Users) : [],
    types.has('Group') ? allPages((p) => c.bus.send(DirectoryPatterns.ListGroups, p), (r) => r.Groups) : [],
    types.has('LocalManagedPolicy') ? allPages((p) => c.bus.send(AuthorizationPatterns.ListPolicies, { Scope: 'Local', ...p }), (r) => r.Policies) : [],
    types.has('AWSManagedPolicy')
      ? allPages((p) => c.bus.send(AuthorizationPatterns.ListPolicies, { Scope: 'AWS', OnlyAttached: true, ...p }), (r) => r.Policies)
      : [],
  ]);
  return [
    ...(users as User[]).map((user) => ({ kind: 'user' as const, user })),
    ...(groups as Group[]).map((group) => ({ kind: 'group' as const, group })),
    ...([...local, ...aws] as Policy[]).map((policy) => ({ kind: 'policy' as const, policy })),
  ];
}

/** What a page's users and groups show beyond their listing, read for the whole page at once. */
interface PageDetails {
  users: Map<string, ResolvedUser>;
  groupsOfUsers: Record<string, GroupRef[]>;
  existingGroups: ReadonlySet<string>;
  policies: { Users: Record<string, PrincipalPolicies>; Groups: Record<string, PrincipalPolicies> };
}

const NO_POLICIES: PrincipalPolicies = { AttachedPolicies: [], InlinePolicies: [] };

/** Splits `items` into runs of at most `size` (a page of up to 1,000 entities is one run). */
function runs<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One request per service for the page's users and groups, whatever their number: identity
 * resolves the users (with their tags), directory gives their groups and which of the page's
 * groups still exist, authorization gives every one's attached and inline policies.
 */
async function pageDetails(c: OperationContext, users: readonly User[], groups: readonly Group[]): Promise<PageDetails> {
  const UserIds = users.map((u) => u.UserId);
  const GroupIds = groups.map((g) => g.GroupId);
  const [resolved, groupsOfUsers, members, policies] = await Promise.all([
    UserIds.length > 0 ? c.bus.send(IdentityPatterns.ResolveUsers, { UserIds }).then((r) => r.Users) : [],
    UserIds.length > 0 ? c.bus.send(DirectoryPatterns.GroupsOfUsers, { UserIds }).then((r) => r.Groups) : {},
    GroupIds.length > 0 ? c.bus.send(DirectoryPatterns.MembersOfGroups, { GroupIds }).then((r) => r.Members) : {},
    Promise.all(
      runs([...UserIds.map((id) => ({ user: id })), ...GroupIds.map((id) => ({ group: id }))], MAX_PRINCIPALS_PER_REQUEST)
        .filter((run) => run.length > 0)
        .map((run) =>
          c.bus.send(AuthorizationPatterns.PoliciesOfPrincipals, {
            UserIds: run.flatMap((p) => ('user' in p ? [p.user] : [])),
            GroupIds: run.flatMap((p) => ('group' in p ? [p.group] : [])),
          }),
        ),
    ).then((replies) => ({
      Users: Object.assign({}, ...replies.map((r) => r.Users)) as Record<string, PrincipalPolicies>,
      Groups: Object.assign({}, ...replies.map((r) => r.Groups)) as Record<string, PrincipalPolicies>,
    })),
  ]);
  return { users: new Map(resolved.map((u) => [u.UserId, u])), groupsOfUsers, existingGroups: new Set(Object.keys(members)), policies };
}

function userDetail(listed: User, page: PageDetails): Record<string, unknown> {
  const UserName = listed.UserName;
  const user = page.users.get(listed.UserId);
  // Deleted since it was listed: as a failed read of the user, the view is unavailable (never partial).
  if (!user) throw new IamError('NoSuchEntity', `The user with name ${UserName} cannot be found.`);
  const { Path, UserId, Arn, CreateDate, Tags } = user;
  const policies = page.policies.Users[UserId] ?? NO_POLICIES;
  return {
    Path,
    UserName,
    UserId,
    Arn,
    CreateDate,
    UserPolicyList: policies.InlinePolicies,
    GroupList: (page.groupsOfUsers[UserId] ?? []).map((g) => g.GroupName),
    AttachedManagedPolicies: policies.AttachedPolicies,
    Tags,
  };
}

function groupDetail(group: Group, page: PageDetails): Record<string, unknown> {
  const { GroupName, Path, GroupId, Arn, CreateDate } = group;
  if (!page.existingGroups.has(GroupId)) throw new IamError('NoSuchEntity', `The group with name ${GroupName} cannot be found.`);
  const policies = page.policies.Groups[GroupId] ?? NO_POLICIES;
  return { Path, GroupName, GroupId, Arn, CreateDate, GroupPolicyList: policies.InlinePolicies, AttachedManagedPolicies: policies.AttachedPolicies };
}

async function policyDetail(c: OperationContext, listed: Policy): Promise<Record<string, unknown>> {
  const PolicyArn = listed.Arn;
  const [{ Policy: policy }, versions] = await Promise.all([
    c.bus.send(AuthorizationPatterns.GetPolicy, { PolicyArn }),
    allPages((p) => c.bus.send(AuthorizationPatterns.ListPolicyVersions, { PolicyArn, ...p }), (r) => r.Versions),
  ]);
  const PolicyVersionList = await Promise.all(
    (versions as Array<{ VersionId: string }>).map(async ({ VersionId }) => (await c.bus.send(AuthorizationPatterns.GetPolicyVersion, { PolicyArn, VersionId })).PolicyVersion),
  );
  const { Tags: _tags, ...metadata } = policy;
  return { ...metadata, PolicyVersionList };
}

/** The details of a page of entities, in the page's order within each kind. */
async function details(c: OperationContext, page: readonly Entity[]): Promise<Array<{ kind: Entity['kind']; value: Record<string, unknown> }>> {
  const users = page.flatMap((e) => (e.kind === 'user' ? [e.user] : []));
  const groups = page.flatMap((e) => (e.kind === 'group' ? [e.group] : []));
  const policies = page.flatMap((e) => (e.kind === 'policy' ? [e.policy] : []));
  const [principals, policyDetails] = await Promise.all([
    pageDetails(c, users, groups),
    mapLimited(policies, CONCURRENCY, (policy) => policyDetail(c, policy)),
  ]);
  return [
    ...users.map((user) => ({ kind: 'user' as const, value: userDetail(user, principals) })),
    ...groups.map((group) => ({ kind: 'group' as const, value: groupDetail(group, principals) })),
    ...policyDetails.map((value) => ({ kind: 'policy' as const, value })),
  ];
}

const InlinePolicyOut = Out.list(Out.struct({ PolicyName: Out.text, PolicyDocument: Out.text }));

export const GetAccountAuthorizationDetails = defineOperation({
  name: 'GetAccountAuthorizationDetails',
  query: true,
  tag: 'Account',
  summary:
    "A snapshot of the account's users, groups and managed policies with their relationships: each user's inline policies, groups and attached policies; each group's inline and attached policies; each customer managed policy (and each attached AWS managed policy) with all its versions. Filter by entity type; paginated over all entities. Documents are URL-encoded in the Query API, as AWS does.",
  input: input({ Filter: { type: 'list', member: { type: 'string', enum: ENTITY_TYPES } }, ...PageMembers }),
  output: Out.struct({
    UserDetailList: Out.list(
      Out.struct({
        ...UserOut.members,
        UserPolicyList: InlinePolicyOut,
        GroupList: Out.list(Out.text),
        AttachedManagedPolicies: Out.list(AttachedPolicyOut),
        Tags: Out.list(TagOut),
      }),
    ),
    GroupDetailList: Out.list(Out.struct({ ...GroupOut.members, GroupPolicyList: InlinePolicyOut, AttachedManagedPolicies: Out.list(AttachedPolicyOut) })),
    RoleDetailList: Out.list(Out.struct({})),
    Policies: Out.list(Out.struct({ ...PolicyOut.members, PolicyVersionList: Out.list(PolicyVersionOut) })),
    ...PageOut,
  }),
  paginated: true,
  checks: () => [{ action: 'iam:GetAccountAuthorizationDetails', resource: '*' }],
  call: async (i, c): Promise<AuthorizationDetails> => {
    const types = new Set<EntityType>(i.Filter && i.Filter.length > 0 ? i.Filter : ENTITY_TYPES);
    const filter = [...types].sort().join(',');
    const offset = offsetOf(i.Marker, filter);
    return wholeOrUnavailable('account authorization details', async () => {
      const all = await entities(c, types);
      const end = offset + (i.MaxItems ?? 100);
      const shown = await details(c, all.slice(offset, end));
      const of = <T>(kind: Entity['kind']) => shown.filter((d) => d.kind === kind).map((d) => d.value as T);
      const truncated = end < all.length;
      return {
        UserDetailList: of('user'),
        GroupDetailList: of('group'),
        RoleDetailList: [],
        Policies: of('policy'),
        IsTruncated: truncated,
        ...(truncated ? { Marker: DETAILS.encode([filter, end]) } : {}),
      };
    });
  },
  toXml: (r) => ({
    ...r,
    UserDetailList: r.UserDetailList.map((u) => ({ ...u, UserPolicyList: u.UserPolicyList.map(encodeInline) })),
    GroupDetailList: r.GroupDetailList.map((g) => ({ ...g, GroupPolicyList: g.GroupPolicyList.map(encodeInline) })),
    Policies: r.Policies.map((p) => ({ ...p, PolicyVersionList: p.PolicyVersionList.map((v) => ({ ...v, Document: urlEncodeDocument(v.Document) })) })),
  }) as unknown as XmlStructure,
  rest: { method: 'GET', path: '/v1/account/authorization-details', listParams: { filter: 'Filter' } },
});

function encodeInline(policy: InlinePolicy): InlinePolicy {
  return { ...policy, PolicyDocument: urlEncodeDocument(policy.PolicyDocument) };
}

// ── Credential report ──────────────────────────────────────────────────────

/** AWS's credential report columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** `2026-01-02T03:04:05+00:00`, as the credential report writes times. */
function reportTime(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function keyColumns(c: OperationContext, keys: readonly AccessKeyMetadata[]): Promise<string[]> {
  const columns: string[] = [];
  for (let n = 0; n < 2; n++) {
    const key = keys[n];
    if (!key) {
      columns.push('false', 'N/A', 'N/A', 'N/A', 'N/A');
      continue;
    }
    const { AccessKeyLastUsed: used } = await c.bus.send(IdentityPatterns.GetAccessKeyLastUsed, { AccessKeyId: key.AccessKeyId });
    columns.push(
      String(key.Status === 'Active'),
      reportTime(key.CreateDate) ?? 'N/A',
      reportTime(used.LastUsedDate) ?? 'N/A',
      used.LastUsedDate ? used.Region : 'N/A',
      used.LastUsedDate ? used.ServiceName : 'N/A',
    );
  }
  return columns;
}

/** The credential report as CSV: the root row, then one row per user by name. */
export async function credentialReport(c: OperationContext): Promise<string> {
  const [root, users, policy] = await Promise.all([
    c.bus.send(IdentityPatterns.GetRootUser, {}),
    allPages((p) => c.bus.send(IdentityPatterns.ListUsers, p), (r) => r.Users) as Promise<User[]>,
    c.bus.send(IdentityPatterns.GetAccountPasswordPolicy, {}).then(
      (r) => r.PasswordPolicy,
      (error: unknown) => {
        if (error instanceof IamError && error.code === 'NoSuchEntity') return undefined;
        throw error;
      },
    ),
  ]);
  const rootKeys = await c.bus.send(IdentityPatterns.ListAccessKeys, { Caller: { Type: 'root' } });
  const rows: string[][] = [
    [
      '<root_account>',
      root.User.Arn,
      reportTime(root.User.CreateDate) ?? 'N/A',
      'not_supported',
      reportTime(root.User.PasswordLastUsed) ?? 'no_information',
      'not_supported',
      'not_supported',
      'false',
      ...(await keyColumns(c, rootKeys.AccessKeyMetadata)),
      'false',
      'N/A',
      'false',
      'N/A',
    ],
  ];
  const userRows = await mapLimited(users, CONCURRENCY, async (user) => {
    const UserName = user.UserName;
    const [full, profile, keys] = await Promise.all([
      c.bus.send(IdentityPatterns.GetUser, { UserName }),
      c.bus.send(IdentityPatterns.GetLoginProfile, { UserName }).then(
        (r) => r.LoginProfile,
        (error: unknown) => {
          if (error instanceof IamError && error.code === 'NoSuchEntity') return undefined;
          throw error;
        },
      ),
      allPages((p) => c.bus.send(IdentityPatterns.ListAccessKeys, { UserName, ...p }), (r) => r.AccessKeyMetadata) as Promise<AccessKeyMetadata[]>,
    ]);
    const u = full.User as User;
    const changed = profile ? reportTime(profile.CreateDate) : undefined;
    const nextRotation =
      profile && policy?.MaxPasswordAge
        ? reportTime(new Date(new Date(profile.CreateDate).getTime() + policy.MaxPasswordAge * 86_400_000).toISOString())
        : undefined;
    return [
      u.UserName,
      u.Arn,
      reportTime(u.CreateDate) ?? 'N/A',
      String(profile !== undefined),
      profile ? (reportTime(u.PasswordLastUsed) ?? 'no_information') : 'N/A',
      changed ?? 'N/A',
      nextRotation ?? 'N/A',
      'false',
      ...(await keyColumns(c, keys)),
      'false',
      'N/A',
      'false',
      'N/A',
    ];
  });
  rows.push(...userRows);
  return [CREDENTIAL_REPORT_COLUMNS.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\n');
}

export const GenerateCredentialReport = defineOperation({
  name: 'GenerateCredentialReport',
  query: true,
  tag: 'Account',
  summary:
    'Generates a credential report: STARTED when one is generated now, COMPLETE while the last one is younger than four hours (as AWS). GetCredentialReport then builds its rows from the current state.',
  input: input({}),
  output: Out.struct({ State: Out.text, Description: Out.text }),
  checks: () => [{ action: 'iam:GenerateCredentialReport', resource: '*' }],
  call: async (_i, c) => {
    const { State } = await c.bus.send(IdentityPatterns.GenerateCredentialReport, {});
    return State === 'STARTED'
      ? { State, Description: 'No report exists. Starting a new report generation task' }
      : { State };
  },
  rest: { method: 'POST', path: '/v1/account/credential-report', status: 200 },
});

export const GetCredentialReport = defineOperation({
  name: 'GetCredentialReport',
  query: true,
  tag: 'Account',
  summary:
    "The credential report: AWS's CSV columns (the root row first, then each user: password, access keys and their last use), base64-encoded in Content, built from the current state. ReportNotPresent (410) before any GenerateCredentialReport, ReportExpired (410) four hours after the last.",
  input: input({}),
  output: Out.struct({ Content: Out.text, ReportFormat: Out.text, GeneratedTime: Out.timestamp }),
  checks: () => [{ action: 'iam:GetCredentialReport', resource: '*' }],
  call: async (_i, c) => {
    const { GeneratedTime } = await c.bus.send(IdentityPatterns.GetCredentialReportState, {});
    return wholeOrUnavailable('credential report', async () => ({
      Content: Buffer.from(await credentialReport(c), 'utf8').toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: GeneratedTime.replace(/\.\d{3}Z$/, 'Z'),
    }));
  },
  rest: { method: 'GET', path: '/v1/account/credential-report' },
});

// ── Account alias ──────────────────────────────────────────────────────────

const AccountAliasShape = Shapes.accountAlias;

export const CreateAccountAlias = defineOperation({
  name: 'CreateAccountAlias',
  query: true,
  tag: 'Account',
  summary: "Sets the account's alias (3 to 63 lower-case letters, digits and single hyphens). An account has one alias: a new one replaces it.",
  input: input({ AccountAlias: required(AccountAliasShape) }),
  checks: () => [{ action: 'iam:CreateAccountAlias', resource: '*' }],
  call: (i, c) => c.bus.send(IdentityPatterns.CreateAccountAlias, { AccountAlias: i.AccountAlias }),
  rest: { method: 'PUT', path: '/v1/account/alias', status: 204 },
});

export const DeleteAccountAlias = defineOperation({
  name: 'DeleteAccountAlias',
  query: true,
  tag: 'Account',
  summary: "Removes the account's alias; NoSuchEntity when the account's alias is another.",
  input: input({ AccountAlias: required(AccountAliasShape) }),
  checks: () => [{ action: 'iam:DeleteAccountAlias', resource: '*' }],
  call: (i, c) => c.bus.send(IdentityPatterns.DeleteAccountAlias, { AccountAlias: i.AccountAlias }),
  rest: { method: 'DELETE', path: '/v1/account/alias/{AccountAlias}', status: 204 },
});

export const ListAccountAliases = defineOperation({
  name: 'ListAccountAliases',
  query: true,
  tag: 'Account',
  summary: "The account's alias, as a list of at most one.",
  input: input({ ...PageMembers }),
  output: Out.struct({ AccountAliases: Out.list(Out.text), ...PageOut }),
  checks: () => [{ action: 'iam:ListAccountAliases', resource: '*' }],
  call: async (_i, c) => ({ ...(await c.bus.send(IdentityPatterns.ListAccountAliases, {})), IsTruncated: false }),
  rest: { method: 'GET', path: '/v1/account/aliases' },
});

// ── GetAccountSummary ──────────────────────────────────────────────────────

/**
 * Quotas AWS states for what this server does not have or does not limit (roles, certificates,
 * the users and policies per account); every quota the services enforce comes from the service.
 */
const STATED_QUOTAS = {
  UsersQuota: 5000,
  PoliciesQuota: 1500,
  SigningCertificatesPerUserQuota: 2,
  ServerCertificatesQuota: 20,
  RolesQuota: 1000,
  RolePolicySizeQuota: 10240,
  AttachedPoliciesPerRoleQuota: 10,
  InstanceProfilesQuota: 1000,
  AssumeRolePolicySizeQuota: 2048,
  GlobalEndpointTokenVersion: 1,
} as const;

export const GetAccountSummary = defineOperation({
  name: 'GetAccountSummary',
  query: true,
  tag: 'Account',
  summary:
    "Counts of the account's entities and its quotas, in AWS's SummaryMap keys (a map in XML, an object in JSON). Roles, MFA devices, certificates and providers are always 0.",
  input: input({}),
  output: Out.struct({ SummaryMap: { type: 'map', key: { type: 'string' }, value: Out.int } }),
  checks: () => [{ action: 'iam:GetAccountSummary', resource: '*' }],
  call: (_i, c) =>
    wholeOrUnavailable('account summary', async () => {
      // Each service counts what it keeps (one count(*) each) and states the quotas it enforces.
      const [identity, directory, authorization] = await Promise.all([
        c.bus.send(IdentityPatterns.AccountSummary, {}),
        c.bus.send(DirectoryPatterns.AccountSummary, {}),
        c.bus.send(AuthorizationPatterns.AccountSummary, {}),
      ]);
      const SummaryMap: Record<string, number> = {
        ...identity,
        ...directory,
        ...authorization,
        AccountMFAEnabled: 0,
        AccountSigningCertificatesPresent: 0,
        MFADevices: 0,
        MFADevicesInUse: 0,
        Roles: 0,
        InstanceProfiles: 0,
        Providers: 0,
        ServerCertificates: 0,
        ...STATED_QUOTAS,
      };
      return { SummaryMap };
    }),
  toXml: (r) => ({ SummaryMap: new Map(Object.entries(r.SummaryMap)) }),
  rest: { method: 'GET', path: '/v1/account/summary' },
});

export const ACCOUNT_OPERATIONS = [
  GetAccountAuthorizationDetails,
  GenerateCredentialReport,
  GetCredentialReport,
  GetAccountSummary,
  CreateAccountAlias,
  DeleteAccountAlias,
  ListAccountAliases,
];
