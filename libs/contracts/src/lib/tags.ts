import { MAX_TAGS, type Tag } from './common';
import { Errors } from './errors';

/**
 * How an entity's tag keys compare, as AWS compares them (LocalStack's snapshots of AWS's
 * answers): a user's keys regardless of case (`Dept` and `DEPT` are one tag, written with
 * the case last given); a customer managed policy's exactly (`a` and `A` are two tags).
 */
export type TagKeyCase = 'insensitive' | 'sensitive';

function keyOf(key: string, keyCase: TagKeyCase): string {
  return keyCase === 'insensitive' ? key.toLowerCase() : key;
}

/**
 * Refuses a request that names one key twice (as the entity compares keys): `InvalidInput`
 * "Duplicate tag keys found." (with AWS's note on case for case-insensitive keys).
 */
export function assertUniqueTagKeys(tags: readonly Tag[], keyCase: TagKeyCase): void {
  const keys = new Set(tags.map((tag) => keyOf(tag.Key, keyCase)));
  if (keys.size !== tags.length) throw Errors.duplicateTagKeys(keyCase);
}

/**
 * `existing` with `added` put in (`TagUser`, `TagPolicy`, and a creation's tags onto `[]`):
 * a key the entity has keeps its place and takes the new value (and the new case, when keys
 * are case-insensitive); new keys follow, in the request's order. Refuses duplicate keys in
 * `added`, and more than {@link MAX_TAGS} tags in all (`LimitExceeded`). Pure.
 */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[], keyCase: TagKeyCase): Tag[] {
  assertUniqueTagKeys(added, keyCase);
  const merged = existing.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  const at = new Map(merged.map((tag, index) => [keyOf(tag.Key, keyCase), index]));
  for (const tag of added) {
    const index = at.get(keyOf(tag.Key, keyCase));
    if (index === undefined) {
      at.set(keyOf(tag.Key, keyCase), merged.length);
      merged.push({ Key: tag.Key, Value: tag.Value });
    } else {
      merged[index] = { Key: tag.Key, Value: tag.Value };
    }
  }
  if (merged.length > MAX_TAGS) throw Errors.tagLimit();
  return merged;
}

/** `existing` without the tags whose keys are in `keys` (as the entity compares keys); absent keys are ignored. Pure. */
export function removeTags(existing: readonly Tag[], keys: readonly string[], keyCase: TagKeyCase): Tag[] {
  const removed = new Set(keys.map((key) => keyOf(key, keyCase)));
  return existing.filter((tag) => !removed.has(keyOf(tag.Key, keyCase)));
}
