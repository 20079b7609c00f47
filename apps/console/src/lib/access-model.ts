/**
 * The account's permission structure, from `GET /v1/account/authorization-details`: which actions
 * its policies name (for completion in the who-can view), and what each group grants or denies,
 * by service (the matrix).
 */

export interface PolicyDocumentRef {
  PolicyName: string;
  PolicyDocument: string;
}
export interface AttachedPolicyRef {
  PolicyName: string;
  PolicyArn: string;
}
export interface AuthorizationDetails {
  UserDetailList?: Array<{ UserName: string; UserPolicyList?: PolicyDocumentRef[]; AttachedManagedPolicies?: AttachedPolicyRef[]; GroupList?: string[] }>;
  GroupDetailList?: Array<{ GroupName: string; Path?: string; GroupPolicyList?: PolicyDocumentRef[]; AttachedManagedPolicies?: AttachedPolicyRef[] }>;
  Policies?: Array<{ PolicyName: string; Arn: string; DefaultVersionId?: string; PolicyVersionList?: Array<{ VersionId: string; IsDefaultVersion: boolean; Document: string }> }>;
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

/** The statements of a policy document (text or object); none when it does not parse. */
export function statementsOf(document: string | object | undefined): Statement[] {
  if (document === undefined) return [];
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      try {
        parsed = JSON.parse(decodeURIComponent(document));
      } catch {
        return [];
      }
    }
  }
  const statement = (parsed as { Statement?: unknown })?.Statement;
  if (Array.isArray(statement)) return statement.filter((s): s is Statement => typeof s === 'object' && s !== null);
  if (typeof statement === 'object' && statement !== null) return [statement as Statement];
  return [];
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every document in the details: users' and groups' inline ones, and each managed policy's default version. */
function documents(details: AuthorizationDetails): string[] {
  const out: string[] = [];
  for (const user of details.UserDetailList ?? []) for (const p of user.UserPolicyList ?? []) out.push(p.PolicyDocument);
  for (const group of details.GroupDetailList ?? []) for (const p of group.GroupPolicyList ?? []) out.push(p.PolicyDocument);
  for (const policy of details.Policies ?? []) {
    const version = (policy.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion);
    if (version) out.push(version.Document);
  }
  return out;
}

