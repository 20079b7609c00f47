import type { CompiledPolicy } from '../model';

/**
 * Context keys referenced by the policies: condition keys and the keys named by policy
 * variables (in 2012-10-17 policies), for `GetContextKeysForPrincipalPolicy` and
 * `GetContextKeysForCustomPolicy`. As written in the policy where each first appears,
 * de-duplicated without regard to case, in order of first appearance (policies in the
 * order given; within a statement, Resource variables before Condition keys).
 * `${*}`, `${?}` and `${$}` are characters, not keys.
 */
export function referencedContextKeys(policies: readonly CompiledPolicy[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of policies) {
    for (const key of p.contextKeys) {
      const lower = key.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      out.push(key);
    }
  }
  return out;
}
