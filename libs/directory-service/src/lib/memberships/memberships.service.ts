import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DirectoryEvents, GroupsPage, ListGroupsForUserRequest, MembershipRequest } from '@iam/contracts';
import { Clock, Listing } from '@iam/platform';
import { DataSource } from 'typeorm';
import { DIRECTORY_SETTINGS, DirectorySettings } from '../directory.options';
import { GroupEntity } from '../groups/group.entity';
import { isBeingDeleted, toGroup } from '../groups/group.view';
import { DirectoryErrors } from '../shared/errors';
import { DirectoryEventPublisher } from '../shared/event-publisher';
import { lockUser } from '../shared/locks';
import { IdentityUsers } from '../shared/neighbours';
import { MembershipEntity } from './membership.entity';

const USER_GROUPS = new Listing<[groupNameLower: string]>('user-groups', 1);

/** Use cases on memberships: add, remove, list a user's groups. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    const started = await this.databaseTime();
    const user = await this.identity.byName(request.UserName);
    if (user.State !== 'active') throw DirectoryErrors.noSuchUser(request.UserName);
    const now = this.clock.now();
    const group = await this.db.transaction(async (manager) => {
      await lockUser(manager, user.UserId);
      const tombstones: Array<{ fresh: boolean }> = await manager.query(
        'SELECT marked_at >= $2::timestamptz AS fresh FROM directory.user_tombstones WHERE user_id = $1',
        [user.UserId, started],
      );
      if (tombstones.length > 0) {
        if (tombstones[0].fresh) throw DirectoryErrors.noSuchUser(request.UserName);
        await manager.query('DELETE FROM directory.user_tombstones WHERE user_id = $1', [user.UserId]);
      }
      const found = await manager.findOne(GroupEntity, {
        where: { nameLower: request.GroupName.toLowerCase() },
        lock: { mode: 'pessimistic_read' },
      });
      if (!found) throw DirectoryErrors.noSuchGroup(request.GroupName);
      if (isBeingDeleted(found, now)) throw DirectoryErrors.groupBeingDeleted(found.name);
      if (await manager.existsBy(MembershipEntity, { groupId: found.groupId, userId: user.UserId })) return undefined;
      if ((await manager.countBy(MembershipEntity, { userId: user.UserId })) >= this.settings.groupsPerUser) {
        throw DirectoryErrors.groupsPerUser(this.settings.groupsPerUser);
      }
      await manager
        .createQueryBuilder()
        .insert()
        .into(MembershipEntity)
        .values({ groupId: found.groupId, userId: user.UserId, addedDate: now })
        .orIgnore()
        .execute();
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
    const group = await this.db.manager.findOneBy(GroupEntity, { nameLower: request.GroupName.toLowerCase() });
    if (!group) throw DirectoryErrors.noSuchGroup(request.GroupName);
    const user = await this.identity.byName(request.UserName);
    const removed: [unknown[], number] = await this.db.manager.query(
      'DELETE FROM directory.memberships WHERE group_id = $1 AND user_id = $2 RETURNING user_id',
      [group.groupId, user.UserId],
    );
    // AWS answers NoSuchEntity, naming the user, when the user is not a member.
    if (removed[1] === 0) throw DirectoryErrors.noSuchUser(request.UserName);
    await this.events.publish(DirectoryEvents.MembershipRemoved, { UserId: user.UserId, GroupId: group.groupId });
  }

  /** AWS `ListGroupsForUser`: the user's groups by name regardless of case. */
  async listForUser(request: ListGroupsForUserRequest): Promise<GroupsPage> {
    const query = USER_GROUPS.query(request);
    const user = await this.identity.byName(request.UserName);
    const rows = await this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .innerJoin(MembershipEntity, 'm', 'm.groupId = g.groupId')
      .where('m.userId = :userId', { userId: user.UserId })
      .andWhere(query.after === undefined ? 'TRUE' : 'g.nameLower > :after', { after: query.after?.[0] })
      .orderBy('g.nameLower', 'ASC')
      .limit(query.limit)
      .getMany();
    const { items, page } = USER_GROUPS.page(rows, query, (row) => [row.nameLower]);
    return { Groups: items.map((row) => toGroup(row, this.settings.accountId)), ...page };
  }

  /** The database's clock, with microseconds: the one clock tombstones are written with. */
  private async databaseTime(): Promise<string> {
    const [row]: Array<{ now: string }> = await this.db.manager.query('SELECT clock_timestamp()::text AS now');
    return row.now;
  }
}
