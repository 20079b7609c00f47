/**
 * Date condition operators (IAM User Guide, "Condition operators", Date and time):
 * values in "one of the W3C implementations of the ISO 8601 date formats or in epoch
 * (UNIX) time"; no wildcards, no policy variables. Compared as instants, so an epoch
 * value and an ISO 8601 value of the same instant are equal.
 */
import { ConditionOperator, defineOperator, MATCH, negate, NO_MATCH, TYPE_MISMATCH } from './operator';
import { parseDate } from './values';

function dateOperator(name: string, holds: (request: number, policy: number) => boolean): ConditionOperator {
  return defineOperator<number | undefined>({
    name,
    negated: false,
    variables: false,
    compile: (raw) => parseDate(raw),
    test(policy, entry, index) {
      const request = entry.date(index);
      if (policy === undefined || request === undefined) return TYPE_MISMATCH;
      return holds(request, policy) ? MATCH : NO_MATCH;
    },
  });
}

export const DateEquals = dateOperator('DateEquals', (r, p) => r === p);
export const DateNotEquals = negate(DateEquals, 'DateNotEquals');
export const DateLessThan = dateOperator('DateLessThan', (r, p) => r < p);
export const DateLessThanEquals = dateOperator('DateLessThanEquals', (r, p) => r <= p);
export const DateGreaterThan = dateOperator('DateGreaterThan', (r, p) => r > p);
export const DateGreaterThanEquals = dateOperator('DateGreaterThanEquals', (r, p) => r >= p);
