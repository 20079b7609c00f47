import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DirectoryEvents, GroupsPage, ListGroupsForUserRequest, MembershipRequest } from '@iam/contracts';
import { Clock, Listing } from '@iam/platform';
import { DataSource } from 'typeorm';
import { DIRECTORY_SETTINGS, DirectorySettings } from '../directory.options';
import { GroupsStore } from '../groups/groups.store';
import { isBeingDeleted, toGroup } from '../groups/group.view';
import { DirectoryErrors } from '../shared/errors';
import { DirectoryEventPublisher } from '../shared/event-publisher';
import { IdentityUsers } from '../shared/neighbours';
import { UserTombstonesStore } from '../users/user-tombstones.store';
import { MembershipsStore } from './memberships.store';

const USER_GROUPS = new Listing<[groupNameLower: string]>('user-groups', 1);

/** Use cases on memberships: add, remove, list a user's groups. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: MembershipsStore,
    private readonly groups: GroupsStore,
    private readonly tombstones: UserTombstonesStore,
    @Inject(DIRECTORY_SETTINGS) private readonly settings: DirectorySettings,
    private readonly clock: Clock,
    private readonly events: DirectoryEventPublisher,
    private readonly identity: IdentityUsers,
  ) {}

  /**
   * AWS `AddUserToGroup`. The user is resolved with identity first, outside
   * any transaction; then one short transaction, serialized with
   * `BeginUserDelete` of the same user by the user's advisory lock, checks
   * the user's tombstone, the group, the groups-per-user quota, and inserts.
   *
   * A tombstone written after this add started (its delete began after
   * identity answered) refuses the add. An older tombstone with identity
   * answering `active` belongs to a delete that identity called off and
   * whose `CancelUserDelete` never arrived (identity marks the user
   * `deleting` before it calls `BeginUserDelete`); it is cleared.
   */
  async add(request: MembershipRequest): Promise<void> {
    const started = await this.tombstones.databaseTime();
    const user = await this.identity.byName(request.UserName);
    if (user.State !== 'active') throw DirectoryErrors.noSuchUser(request.UserName);
    const now = this.clock.now();
    const group = await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, user.UserId);
      const fresh = await this.tombstones.markedSince(manager, user.UserId, started);
      if (fresh === true) throw DirectoryErrors.noSuchUser(request.UserName);
      if (fresh === false) await this.tombstones.unmark(manager, user.UserId);
      const found = await this.groups.findByName(request.GroupName, manager, 'share');
      if (!found) throw DirectoryErrors.noSuchGroup(request.GroupName);
      if (isBeingDeleted(found, now)) throw DirectoryErrors.groupBeingDeleted(found.name);
      const standing = await this.store.standing(manager, found.groupId, user.UserId);
      if (standing.member) return undefined;
      if (standing.groups >= this.settings.groupsPerUser) {
        throw DirectoryErrors.groupsPerUser(this.settings.groupsPerUser);
      }
      await this.store.add(manager, { groupId: found.groupId, userId: user.UserId, addedDate: now });
      return found;
    });
    if (group) await this.events.publish(DirectoryEvents.MembershipAdded, { UserId: user.UserId, GroupId: group.groupId });
  }

  /**
   * AWS `RemoveUserFromGroup`. The delete is committed before the reply, and
   * every reader reads committed state, so the removal holds for every call
   * that starts after this one returned.
   */
  async remove(request: MembershipRequest): Promise<void> {
    const group = await this.groups.findByName(request.GroupName);
    if (!group) throw DirectoryErrors.noSuchGroup(request.GroupName);
    const user = await this.identity.byName(request.UserName);
    // AWS answers NoSuchEntity, naming the user, when the user is not a member.
    if (!(await this.store.remove(group.groupId, user.UserId))) throw DirectoryErrors.noSuchUser(request.UserName);
    await this.events.publish(DirectoryEvents.MembershipRemoved, { UserId: user.UserId, GroupId: group.groupId });
  }

  /** AWS `ListGroupsForUser`: the user's groups by name regardless of case. */
  async listForUser(request: ListGroupsForUserRequest): Promise<GroupsPage> {
    const query = USER_GROUPS.query(request);
    const user = await this.identity.byName(request.UserName);
    const rows = await this.store.groupsOfUser(user.UserId, query.after?.[0], query.limit);
    const { items, page } = USER_GROUPS.page(rows, query, (row) => [row.nameLower]);
    return { Groups: items.map((row) => toGroup(row, this.settings.accountId)), ...page };
  }
}
