/**
 * The condition operator contract. Every operator is one small object registered in
 * `registry.ts`: it compiles a policy value once and compares it with one request value.
 * Set operators (`ForAllValues:`/`ForAnyValue:`), `...IfExists`, missing keys and the
 * combination of several values are handled once, in `condition.ts`, for all operators.
 */
import type { ContextValue, RequestContextImpl } from '../context/request-context';

/** The request value matches the policy value. */
export const MATCH = 1;
/** The request value does not match the policy value. */
export const NO_MATCH = 0;
/**
 * The values cannot be compared: the request value (or the policy value) is not of the
 * operator's type. Counts as "no match" for positive operators and makes negated
 * operators false too: a value that is not a number is not "not equal" to 10.
 */
export const TYPE_MISMATCH = 2;
/**
 * The policy value uses a policy variable the request has no value for. "Operators like
 * StringEquals or StringLike do not match, and ... Inverted condition operators like
 * StringNotEquals or StringNotLike do match against a null value" (IAM User Guide,
 * "Policy variables with no value").
 */
export const UNRESOLVED = 3;

export type Outcome = typeof MATCH | typeof NO_MATCH | typeof TYPE_MISMATCH | typeof UNRESOLVED;

/** A condition operator (without set-operator prefix and without `IfExists`). */
export interface ConditionOperator<P = unknown> {
  /** Canonical name, e.g. `StringNotLike`. */
  readonly name: string;
  /** Negated matching (`StringNotEquals`, `NotIpAddress`, ...): true when no policy value matches; true for a missing key. */
  readonly negated: boolean;
  /** Whether policy variables in values are resolved (else `${...}` is literal text). */
  readonly variables: boolean;
  /** `Null`: the condition tests whether the key is present, not its value. */
  readonly presenceOnly?: boolean;
  /** Compiles one policy value (JSON numbers and booleans arrive as their text). */
  compile(raw: string, variables: boolean): P;
  /** Compares one compiled policy value with value `index` of a context key. */
  test(value: P, entry: ContextValue, index: number, ctx: RequestContextImpl): Outcome;
}

/** Declares an operator; the generic ties `compile` and `test` together. */
export function defineOperator<P>(op: ConditionOperator<P>): ConditionOperator {
  return Object.freeze(op) as ConditionOperator;
}

/** The negated twin of an operator, comparing the same way. */
export function negate(op: ConditionOperator, name: string): ConditionOperator {
  return Object.freeze({ ...op, name, negated: true });
}
