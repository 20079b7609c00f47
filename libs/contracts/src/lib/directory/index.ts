import type { HealthReply } from '../common';
import { MessagesOf, NoInput, pattern, PayloadsOf, reply, requestSchemasOf, subjectsOf } from '../pattern';
import { GroupEvents, GroupPatterns } from './groups';
import { MembershipEvents, MembershipPatterns } from './memberships';
import { UserDeletePatterns } from './users';

export * from './groups';
export * from './memberships';
export * from './shared';
export * from './users';

/**
 * Directory: groups and memberships, keyed by immutable user and group ids.
 * Each feature declares its patterns in its own file, mirroring
 * `libs/directory-service/src/lib/<feature>`.
 *
 * A group holds users only. There is no operation that puts a group in a
 * group: every input that names a group is validated as a group name and
 * resolved among groups, every input that names a user is resolved among
 * identity's users.
 *
 * Names of groups are unique per account regardless of case and are looked
 * up regardless of case. Memberships store the user id and the group id only,
 * so renaming a user or a group changes no membership.
 *
 * Pagination follows AWS: pass the reply's `Marker` back as `Marker` while
 * `IsTruncated` is true. `MaxItems` is 1–1000, 100 by default. A marker is
 * opaque; one that this service did not issue is refused with `InvalidInput`.
 */
export const DirectoryContract = {
  Health: pattern('directory.health', NoInput, reply<HealthReply>()),
  ...GroupPatterns,
  ...MembershipPatterns,
  ...UserDeletePatterns,
} as const;

/**
 * Events of the directory service, published after commit to every replica
 * that subscribes (for caches elsewhere). A lost event loses no grant: the
 * decision path reads memberships with `GroupsOfUser`, never from a cache.
 */
export const DirectoryEventContract = { ...GroupEvents, ...MembershipEvents } as const;

export const DirectoryPatterns = subjectsOf(DirectoryContract);
export type DirectoryMessages = MessagesOf<typeof DirectoryContract>;
export const DirectoryRequests = requestSchemasOf(DirectoryContract);

export const DirectoryEvents = subjectsOf(DirectoryEventContract);
export type DirectoryEventMap = PayloadsOf<typeof DirectoryEventContract>;
