/**
 * ARN operators (IAM User Guide, "Condition operators", ARN): "Case-sensitive matching of
 * the ARN. Each of the six colon-delimited components of the ARN is checked separately and
 * each can include multi-character match wildcards (*) or single-character match
 * wildcards (?)". `ArnEquals` and `ArnLike` behave identically, as do `ArnNotEquals` and
 * `ArnNotLike`. Policy variables are allowed. A request value that is not an ARN cannot be
 * compared (neither operator form holds).
 */
import { compilePattern, matchPattern, Pattern } from '../pattern/pattern';
import { resolveVariables } from '../pattern/variables';
import { ConditionOperator, defineOperator, MATCH, negate, NO_MATCH, TYPE_MISMATCH, UNRESOLVED } from './operator';

/** The policy ARN, or `undefined` when it does not have six components. */
type ArnValue = Pattern | undefined;

function hasSixComponents(raw: string): boolean {
  // Count colons outside policy variables: `arn:aws:sns:${aws:region, 'x'}:...` has its own colons.
  let colons = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '$' && raw[i + 1] === '{') {
      const end = raw.indexOf('}', i + 2);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    if (raw[i] === ':') colons++;
  }
  return raw.startsWith('arn:') && colons >= 5;
}

function arnOperator(name: string): ConditionOperator {
  return defineOperator<ArnValue>({
    name,
    negated: false,
    variables: true,
    compile: (raw, variables) =>
      hasSixComponents(raw) ? compilePattern(raw, { wildcards: true, variables, arn: 'arnLike', ignoreCase: false }) : undefined,
    test(pattern, entry, index, ctx) {
      if (pattern === undefined || !entry.isArn(index)) return TYPE_MISMATCH;
      const input = entry.value(index);
      if (pattern.vars.length === 0) return matchPattern(pattern, input) ? MATCH : NO_MATCH;
      const values = resolveVariables(pattern.vars, ctx, false);
      if (values === null) return UNRESOLVED;
      return matchPattern(pattern, input, values) ? MATCH : NO_MATCH;
    },
  });
}

export const ArnLike = arnOperator('ArnLike');
export const ArnEquals = arnOperator('ArnEquals');
export const ArnNotLike = negate(ArnLike, 'ArnNotLike');
export const ArnNotEquals = negate(ArnEquals, 'ArnNotEquals');
