import { Injectable } from '@nestjs/common';
import {
  AccessGrant,
  AccessPrincipal,
  AccessVerdict,
  PermissionSource,
  UserNameKey,
  UserPermissionsReply,
  UserPermissionsRequest,
  UserSummary,
  WhoCanReply,
  WhoCanRequest,
} from '@iam/contracts';
import { compareKeys, invalidMarker, Listing, PageQuery } from '@iam/platform';
import { AccessQuery, AccessStatement, analyzeAccess, combineAccess, PolicyAccess } from '@iam/policy-engine';
import { AppliedPolicy, PolicySets } from '../decisions/policy-sets';
import { CompiledDocument } from '../documents/policy-documents';
import { DirectoryGroups, IdentityUsers, IDS_CHUNK } from '../shared/neighbours';
import { simulationContext } from '../simulation/simulation.service';

/** Who can: users by name regardless of case, then id. */
const WHO_CAN = new Listing<[nameLower: string, userId: string]>('who-can', 2);
const keyOf = (candidate: { user: UserSummary }): [string, string] => [candidate.user.UserName.toLowerCase(), candidate.user.UserId];

/**
 * At most this many users with a wanted verdict are paged by id (identity looks them up by key
 * and orders them); with more, a page walks identity's name order and keeps the wanted ones.
 */
