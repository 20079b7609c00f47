import type { Tag } from '@iam/contracts';

/**
 * `ListUserTags`' order: by key regardless of case, then by key as written (keys are unique
 * regardless of case, so the first part alone orders them). AWS documents the list as "sorted
 * by tag key" and answers `Environment` before `Team` (not by length first, as it lists a
 * policy's tags); how it orders keys that differ from each other in case is not recorded.
 * The merging rules are the contracts' (`mergeTags`, keys regardless of case). Pure.
 */
export function sortedTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => compare(tagSortKey(a), tagSortKey(b)) || compare(a.Key, b.Key));
}

/** The listing key of a tag: its key in lower case. */
export function tagSortKey(tag: Tag): string {
  return tag.Key.toLowerCase();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
