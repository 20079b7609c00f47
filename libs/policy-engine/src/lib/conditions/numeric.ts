/**
 * Numeric condition operators (IAM User Guide, "Condition operators", Numeric): compare a
 * key with an integer or decimal value. No policy variables.
 */
import { ConditionOperator, defineOperator, MATCH, negate, NO_MATCH, TYPE_MISMATCH } from './operator';
import { parseNumber } from './values';

function numericOperator(name: string, holds: (request: number, policy: number) => boolean): ConditionOperator {
  return defineOperator<number | undefined>({
    name,
    negated: false,
    variables: false,
    compile: (raw) => parseNumber(raw),
    test(policy, entry, index) {
      const request = entry.number(index);
      if (policy === undefined || request === undefined) return TYPE_MISMATCH;
      return holds(request, policy) ? MATCH : NO_MATCH;
    },
  });
}

export const NumericEquals = numericOperator('NumericEquals', (r, p) => r === p);
export const NumericNotEquals = negate(NumericEquals, 'NumericNotEquals');
export const NumericLessThan = numericOperator('NumericLessThan', (r, p) => r < p);
export const NumericLessThanEquals = numericOperator('NumericLessThanEquals', (r, p) => r <= p);
export const NumericGreaterThan = numericOperator('NumericGreaterThan', (r, p) => r > p);
export const NumericGreaterThanEquals = numericOperator('NumericGreaterThanEquals', (r, p) => r >= p);
