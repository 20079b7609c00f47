/**
 * `Null` (IAM User Guide, "Condition operator to check existence of condition keys"):
 * "use either true (the key doesn't exist — it is null) or false (the key exists and its
 * value is not null)". It tests presence only, takes no `IfExists` and no policy
 * variables. A value other than true/false (any letter case) never matches.
 */
import { defineOperator, NO_MATCH } from './operator';
import { parseBoolean } from './values';

export const Null = defineOperator<boolean | undefined>({
  name: 'Null',
  negated: false,
  variables: false,
  presenceOnly: true,
  /** `true` expects the key to be absent. */
  compile: (raw) => parseBoolean(raw),
  // Presence is decided in condition.ts; values are never compared.
  test: () => NO_MATCH,
});
