/**
 * "Who can do X on Y": which statements of a policy could grant an action on a resource
 * (or on resources matching a pattern), and which would deny it.
 *
 * Built for many principals: analyse each distinct policy once (`analyzeAccess`), then
 * combine the per-policy results of each principal's policies (`combineAccess`), which
 * is a few array walks. For 5,000 users sharing 50 policies that is 50 analyses and
 * 5,000 cheap combinations, not 5,000 full evaluations.
 */
import { actionApplies, conditionsHold } from '../evaluate/statement';
import { RequestContext, RequestContextImpl } from '../context/request-context';
import { CompiledPolicy, MODEL, StatementModel, StatementRef } from '../model';
import { charTokens, covers, intersects } from '../pattern/overlap';
import { compilePattern } from '../pattern/pattern';
import { resolveVariables } from '../pattern/variables';

/** What to ask about. */
export interface AccessQuery {
  /** `service:action`, any letter case. */
  readonly action: string;
  /**
   * A resource ARN, or an ARN pattern with `*`/`?` (Resource-element rules) to ask about
   * every resource it matches.
   */
  readonly resource: string;
  /**
   * The request context when known. Without it, statements with conditions or policy
   * variables are reported as `conditional`; with it, they are evaluated.
   */
  readonly context?: RequestContext;
}

/** A statement that could grant (or would deny) the queried access. */
export interface AccessStatement {
  readonly statement: StatementRef;
  /**
   * True when the statement applies only in some cases: its conditions or policy variables
   * were not settled (no context given), or it covers only part of a resource pattern.
   */
  readonly conditional: boolean;
}

/** The statements of one or more policies that bear on the query, in policy and statement order. */
export interface PolicyAccess {
  readonly allows: readonly AccessStatement[];
  readonly denies: readonly AccessStatement[];
}

/**
 * `denied`: an unconditional Deny applies. `allowed`: an unconditional Allow applies and
 * no Deny could. `conditional`: an Allow could apply but only in some cases, or a Deny
 * could apply in some cases. `notAllowed`: no Allow applies (implicit deny).
 */
export type AccessVerdict = 'allowed' | 'denied' | 'conditional' | 'notAllowed';

export interface AccessSummary extends PolicyAccess {
  readonly verdict: AccessVerdict;
}

type Coverage = 0 | 1 | 2; // none, partial, full
const NONE = 0;
const PARTIAL = 1;
const FULL = 2;

function resourceCoverage(st: StatementModel, query: ReturnType<typeof charTokens>, ctx: RequestContextImpl | undefined): { coverage: Coverage; unsettled: boolean } {
  let unsettled = false;
  let anyCovers = false;
  let anyIntersects = false;
  for (const p of st.resources) {
    let values: readonly string[] | undefined;
    if (p.vars.length > 0) {
      if (ctx) {
        const resolved = resolveVariables(p.vars, ctx, false);
        // An entry whose variable has no value matches nothing.
        if (resolved === null) continue;
        values = [...resolved];
      } else {
        unsettled = true;
      }
    }
    const tokens = charTokens(p, values);
    if (covers(tokens, query)) anyCovers = true;
    if (anyCovers || intersects(tokens, query)) anyIntersects = true;
  }
  if (!st.notResource) return { coverage: anyCovers ? FULL : anyIntersects ? PARTIAL : NONE, unsettled };
  return { coverage: anyCovers ? NONE : anyIntersects ? PARTIAL : FULL, unsettled };
}

const EMPTY: readonly never[] = Object.freeze([]);

/** The statements of one policy that could grant or would deny the queried access. */
export function analyzeAccess(policy: CompiledPolicy, query: AccessQuery): PolicyAccess {
  const ctx = query.context;
  if (ctx !== undefined && !(ctx instanceof RequestContextImpl)) throw new TypeError('query context was not built with createRequestContext');
  const action = query.action.toLowerCase();
  const target = charTokens(compilePattern(query.resource, { wildcards: true, variables: false, arn: 'resource', ignoreCase: false }));
  const allows: AccessStatement[] = [];
  const denies: AccessStatement[] = [];
  for (const st of policy[MODEL].statements) {
    if (!actionApplies(st, action)) continue;
    const { coverage, unsettled } = resourceCoverage(st, target, ctx);
    if (coverage === NONE) continue;
    let conditional = coverage === PARTIAL || unsettled;
    if (st.conditions.length > 0) {
      if (ctx) {
        if (!conditionsHold(st, ctx)) continue;
      } else {
        conditional = true;
      }
    }
    (st.deny ? denies : allows).push(Object.freeze({ statement: st.ref, conditional }));
  }
  return Object.freeze({ allows: allows.length ? Object.freeze(allows) : EMPTY, denies: denies.length ? Object.freeze(denies) : EMPTY });
}

/** Combines per-policy results (e.g. the policies of one principal) into a verdict. */
export function combineAccess(results: readonly PolicyAccess[]): AccessSummary {
  const allows: AccessStatement[] = [];
  const denies: AccessStatement[] = [];
  for (const r of results) {
    allows.push(...r.allows);
    denies.push(...r.denies);
  }
  let verdict: AccessVerdict;
  if (denies.some((d) => !d.conditional)) verdict = 'denied';
  else if (denies.length === 0 && allows.some((a) => !a.conditional)) verdict = 'allowed';
  else verdict = allows.length > 0 ? 'conditional' : 'notAllowed';
  return Object.freeze({ verdict, allows: Object.freeze(allows), denies: Object.freeze(denies) });
}

/** `combineAccess` over `analyzeAccess` of each policy: the answer for one principal. */
export function explainAccess(policies: readonly CompiledPolicy[], query: AccessQuery): AccessSummary {
  return combineAccess(policies.map((p) => analyzeAccess(p, query)));
}