export const WHO_CAN_BY_IDS = 2000;
/** Users a page reads at most walking the name order before it pages by id instead (a sparse match among many users). */
export const WHO_CAN_WALK_ROWS = 5000;
/** Users one request of a walk reads at most (identity's limit). */
const WALK_BATCH = 1000;

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
  readonly user: UserSummary;
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
  /** Users with a wanted verdict paged by id at most (see {@link WHO_CAN_BY_IDS}). */
  byIdsMax = WHO_CAN_BY_IDS;
  /** Users a walk of the name order reads at most for a page (see {@link WHO_CAN_WALK_ROWS}). */
  walkRows = WHO_CAN_WALK_ROWS;

  constructor(
    private readonly users: IdentityUsers,
    private readonly groups: DirectoryGroups,
    private readonly policySets: PolicySets,
  ) {}

  async whoCan(request: WhoCanRequest): Promise<WhoCanReply> {
    const page = WHO_CAN.query(request);
    // A key no page issued (a number, longer than any user name or id) is refused before any work.
    if (page.after && !page.after.every((part) => typeof part === 'string' && part.length <= 128)) throw invalidMarker();
    const query: AccessQuery = {
      action: request.ActionName,
      resource: request.ResourceArn,
      context: request.ContextEntries ? simulationContext(request.ContextEntries) : undefined,
    };

    // 1. The holders of the documents that bear on the query, with those documents; each distinct
    // document analysed once (inline policies with the same text, compiled once per owner, share
    // their analysis: it names statements, not owners).
    const analyses = new Map<string, PolicyAccess>();
    const analyse = (document: CompiledDocument): PolicyAccess => {
      let access = analyses.get(document.text);
      if (access === undefined) {
        access = analyzeAccess(document.policy, query);
        analyses.set(document.text, access);
      }
      return access;
    };
    const bears = (access: PolicyAccess) => access.allows.length > 0 || access.denies.length > 0;
    const holders = await this.policySets.loadBearing((document) => bears(analyse(document)));
    const bearing = (policies: readonly AppliedPolicy[]) =>
      policies.map((policy) => ({ policy, access: analyse(policy.document) })).filter(({ access }) => bears(access));

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

    // 3. A verdict per user; users without an applicable statement are left out. Counts cover
    // every such user that identity knows (ids only: a member or holder it no longer has is not counted).
    const verdicts = new Map<string, { verdict: AccessVerdict; parts: Part[] }>();
    for (const [userId, parts] of partsOf) {
      const { verdict } = combineAccess(parts.map((part) => part.access));
      if (verdict !== 'notAllowed') verdicts.set(userId, { verdict, parts });
    }
    const [unknown, rows] = await Promise.all([
      verdicts.size > 0 ? this.users.unknown([...verdicts.keys()]) : Promise.resolve([]),
      this.pageOf(request, page, verdicts),
    ]);
    const gone = new Set(unknown);
    const counts = { Allowed: 0, Denied: 0, Conditional: 0 };
    for (const [userId, { verdict }] of verdicts) {
      if (gone.has(userId)) continue;
      if (verdict === 'allowed') counts.Allowed++;
      else if (verdict === 'denied') counts.Denied++;
      else counts.Conditional++;
    }

    // 4. One page, with group names for the grants shown.
    const shown = WHO_CAN.page(rows, page, keyOf);
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
   * The users with a wanted verdict after the marker, in name order, at most `page.limit` of
   * them (one more than the page, to know whether more follow), each with its verdict. Few
   * such users (at most {@link byIdsMax}): identity pages them by id. Many: a walk of
   * identity's name order in requests sized by the share of users kept so far, at most
   * {@link walkRows} users, then by id from where the walk stopped. Either way a page
   * costs about its own size, not the number of users.
   */
  private async pageOf(
    request: WhoCanRequest,
    page: PageQuery<[string, string]>,
    verdicts: ReadonlyMap<string, { verdict: AccessVerdict; parts: Part[] }>,
  ): Promise<Candidate[]> {
    const wanted = new Set<AccessVerdict>(request.Verdicts ?? ['allowed', 'denied', 'conditional']);
    const ids: string[] = [];
    for (const [userId, { verdict }] of verdicts) if (wanted.has(verdict)) ids.push(userId);
    if (ids.length === 0) return [];
    const candidate = (user: UserSummary): Candidate => ({ user, ...(verdicts.get(user.UserId) as { verdict: AccessVerdict; parts: Part[] }) });
    let after = page.after ? { NameLower: page.after[0], UserId: page.after[1] } : undefined;
    const rows: Candidate[] = [];
    if (ids.length > this.byIdsMax) {
      const keep = new Set(ids);
      let read = 0;
      let batch = Math.min(WALK_BATCH, page.limit * 2);
      while (rows.length < page.limit && read < this.walkRows) {
        const reply = await this.users.inNameOrder({ after, limit: batch });
        read += reply.Users.length;
        for (const user of reply.Users) if (keep.has(user.UserId) && rows.length < page.limit) rows.push(candidate(user));
        if (!reply.IsTruncated || reply.Users.length === 0) return rows;
        const last = reply.Users[reply.Users.length - 1];
        after = { NameLower: last.UserName.toLowerCase(), UserId: last.UserId };
        // The next request reads what the share kept so far says the rest of the page needs, with a fifth more.
        const share = Math.max(rows.length, 1) / read;
        batch = Math.min(WALK_BATCH, Math.max(1, Math.ceil(((page.limit - rows.length) / share) * 1.2)));
      }
      if (rows.length >= page.limit) return rows;
    }
    rows.push(...(await this.byIds(ids, after, page.limit - rows.length)).map(candidate));
    return rows;
  }

  /**
   * The first `limit` users of `ids` after `after` in name order: each chunk of ids asked of
   * identity at once, its pages merged until `limit` users are known to come first.
   */
  private async byIds(ids: readonly string[], after: UserNameKey | undefined, limit: number): Promise<UserSummary[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_CHUNK) chunks.push(ids.slice(i, i + IDS_CHUNK));
    const lists = await Promise.all(
      chunks.map(async (chunk) => {
        const users: UserSummary[] = [];
        let from = after;
        for (;;) {
          const reply = await this.users.inNameOrder({ after: from, userIds: chunk, limit: Math.min(WALK_BATCH, limit - users.length) });
          users.push(...reply.Users);
          // A reply cut short to fit a bus message: read on from its last user.
          if (!reply.IsTruncated || users.length >= limit || reply.Users.length === 0) return users;
          const last = reply.Users[reply.Users.length - 1];
          from = { NameLower: last.UserName.toLowerCase(), UserId: last.UserId };
        }
      }),
    );
    if (lists.length === 1) return lists[0];
    return lists
      .flat()
      .sort((a, b) => compareKeys(keyOf({ user: a }), keyOf({ user: b })))
      .slice(0, limit);
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
