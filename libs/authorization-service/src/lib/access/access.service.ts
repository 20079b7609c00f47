import { Injectable } from '@nestjs/common';
import {
  AccessGrant,
  AccessPrincipal,
  AccessVerdict,
  PermissionSource,
  ResolvedUser,
  UserPermissionsReply,
  UserPermissionsRequest,
  WhoCanReply,
  WhoCanRequest,
} from '@iam/contracts';
import { Listing } from '@iam/platform';
import { AccessQuery, AccessStatement, analyzeAccess, combineAccess, CompiledPolicy, PolicyAccess } from '@iam/policy-engine';
import { AppliedPolicy, PolicySets } from '../decisions/policy-sets';
import { DirectoryGroups, IdentityUsers } from '../shared/neighbours';
import { simulationContext } from '../simulation/simulation.service';

/** Who can: users by name regardless of case, then id. */
const WHO_CAN = new Listing<[nameLower: string, userId: string]>('who-can', 2);

/**
 * Bytes of principals one who-can page carries at most, so that a reply fits
 * in one bus message (NATS's default limit is 1 MiB): a page ends early,
 * truncated with a marker, when the next principal would pass it.
 */
export const WHO_CAN_PAGE_BYTES = 800 * 1024;

/** How a user has a policy: its own, or through a group. */
type Via = { readonly via: 'direct' } | { readonly via: 'group'; readonly groupId: string };

/** A policy that bears on the query, as a user has it. */
interface Part {
  readonly policy: AppliedPolicy;
  readonly access: PolicyAccess;
  readonly via: Via;
}

interface Candidate {
  readonly user: ResolvedUser;
  readonly verdict: AccessVerdict;
  readonly parts: readonly Part[];
}

function grant(part: Part, entry: AccessStatement, groupNames: ReadonlyMap<string, string>): AccessGrant {
  const out: AccessGrant = {
    Via: part.via.via,
    PolicyType: part.policy.type,
    PolicyId: part.policy.policyId,
    PolicyName: part.policy.name,
    StatementIndex: entry.statement.statementIndex,
    Conditional: entry.conditional,
  };
  if (part.via.via === 'group') {
    out.GroupId = part.via.groupId;
    const name = groupNames.get(part.via.groupId);
    if (name !== undefined) out.GroupName = name;
  }
  if (part.policy.arn !== undefined) out.PolicyArn = part.policy.arn;
  if (part.policy.versionId !== undefined) out.VersionId = part.policy.versionId;
  if (entry.statement.sid !== undefined) out.Sid = entry.statement.sid;
  return out;
}

/**
 * The top-level views over everyone's policies: who can do an action on a
 * resource, and what a user may do. Each distinct policy is analysed once
 * with the engine, then the results are combined per user (its own policies
 * and its groups', one hop).
 */
@Injectable()
export class AccessService {
  /** Bytes of principals a who-can page carries at most. */
  pageBytes = WHO_CAN_PAGE_BYTES;

  constructor(
    private readonly users: IdentityUsers,
    private readonly groups: DirectoryGroups,
    private readonly policySets: PolicySets,
  ) {}

