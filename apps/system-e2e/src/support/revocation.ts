import { request as httpRequest, type Agent } from 'node:http';
import { signHttp } from '@iam/testing';
import type { Credentials } from './gateway';

/**
 * Revocation under load: what each user may do after each change, what each request got, and
 * the judge that compares the two from the client's own clock (`performance.now()` of the test
 * process). A request is judged only when it lies wholly between the return of a change on its
 * user and the start of the next change on that user; it must then be decided under the state
 * that change left.
 */

/** The three things that make a user's `GetUser` allowed. */
export interface UserState {
  /** In the group whose managed policy allows `iam:GetUser`. */
  member: boolean;
  /** Its access key is `Active`. */
  active: boolean;
  /** It has the inline policy that denies `iam:GetUser`. */
  deny: boolean;
}

export type Dimension = 'member' | 'active' | 'deny';
export const DIMENSIONS: readonly Dimension[] = ['member', 'active', 'deny'];

/** Whether `dimension` is as an allowed user has it. */
export const isGood = (state: UserState, dimension: Dimension): boolean => (dimension === 'deny' ? !state.deny : state[dimension]);
export const allowedBy = (state: UserState): boolean => state.member && state.active && !state.deny;

export type Outcome = 'allowed' | 'denied' | 'other';

export interface RequestRecord {
  user: string;
  gateway: number;
  start: number;
  end: number;
  outcome: Outcome;
  /** What an `other` outcome was. */
  detail?: string;
  /** Sent on purpose after a change (to a paused gateway), not by a load loop. */
  probe?: boolean;
}

export interface ChangeRecord {
  user: string;
  /** The action, or `setup` for the state the user was created in. */
  action: string;
  gateway: number;
  start: number;
  end: number;
  /** The user's state once the change returned. */
  state: UserState;
}

export interface Verdict {
  requests: number;
  judged: number;
  judgedAllowed: number;
  judgedDenied: number;
  staleAllows: RequestRecord[];
  staleDenies: RequestRecord[];
  others: RequestRecord[];
  /** Judged requests among the probes. */
  judgedProbes: number;
}

/**
 * Judges `requests` against `changes` (changes never overlap: they are made one at a time).
 * Requests that started before a user's first change (its setup) or overlap a change on their
 * user are not judged.
 */
export function judge(requests: readonly RequestRecord[], changes: readonly ChangeRecord[]): Verdict {
  const byUser = new Map<string, ChangeRecord[]>();
  for (const change of changes) {
    const list = byUser.get(change.user) ?? [];
    list.push(change);
    byUser.set(change.user, list);
  }
  for (const list of byUser.values()) list.sort((a, b) => a.start - b.start);
  const verdict: Verdict = { requests: requests.length, judged: 0, judgedAllowed: 0, judgedDenied: 0, staleAllows: [], staleDenies: [], others: [], judgedProbes: 0 };
  for (const request of requests) {
    if (request.outcome === 'other') {
      verdict.others.push(request);
      continue;
    }
    const list = byUser.get(request.user) ?? [];
    // The last change on the user that returned before the request started (ends are ordered as starts are).
    let low = 0;
    let high = list.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (list[middle].end < request.start) {
        last = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (last < 0) continue;
    const next = list[last + 1];
    if (next !== undefined && next.start <= request.end) continue;
    const expected = allowedBy(list[last].state);
    verdict.judged++;
    if (request.probe) verdict.judgedProbes++;
    if (expected) verdict.judgedAllowed++;
    else verdict.judgedDenied++;
    if (request.outcome === 'allowed' && !expected) verdict.staleAllows.push(request);
    if (request.outcome === 'denied' && expected) verdict.staleDenies.push(request);
  }
  return verdict;
}

/** A few lines about what went wrong, for a failure message. */
export function describeVerdict(verdict: Verdict, changes: readonly ChangeRecord[]): string {
  // The change the request was judged under and the one after it.
  const around = (request: RequestRecord) => {
    const list = changes.filter((c) => c.user === request.user);
    const last = list.reduce((found, c, i) => (c.end < request.start ? i : found), -1);
    return list
      .slice(Math.max(0, last), last + 2)
      .map((c) => `    ${c.action} [${c.start.toFixed(1)}, ${c.end.toFixed(1)}] → ${JSON.stringify(c.state)}`)
      .join('\n');
  };
  const show = (label: string, list: RequestRecord[]) =>
    list
      .slice(0, 5)
      .map((r) => `${label} ${r.user} via gateway ${r.gateway}${r.probe ? ' (probe)' : ''} [${r.start.toFixed(1)}, ${r.end.toFixed(1)}] ${r.outcome}${r.detail ? ` ${r.detail}` : ''}\n${around(r)}`)
      .join('\n');
  return [show('stale allow', verdict.staleAllows), show('stale deny', verdict.staleDenies), show('other', verdict.others)].filter(Boolean).join('\n');
}

/** The `p`-th percentile (0–100) of `values`, 0 when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A small seeded generator (mulberry32), so that a run's changes can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Query API request signed with SigV4, ready to send (a signature holds for minutes). */
export interface SignedQuery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function signQuery(base: string, credentials: Credentials, params: Record<string, string>): Promise<SignedQuery> {
  const body = new URLSearchParams({ Version: '2010-05-08', ...params }).toString();
  const { url, headers } = await signHttp(base, credentials, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { url, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

/** Sends a signed query over `node:http` on `agent` (`false`: a connection of its own, closed after the reply); answers the status and the body. */
export function sendQuery(query: SignedQuery, agent: Agent | false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(query.url, { method: 'POST', headers: query.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(query.body);
  });
}

/** What a `GetUser` of the caller `user` answered: allowed (its own user), denied (AccessDenied, InvalidClientTokenId, 403), or anything else. */
export function classify(user: string, status: number, text: string): { outcome: Outcome; detail?: string } {
  if (status === 200 && text.includes(`<UserName>${user}</UserName>`)) return { outcome: 'allowed' };
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  if (status === 403 && (code === 'AccessDenied' || code === 'InvalidClientTokenId')) return { outcome: 'denied' };
  return { outcome: 'other', detail: `${status} ${text.slice(0, 300)}` };
}
