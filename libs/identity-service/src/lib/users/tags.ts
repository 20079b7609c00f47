import type { Tag } from '@iam/contracts';
import { MAX_TAGS } from '@iam/contracts';
import { IdentityErrors } from '../shared/errors';

/**
 * Tag rules for users, as AWS applies them: keys are compared regardless of
 * case (case is preserved as last written), at most 50 tags. Pure.
 */
const keyOf = (key: string) => key.toLowerCase();

/** Refuses a request that names one key twice (regardless of case). */
export function assertUniqueKeys(tags: readonly Tag[]): void {
  const keys = new Set(tags.map((tag) => keyOf(tag.Key)));
  if (keys.size !== tags.length) throw IdentityErrors.duplicateTagKeys();
}

/** `existing` with `added` put in: a matching key is replaced in place, new keys are appended. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  assertUniqueKeys(added);
  const merged = existing.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const at = merged.findIndex((current) => keyOf(current.Key) === keyOf(tag.Key));
    if (at === -1) merged.push({ Key: tag.Key, Value: tag.Value });
    else merged[at] = { Key: tag.Key, Value: tag.Value };
  }
  if (merged.length > MAX_TAGS) throw IdentityErrors.tagLimit();
  return merged;
}

/** `existing` without the tags whose keys are in `keys` (regardless of case). */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map(keyOf));
  return existing.filter((tag) => !removed.has(keyOf(tag.Key)));
}

/** Tags in listing order: by key regardless of case, then by key. */
export function sortedTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => compare(keyOf(a.Key), keyOf(b.Key)) || compare(a.Key, b.Key));
}

export function tagSortKey(tag: Tag): string {
  return keyOf(tag.Key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
