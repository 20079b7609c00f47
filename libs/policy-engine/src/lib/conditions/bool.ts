/**
 * `Bool` (IAM User Guide, "Condition operators", Boolean): compares a key with `true` or
 * `false` (any letter case). The condition operator page allows policy variables here.
 */
import { compilePattern, LIT, Pattern } from '../pattern/pattern';
import { resolveVariables } from '../pattern/variables';
import { defineOperator, MATCH, NO_MATCH, TYPE_MISMATCH, UNRESOLVED } from './operator';
import { parseBoolean } from './values';

type BoolValue = boolean | undefined | Pattern;

export const Bool = defineOperator<BoolValue>({
  name: 'Bool',
  negated: false,
  variables: true,
  compile(raw, variables) {
    if (variables && raw.includes('${')) {
      const pattern = compilePattern(raw, { wildcards: false, variables: true, arn: 'none', ignoreCase: true });
      if (pattern.vars.length > 0) return pattern;
      return parseBoolean(pattern.tokens.map((t) => t.text).join(''));
    }
    return parseBoolean(raw);
  },
  test(policy, entry, index, ctx) {
    let expected: boolean | undefined;
    if (typeof policy === 'object') {
      const values = resolveVariables(policy.vars, ctx, true);
      if (values === null) return UNRESOLVED;
      let text = '';
      for (const t of policy.tokens) text += t.kind === LIT ? t.text : values[t.varIndex];
      expected = parseBoolean(text);
    } else {
      expected = policy;
    }
    const actual = parseBoolean(entry.value(index));
    if (expected === undefined || actual === undefined) return TYPE_MISMATCH;
    return expected === actual ? MATCH : NO_MATCH;
  },
});
