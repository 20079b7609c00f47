/**
 * String condition operators (IAM User Guide, "Condition operators", String):
 * `StringEquals` exact and case-sensitive; `StringEqualsIgnoreCase` ignoring case;
 * `StringLike` case-sensitive with `*` and `?` wildcards anywhere; the `Not` forms negate.
 * All take policy variables.
 */
import { compilePattern, matchPattern, Pattern } from '../pattern/pattern';
import { resolveVariables } from '../pattern/variables';
import { ConditionOperator, defineOperator, MATCH, negate, NO_MATCH, UNRESOLVED } from './operator';

function stringOperator(name: string, wildcards: boolean, ignoreCase: boolean): ConditionOperator {
  return defineOperator<Pattern>({
    name,
    negated: false,
    variables: true,
    compile: (raw, variables) => compilePattern(raw, { wildcards, variables, arn: 'none', ignoreCase }),
    test(pattern, entry, index, ctx) {
      const input = ignoreCase ? entry.lower(index) : entry.value(index);
      if (pattern.vars.length === 0) return matchPattern(pattern, input) ? MATCH : NO_MATCH;
      const values = resolveVariables(pattern.vars, ctx, ignoreCase);
      if (values === null) return UNRESOLVED;
      return matchPattern(pattern, input, values) ? MATCH : NO_MATCH;
    },
  });
}

export const StringEquals = stringOperator('StringEquals', false, false);
export const StringNotEquals = negate(StringEquals, 'StringNotEquals');
export const StringEqualsIgnoreCase = stringOperator('StringEqualsIgnoreCase', false, true);
export const StringNotEqualsIgnoreCase = negate(StringEqualsIgnoreCase, 'StringNotEqualsIgnoreCase');
export const StringLike = stringOperator('StringLike', true, false);
export const StringNotLike = negate(StringLike, 'StringNotLike');
