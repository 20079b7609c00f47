/**
 * One condition (`operator: { key: values }` for a single key) compiled and evaluated,
 * with the rules of the IAM User Guide that hold for every operator:
 *
 * - Several values for one key are OR-ed; for negated operators "the string cannot match
 *   any of the ... values listed" (AND of the negations). ("Creating a condition with
 *   multiple keys or values".)
 * - Missing key: "the values do not match and the condition is false. If the policy
 *   condition requires that the key is not matched, such as StringNotLike or ArnNotLike,
 *   and the right key is not present, the condition is true." ("Condition operators".)
 * - `...IfExists`: "If the key is not present, evaluate the condition element as true."
 * - `ForAllValues:` "returns true if there are no keys in the request, or if the key
 *   values resolve to a null data set"; true when every request value matches.
 *   `ForAnyValue:` false for a missing key; true when one request value matches.
 * - A multivalued request key under an operator without set operator does not match:
 *   "Multivalued context keys require a condition set operator." (AWS documents no other
 *   outcome; we take the one that grants and denies nothing by accident of shape.)
 */
import type { ContextValue, RequestContextImpl } from '../context/request-context';
import { ConditionOperator, MATCH, TYPE_MISMATCH } from './operator';
import { findOperator } from './registry';

export const SET_NONE = 0;
export const SET_ALL = 1;
export const SET_ANY = 2;

/** A condition operator as written in a policy, parsed. */
export interface OperatorSpec {
  readonly operator: ConditionOperator;
  /** SET_NONE, SET_ALL (`ForAllValues:`) or SET_ANY (`ForAnyValue:`). */
  readonly set: number;
  readonly ifExists: boolean;
}

/**
 * Parses an operator name such as `ForAnyValue:StringLikeIfExists` (any letter case).
 * Returns a one-line reason when it is not a valid operator.
 */
export function parseOperator(text: string): OperatorSpec | string {
  let rest = text;
  let set = SET_NONE;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const prefix = text.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') set = SET_ALL;
    else if (prefix === 'foranyvalue') set = SET_ANY;
    else return `unknown set operator "${text.slice(0, colon)}" in "${text}"; use ForAllValues or ForAnyValue`;
    rest = text.slice(colon + 1);
  }
  let operator = findOperator(rest);
  let ifExists = false;
  if (!operator && rest.toLowerCase().endsWith('ifexists')) {
    operator = findOperator(rest.slice(0, -'IfExists'.length));
    ifExists = operator !== undefined;
    if (operator?.presenceOnly) return `"${text}" is not a condition operator; Null cannot take IfExists`;
  }
  if (!operator) return `unknown condition operator "${text}"`;
  return { operator, set, ifExists };
}

/** A compiled condition for one key. */
export interface CompiledCondition extends OperatorSpec {
  /** The operator as written, e.g. `ForAnyValue:StringLike`. */
  readonly operatorText: string;
  /** The key as written, e.g. `aws:PrincipalTag/team`. */
  readonly keyName: string;
  /** Lower-cased key. */
  readonly key: string;
  /** Compiled policy values (for `Null`: `true` expects the key absent). */
  readonly values: readonly unknown[];
}

/** Compiles a condition; values arrive as text (JSON numbers and booleans as their text). */
export function compileCondition(operatorText: string, spec: OperatorSpec, keyName: string, rawValues: readonly string[], variables: boolean): CompiledCondition {
  const op = spec.operator;
  const useVariables = variables && op.variables;
  return Object.freeze({
    ...spec,
    operatorText,
    keyName,
    key: keyName.toLowerCase(),
    values: Object.freeze(rawValues.map((v) => op.compile(v, useVariables))),
  });
}

function valueHolds(c: CompiledCondition, entry: ContextValue, index: number, ctx: RequestContextImpl): boolean {
  const op = c.operator;
  const values = c.values;
  if (op.negated) {
    for (let v = 0; v < values.length; v++) {
      const outcome = op.test(values[v], entry, index, ctx);
      if (outcome === MATCH || outcome === TYPE_MISMATCH) return false;
    }
    return true;
  }
  for (let v = 0; v < values.length; v++) {
    if (op.test(values[v], entry, index, ctx) === MATCH) return true;
  }
  return false;
}

/** Whether the condition holds for the request context. */
export function conditionHolds(c: CompiledCondition, ctx: RequestContextImpl): boolean {
  const entry = ctx.entry(c.key);
  if (c.operator.presenceOnly) {
    const absent = entry === undefined;
    for (let v = 0; v < c.values.length; v++) if (c.values[v] === absent) return true;
    return false;
  }
  if (entry === undefined) {
    if (c.ifExists || c.set === SET_ALL) return true;
    if (c.set === SET_ANY) return false;
    return c.operator.negated;
  }
  if (c.set === SET_NONE) {
    if (entry.multi) return false;
    return valueHolds(c, entry, 0, ctx);
  }
  const n = entry.length;
  if (c.set === SET_ALL) {
    for (let i = 0; i < n; i++) if (!valueHolds(c, entry, i, ctx)) return false;
    return true;
  }
  for (let i = 0; i < n; i++) if (valueHolds(c, entry, i, ctx)) return true;
  return false;
}
