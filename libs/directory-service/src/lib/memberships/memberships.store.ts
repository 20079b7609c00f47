import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { GroupEntity } from '../groups/group.entity';
import { MembershipEntity } from './membership.entity';

/**
 * Memberships of users in groups, by immutable ids only.
 *
 * - Not found: {@link remove} answers `false`, reads answer empty; the use case chooses the error.
 * - Ordering: a user's groups by lower-cased name, the order the `Marker` of its listing follows.
 * - Locking: none of its own; adds run inside the caller's transaction under the user's lock
 *   (`UserTombstonesStore.lock`) with the group read `FOR SHARE`.
 */
@Injectable()
export class MembershipsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the user is in the group, and how many groups it is in, in one query. */
  async standing(manager: EntityManager, groupId: string, userId: string): Promise<{ member: boolean; groups: number }> {
    const row = await manager
      .createQueryBuilder(MembershipEntity, 'm')
      .select('count(*)::int', 'groups')
      .addSelect('coalesce(bool_or(m.group_id = :groupId), false)', 'member')
      .where('m.user_id = :userId', { userId, groupId })
      .getRawOne<{ groups: number; member: boolean }>();
    return { member: row?.member ?? false, groups: row?.groups ?? 0 };
  }

  /** How many groups the user is in. */
  async countOfUser(manager: EntityManager, userId: string): Promise<number> {
    return manager.countBy(MembershipEntity, { userId });
  }

  /** Adds the user to the group; a membership that exists already is left as it is. */
  async add(manager: EntityManager, membership: MembershipEntity): Promise<void> {
    await manager.createQueryBuilder().insert().into(MembershipEntity).values(membership).orIgnore().execute();
  }

  /** Removes the user from the group; `false` when it was not a member. */
  async remove(groupId: string, userId: string): Promise<boolean> {
    const result = await this.db.manager.delete(MembershipEntity, { groupId, userId });
    return (result.affected ?? 0) > 0;
  }

  /** Removes every membership of the user; the ids of the groups it was in. */
  async removeAllOf(manager: EntityManager, userId: string): Promise<string[]> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(MembershipEntity)
      .where('user_id = :userId', { userId })
      .returning('group_id')
      .execute();
    return (result.raw as Array<{ group_id: string }>).map((row) => row.group_id);
  }

  /** Up to `limit` of the user's groups whose lower-cased name comes after `after`. */
  async groupsOfUser(userId: string, after: string | undefined, limit: number): Promise<GroupEntity[]> {
    return this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .innerJoin(MembershipEntity, 'm', 'm.groupId = g.groupId')
      .where('m.userId = :userId', { userId })
      .andWhere(after === undefined ? 'TRUE' : 'g.nameLower > :after', { after })
      .orderBy('g.nameLower', 'ASC')
      .limit(limit)
      .getMany();
  }
}