  async whoCan(request: WhoCanRequest): Promise<WhoCanReply> {
    const query: AccessQuery = {
      action: request.ActionName,
      resource: request.ResourceArn,
      context: request.ContextEntries ? simulationContext(request.ContextEntries) : undefined,
    };

    // 1. Every holder's policies; each distinct compiled policy analysed once.
    const holders = await this.policySets.loadEach();
    const analyses = new Map<CompiledPolicy, PolicyAccess>();
    const analyse = (policy: AppliedPolicy): PolicyAccess => {
      const compiled = policy.document.policy;
      let access = analyses.get(compiled);
      if (access === undefined) {
        access = analyzeAccess(compiled, query);
        analyses.set(compiled, access);
      }
      return access;
    };
    const bearing = (policies: readonly AppliedPolicy[]) =>
      policies.map((policy) => ({ policy, access: analyse(policy) })).filter(({ access }) => access.allows.length > 0 || access.denies.length > 0);

    // 2. The parts of each user: its own policies and those of its groups that bear on the query.
    const partsOf = new Map<string, Part[]>();
    const add = (userId: string, parts: Part[]) => {
      const list = partsOf.get(userId);
      if (list) list.push(...parts);
      else partsOf.set(userId, [...parts]);
    };
    const groupParts = new Map<string, { policy: AppliedPolicy; access: PolicyAccess }[]>();
    for (const { holder, policies } of holders) {
      const found = bearing(policies);
      if (found.length === 0) continue;
      if (holder.type === 'user') add(holder.id, found.map((entry) => ({ ...entry, via: { via: 'direct' } })));
      else groupParts.set(holder.id, found);
    }
    if (groupParts.size > 0) {
      const members = await this.groups.membersOfGroups([...groupParts.keys()]);
      for (const [groupId, found] of groupParts) {
        const via: Via = { via: 'group', groupId };
        const parts = found.map((entry) => ({ ...entry, via }));
        for (const userId of members[groupId] ?? []) add(userId, parts);
      }
    }

    // 3. A verdict per user; users without an applicable statement are left out.
    const verdicts = new Map<string, { verdict: AccessVerdict; parts: Part[] }>();
    for (const [userId, parts] of partsOf) {
      const { verdict } = combineAccess(parts.map((part) => part.access));
      if (verdict !== 'notAllowed') verdicts.set(userId, { verdict, parts });
    }
    const users = verdicts.size > 0 ? await this.users.byIds([...verdicts.keys()]) : [];
    const candidates: Candidate[] = users
      .filter((user) => verdicts.has(user.UserId))
      .map((user) => ({ user, ...(verdicts.get(user.UserId) as { verdict: AccessVerdict; parts: Part[] }) }));
    const key = (candidate: Candidate): [string, string] => [candidate.user.UserName.toLowerCase(), candidate.user.UserId];
    candidates.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
    });
    const counts = { Allowed: 0, Denied: 0, Conditional: 0 };
    for (const candidate of candidates) {
      if (candidate.verdict === 'allowed') counts.Allowed++;
      else if (candidate.verdict === 'denied') counts.Denied++;
      else counts.Conditional++;
    }

    // 4. One page, with group names for the grants shown.
    const wanted = new Set<AccessVerdict>(request.Verdicts ?? ['allowed', 'denied', 'conditional']);
    const shown = WHO_CAN.slice(
      candidates.filter((candidate) => wanted.has(candidate.verdict)),
      request,
      key,
    );
    const groupNames = await this.groupNames(shown.items);
    const Principals: AccessPrincipal[] = [];
    let bytes = 0;
    let marker = shown.page.Marker;
    for (const { user, verdict, parts } of shown.items) {
      const principal: AccessPrincipal = {
        UserName: user.UserName,
        UserId: user.UserId,
        Path: user.Path,
        Arn: user.Arn,
        Verdict: verdict,
        Grants: parts.flatMap((part) => part.access.allows.map((entry) => grant(part, entry, groupNames))),
        Denials: parts.flatMap((part) => part.access.denies.map((entry) => grant(part, entry, groupNames))),
      };
      bytes += Buffer.byteLength(JSON.stringify(principal));
      if (bytes > this.pageBytes && Principals.length > 0) {
        const last = Principals[Principals.length - 1];
        marker = WHO_CAN.encode([last.UserName.toLowerCase(), last.UserId]);
        break;
      }
      Principals.push(principal);
    }
    const reply: WhoCanReply = {
      ActionName: request.ActionName,
      ResourceArn: request.ResourceArn,
      Principals,
      Counts: counts,
      IsTruncated: marker !== undefined,
    };
    if (marker !== undefined) reply.Marker = marker;
    return reply;
  }

  /**
   * The names of the groups the page's grants come through, asked of
   * directory for as few users as cover every such group.
   */
  private async groupNames(candidates: readonly Candidate[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const covering = new Map<string, string>();
    for (const candidate of candidates) {
      for (const part of candidate.parts) {
        if (part.via.via === 'group' && !covering.has(part.via.groupId)) covering.set(part.via.groupId, candidate.user.UserId);
      }
    }
    if (covering.size === 0) return names;
    const replies = await this.groups.groupsOfUsers([...new Set(covering.values())]);
    for (const groups of Object.values(replies)) for (const group of groups) names.set(group.GroupId, group.GroupName);
    return names;
  }

  async userPermissions(request: UserPermissionsRequest): Promise<UserPermissionsReply> {
    const user = await this.users.byName(request.UserName);
    const groups = await this.groups.groupsOfUser(user.UserId);
    const each = await this.policySets.loadEach([
      { type: 'user', id: user.UserId },
      ...groups.map((group) => ({ type: 'group' as const, id: group.GroupId, name: group.GroupName })),
    ]);
    const Sources: PermissionSource[] = each.flatMap(({ holder, policies }) =>
      policies.map((policy) => {
        const source: PermissionSource = {
          Via: holder.type === 'user' ? 'direct' : 'group',
          PolicyType: policy.type,
          PolicyId: policy.policyId,
          PolicyName: policy.name,
          Statements: policy.document.policy.statements.map((statement) => {
            const span = policy.document.spans[statement.statementIndex];
            const entry: PermissionSource['Statements'][number] = {
              StatementIndex: statement.statementIndex,
              Effect: statement.effect,
              Statement: span ? policy.document.text.slice(span.startOffset, span.endOffset) : '',
            };
            if (statement.sid !== undefined) entry.Sid = statement.sid;
            return entry;
          }),
        };
        if (holder.type === 'group') {
          source.GroupId = holder.id;
          if (holder.name !== undefined) source.GroupName = holder.name;
        }
        if (policy.arn !== undefined) source.PolicyArn = policy.arn;
        if (policy.versionId !== undefined) source.VersionId = policy.versionId;
        return source;
      }),
    );
    return {
      User: { UserName: user.UserName, UserId: user.UserId, Path: user.Path, Arn: user.Arn },
      Groups: groups.map((group) => ({ GroupName: group.GroupName, GroupId: group.GroupId })),
      Sources,
    };
  }
}
