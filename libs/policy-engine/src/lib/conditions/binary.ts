/**
 * `BinaryEquals` (IAM User Guide, "Condition operators", Binary): "compares the value of
 * the specified key byte for byte against a base-64 encoded representation of the binary
 * value in the policy". Request values of binary keys are base64 text too; both sides are
 * decoded and the bytes compared. No policy variables.
 */
import { defineOperator, MATCH, NO_MATCH, TYPE_MISMATCH } from './operator';
import { decodeBase64 } from './values';

export const BinaryEquals = defineOperator<string | undefined>({
  name: 'BinaryEquals',
  negated: false,
  variables: false,
  compile: (raw) => decodeBase64(raw),
  test(policy, entry, index) {
    const request = entry.binary(index);
    if (policy === undefined || request === undefined) return TYPE_MISMATCH;
    return policy === request ? MATCH : NO_MATCH;
  },
});
