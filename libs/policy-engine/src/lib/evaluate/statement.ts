/**
 * Whether one statement applies to a request: Action/NotAction, Resource/NotResource and
 * Condition. Shared by `evaluate` and the access analysis.
 */
import { conditionHolds } from '../conditions/condition';
import type { RequestContextImpl } from '../context/request-context';
import type { StatementModel } from '../model';
import { matchPattern } from '../pattern/pattern';
import { resolveVariables } from '../pattern/variables';

/** Action/NotAction: `lowerAction` is the request action lower-cased (actions are case-insensitive). */
export function actionApplies(st: StatementModel, lowerAction: string): boolean {
  const patterns = st.actions;
  for (let i = 0; i < patterns.length; i++) {
    if (matchPattern(patterns[i], lowerAction)) return !st.notAction;
  }
  return st.notAction;
}

/**
 * Resource/NotResource (case-sensitive). "If a variable that has no value in the
 * authorization context is used as part of the Resource or NotResource element of a
 * policy, the resource that includes a policy variable with no value will not match any
 * resource" (IAM User Guide, "Policy variables with no value"): such an entry matches
 * nothing, under Resource and NotResource alike; the other entries still decide.
 */
export function resourceApplies(st: StatementModel, resource: string, ctx: RequestContextImpl): boolean {
  const patterns = st.resources;
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    let matched: boolean;
    if (p.vars.length === 0) matched = matchPattern(p, resource);
    else {
      const values = resolveVariables(p.vars, ctx, false);
      matched = values !== null && matchPattern(p, resource, values);
    }
    if (matched) return !st.notResource;
  }
  return st.notResource;
}

/** Conditions: every condition must hold (AND across operators and keys). */
export function conditionsHold(st: StatementModel, ctx: RequestContextImpl): boolean {
  const conditions = st.conditions;
  for (let i = 0; i < conditions.length; i++) {
    if (!conditionHolds(conditions[i], ctx)) return false;
  }
  return true;
}
