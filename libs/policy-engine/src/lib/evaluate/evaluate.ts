/**
 * The decision for one request against a set of identity-based policies (IAM User Guide,
 * "Policy evaluation logic"): an explicit deny in any statement wins; else an allow in
 * any statement allows; else the request is implicitly denied. Order of policies and of
 * statements never changes the decision.
 */
import { RequestContext, RequestContextImpl } from '../context/request-context';
import { CompiledPolicy, MODEL, StatementRef } from '../model';
import { actionApplies, conditionsHold, resourceApplies } from './statement';

export type DecisionKind = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** The outcome of `evaluate`: a value, never a bare boolean. */
export interface Decision {
  readonly decision: DecisionKind;
  /**
   * For `allowed`: every Allow statement that applies. For `explicitDeny`: every Deny
   * statement that applies. For `implicitDeny`: empty. In policy order, then statement order.
   */
  readonly matchedStatements: readonly StatementRef[];
  /**
   * Context keys referenced by statements whose Action/NotAction matches the request
   * (condition keys, and policy variables without default) that the request lacks. As
   * written in the first policy that uses them, de-duplicated without regard to case.
   * Feeds AWS `MissingContextValues`.
   */
  readonly missingContextKeys: readonly string[];
  /** Set when evaluation failed; the decision is then `implicitDeny` (fail closed). */
  readonly error?: { readonly message: string };
}

/** One request to authorize. */
export interface AuthorizationRequest {
  /** `service:action`, any letter case, e.g. `iam:CreateUser`. */
  readonly action: string;
  /** The resource ARN (matched case-sensitively), or `*` for actions without resources. */
  readonly resource: string;
  /** Built with `createRequestContext`. */
  readonly context: RequestContext;
}

const NONE: readonly never[] = Object.freeze([]);

function addMissing(list: string[] | undefined, name: string, key: string): string[] {
  const out = list ?? [];
  for (let i = 0; i < out.length; i++) if (out[i].toLowerCase() === key) return out;
  out.push(name);
  return out;
}

/**
 * Decides a request against compiled policies. Never throws: a malformed request or an
 * internal failure yields `implicitDeny` with `error` set (fail closed).
 */
export function evaluate(policies: readonly CompiledPolicy[], request: AuthorizationRequest): Decision {
  try {
    const ctx = request.context;
    if (!(ctx instanceof RequestContextImpl)) throw new TypeError('request context was not built with createRequestContext');
    if (typeof request.action !== 'string' || typeof request.resource !== 'string') {
      throw new TypeError('request action and resource must be strings');
    }
    const action = request.action.toLowerCase();
    const colon = action.indexOf(':');
    const service = colon < 0 ? action : action.slice(0, colon);
    const resource = request.resource;
    let allows: StatementRef[] | undefined;
    let denies: StatementRef[] | undefined;
    let missing: string[] | undefined;
    for (let p = 0; p < policies.length; p++) {
      const model = policies[p][MODEL];
      if (model === undefined) throw new TypeError(`policies[${p}] was not built with compilePolicy`);
      // Only statements that can name this action's service (see PolicyModel.byService).
      const statements = model.byService.get(service) ?? model.anyService;
      for (let s = 0; s < statements.length; s++) {
        const st = statements[s];
        if (!actionApplies(st, action)) continue;
        const keys = st.keys;
        for (let k = 0; k < keys.length; k++) {
          if (ctx.entry(keys[k].key) === undefined) missing = addMissing(missing, keys[k].name, keys[k].key);
        }
        // Once something denies, allows no longer matter.
        if (!st.deny && denies !== undefined) continue;
        if (!resourceApplies(st, resource, ctx) || !conditionsHold(st, ctx)) continue;
        if (st.deny) (denies ??= []).push(st.ref);
        else (allows ??= []).push(st.ref);
      }
    }
    const missingContextKeys = missing ?? NONE;
    if (denies !== undefined) return { decision: 'explicitDeny', matchedStatements: denies, missingContextKeys };
    if (allows !== undefined) return { decision: 'allowed', matchedStatements: allows, missingContextKeys };
    return { decision: 'implicitDeny', matchedStatements: NONE, missingContextKeys };
  } catch (e) {
    return {
      decision: 'implicitDeny',
      matchedStatements: NONE,
      missingContextKeys: NONE,
      error: { message: e instanceof Error ? e.message : String(e) },
    };
  }
}