/** The actions the account's policies name (Action and NotAction), as written, without repeats regardless of case, sorted. */
export function actionsNamed(details: AuthorizationDetails): string[] {
  const seen = new Map<string, string>();
  for (const document of documents(details)) {
    for (const statement of statementsOf(document)) {
      for (const action of [...list(statement.Action), ...list(statement.NotAction)]) {
        if (typeof action === 'string' && !seen.has(action.toLowerCase())) seen.set(action.toLowerCase(), action);
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** Actions from `candidates` that start with (or contain, after those) what was typed, at most `limit`. */
export function completeAction(typed: string, candidates: readonly string[], limit = 12): string[] {
  const t = typed.trim().toLowerCase();
  if (t === '') return candidates.slice(0, limit);
  const starts = candidates.filter((c) => c.toLowerCase().startsWith(t));
  const contains = candidates.filter((c) => !c.toLowerCase().startsWith(t) && c.toLowerCase().includes(t));
  return [...starts, ...contains].slice(0, limit);
}

/** What a group's policies do for one service. */
export interface MatrixCell {
  /** Allowed action patterns (`iam:List*`, `iam:*`, `*`), as written. */
  allow: string[];
  /** Denied action patterns. */
  deny: string[];
  /** Whether a statement here has a condition or NotAction/NotResource (read the policy to be sure). */
  qualified: boolean;
  /** The policies these come from. */
  policies: string[];
  /** In the users' inline policies row: the users these come from. */
  users?: string[];
}

export interface GroupMatrix {
  /** Services named, sorted; `*` (every service) first when present. */
  services: string[];
  rows: Array<{ group: string; cells: Record<string, MatrixCell> }>;
  /** The users' own inline policies, all users in one row: how many users have one, and by service what they allow and deny. Absent when users were not read. */
  usersInline?: { users: number; cells: Record<string, MatrixCell> };
}

function serviceOf(action: string): string {
  const colon = action.indexOf(':');
  return colon < 0 ? '*' : action.slice(0, colon).toLowerCase();
}

/** Adds what `document`'s statements allow and deny to `cells`, by service; `from` names the source. */
function addStatements(cells: Record<string, MatrixCell>, services: Set<string>, from: string, document: string | undefined, user?: string): void {
  for (const statement of statementsOf(document)) {
    const deny = statement.Effect === 'Deny';
    const qualified = statement.Condition !== undefined || statement.NotAction !== undefined || (statement as { NotResource?: unknown }).NotResource !== undefined;
    const actions = statement.NotAction !== undefined ? list(statement.NotAction).map((a) => `not ${a}`) : list(statement.Action);
    for (const action of actions) {
      if (typeof action !== 'string') continue;
      const service = statement.NotAction !== undefined ? '*' : serviceOf(action);
      services.add(service);
      const cell = (cells[service] ??= { allow: [], deny: [], qualified: false, policies: [] });
      const target = deny ? cell.deny : cell.allow;
      if (!target.includes(action)) target.push(action);
      if (!cell.policies.includes(from)) cell.policies.push(from);
      if (user !== undefined) {
        cell.users ??= [];
        if (!cell.users.includes(user)) cell.users.push(user);
      }
      cell.qualified ||= qualified;
    }
  }
}

/**
 * Groups × services: what each group's inline and attached policies allow and deny; and, when the
 * details list users, one more row for the users' own inline policies (all such users together,
 * so the matrix stays readable with thousands of users), each cell naming the users it comes from.
 */
export function groupMatrix(details: AuthorizationDetails): GroupMatrix {
  const defaults = new Map<string, string>();
  for (const policy of details.Policies ?? []) {
    const version = (policy.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion);
    if (version) defaults.set(policy.Arn, version.Document);
  }
  const services = new Set<string>();
  const rows = (details.GroupDetailList ?? [])
    .map((group) => {
      const cells: Record<string, MatrixCell> = {};
      for (const p of group.GroupPolicyList ?? []) addStatements(cells, services, p.PolicyName, p.PolicyDocument);
      for (const p of group.AttachedManagedPolicies ?? []) addStatements(cells, services, p.PolicyName, defaults.get(p.PolicyArn));
      return { group: group.GroupName, cells };
    })
    .sort((a, b) => a.group.localeCompare(b.group));
  let usersInline: GroupMatrix['usersInline'];
  if (details.UserDetailList !== undefined) {
    const cells: Record<string, MatrixCell> = {};
    const users = [...details.UserDetailList].sort((a, b) => a.UserName.localeCompare(b.UserName)).filter((u) => (u.UserPolicyList ?? []).length > 0);
    for (const user of users) for (const p of user.UserPolicyList ?? []) addStatements(cells, services, p.PolicyName, p.PolicyDocument, user.UserName);
    usersInline = { users: users.length, cells };
  }
  const sorted = [...services].sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)));
  return { services: sorted, rows, ...(usersInline ? { usersInline } : {}) };
}

/** A cell in words: `all actions`, `3 actions`, `denied: 1`. */
export function describeCell(cell: MatrixCell | undefined): string {
  if (!cell) return '';
  const parts: string[] = [];
  if (cell.allow.some((a) => a === '*' || a.endsWith(':*'))) parts.push('all actions');
  else if (cell.allow.length > 0) parts.push(`${cell.allow.length} action${cell.allow.length === 1 ? '' : 's'}`);
  if (cell.deny.length > 0) parts.push(`${cell.deny.length} denied`);
  return parts.join(', ') + (cell.qualified ? ' (conditional)' : '');
}

/** What `readDetails` needs of the API: one GET. */
export interface DetailsReader {
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
}

export const DETAILS_PAGE_SIZE = 1000;

/**
 * `GET /v1/account/authorization-details` for the entity types of `filter`, every page (1,000
 * entities a request). Of the users only those with inline policies are kept, with just their name
 * and those policies (the rest is not needed here, and there may be thousands). `onPage` is told
 * how many entities were read so far.
 */
export async function readDetails(
  api: DetailsReader,
  filter: string,
  onPage?: (read: number) => void,
  options: {
    /** Entities a request (each user costs the server several reads: smaller pages end sooner when the page is left). */
    pageSize?: number;
    /** False once nobody waits for the answer (the page was left): no further page is asked for. */
    live?: () => boolean;
  } = {},
): Promise<AuthorizationDetails> {
  const { pageSize = DETAILS_PAGE_SIZE, live = () => true } = options;
  const out: Required<Pick<AuthorizationDetails, 'UserDetailList' | 'GroupDetailList' | 'Policies'>> = { UserDetailList: [], GroupDetailList: [], Policies: [] };
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await api.get<AuthorizationDetails & { nextCursor?: string }>('/v1/account/authorization-details', { filter, limit: pageSize, cursor });
    for (const user of page.UserDetailList ?? []) {
      if ((user.UserPolicyList ?? []).length > 0) out.UserDetailList.push({ UserName: user.UserName, UserPolicyList: user.UserPolicyList });
    }
    out.GroupDetailList.push(...(page.GroupDetailList ?? []));
    out.Policies.push(...(page.Policies ?? []));
    read += (page.UserDetailList?.length ?? 0) + (page.GroupDetailList?.length ?? 0) + (page.Policies?.length ?? 0);
    onPage?.(read);
    cursor = page.nextCursor;
  } while (cursor && live());
  return out;
}
