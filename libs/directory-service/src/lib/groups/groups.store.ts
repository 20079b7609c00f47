import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MembershipEntity } from '../memberships/membership.entity';
import { GroupEntity } from './group.entity';

/** How a read locks the group's row: for a change of it, or only against its deletion. */
export type GroupLock = 'update' | 'share';


/** The fields of a group the decision path and the other services read. */
export type GroupRefRow = Pick<GroupEntity, 'groupId' | 'name' | 'path'>;

/**
 * Groups, by immutable id and by name regardless of case (`name_lower` is unique).
 *
 * - Not found: reads answer `null` (or leave the id out); the use case chooses the error.
 * - Ordering: listings by lower-cased name, the order the `Marker` of `ListGroups` follows;
 *   a group's members by user id; a user's groups by lower-cased name.
 * - Locking: {@link findByName} and {@link findById} with `update` take the row `FOR UPDATE`,
 *   with `share` `FOR SHARE` (an add of a member, so the group cannot be marked for deletion
 *   under it). Locks last until the caller's transaction ends. Creations are serialized by
 *   the caller with `lockGroupCount`, so the per-account quota is exact.
 * - Reads for other services ({@link groupsOfUser} and the like) are one query each, of
 *   committed state, with no cache.
 */
@Injectable()
export class GroupsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The group of that name regardless of case, read in `manager`'s transaction (locked when `lock` is given) or on its own. */
  async findByName(name: string, manager: EntityManager = this.db.manager, lock?: GroupLock): Promise<GroupEntity | null> {
    return manager.findOne(GroupEntity, { where: { nameLower: name.toLowerCase() }, ...lockOption(lock) });
  }

  async findById(groupId: string, manager: EntityManager = this.db.manager, lock?: GroupLock): Promise<GroupEntity | null> {
    return manager.findOne(GroupEntity, { where: { groupId }, ...lockOption(lock) });
  }

  async nameTaken(manager: EntityManager, nameLower: string): Promise<boolean> {
    return manager.existsBy(GroupEntity, { nameLower });
  }

  async count(manager: EntityManager): Promise<number> {
    return manager.count(GroupEntity);
  }

  /** Inserts the group; a name taken meanwhile is a unique violation. */
  async create(manager: EntityManager, group: GroupEntity): Promise<void> {
    await manager.insert(GroupEntity, group);
  }

  /** Renames or moves the group; a name taken is a unique violation. */
  async rename(manager: EntityManager, groupId: string, name: string, path: string): Promise<void> {
    await manager.update(GroupEntity, { groupId }, { name, nameLower: name.toLowerCase(), path });
  }

  /** Up to `limit` groups under `pathPrefix` whose lower-cased name comes after `after`. */
  async page(pathPrefix: string, after: string | undefined, limit: number): Promise<GroupEntity[]> {
    return this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .where('starts_with(g.path, :prefix)', { prefix: pathPrefix })
      .andWhere(after === undefined ? 'TRUE' : 'g.name_lower > :after', { after })
      .orderBy('g.name_lower', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Up to `limit` of the group's member ids that come after `after`. */
  async memberIds(groupId: string, after: string | undefined, limit: number): Promise<string[]> {
    const found = await this.db.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .select('m.user_id', 'userId')
      .where('m.group_id = :groupId', { groupId })
      .andWhere(after === undefined ? 'TRUE' : 'm.user_id > :after', { after })
      .orderBy('m.user_id', 'ASC')
      .limit(limit)
      .getRawMany<{ userId: string }>();
    return found.map((row) => row.userId);
  }

  async hasMembers(manager: EntityManager, groupId: string): Promise<boolean> {
    return manager.existsBy(MembershipEntity, { groupId });
  }

  /** Sets the group's delete mark. */
  async markForDelete(manager: EntityManager, groupId: string, deleteToken: string, deletingUntil: Date): Promise<void> {
    await manager.update(GroupEntity, { groupId }, { state: 'deleting', deleteToken, deletingUntil });
  }

  /** Lifts the delete mark, if it is still the one `deleteToken` set. */
  async unmarkForDelete(groupId: string, deleteToken: string): Promise<void> {
    await this.db.manager.update(GroupEntity, { groupId, deleteToken }, { state: 'active', deleteToken: null, deletingUntil: null });
  }

  async delete(manager: EntityManager, groupId: string): Promise<void> {
    await manager.delete(GroupEntity, { groupId });
  }

  /** The user's groups by lower-cased name: one indexed query (the decision path). */
  async groupsOfUser(userId: string): Promise<GroupRefRow[]> {
    return this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .innerJoin(MembershipEntity, 'm', 'm.group_id = g.group_id')
      .select(['g.groupId', 'g.name', 'g.path'])
      .where('m.user_id = :userId', { userId })
      .orderBy('g.name_lower')
      .getMany();
  }

  /** Each user's groups by lower-cased name, in one query. */
  async groupsOfUsers(userIds: readonly string[]): Promise<Array<GroupRefRow & { userId: string }>> {
    const found = await this.db.manager
      .createQueryBuilder(MembershipEntity, 'm')
      .innerJoin(GroupEntity, 'g', 'g.group_id = m.group_id')
      .select(['m.user_id AS "userId"', 'g.group_id AS "groupId"', 'g.name AS name', 'g.path AS path'])
      .where('m.user_id = ANY(CAST(:userIds AS text[]))', { userIds })
      .orderBy('m.user_id')
      .addOrderBy('g.name_lower')
      .getRawMany<GroupRefRow & { userId: string }>();
    return found;
  }

  /** Each existing group's member ids, in one query; a group with no members has an empty list, an unknown one none. */
  async membersOfGroups(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = await this.db.manager
      .createQueryBuilder(GroupEntity, 'g')
      .leftJoin(MembershipEntity, 'm', 'm.group_id = g.group_id')
      .select(['g.group_id AS "groupId"', 'm.user_id AS "userId"'])
      .where('g.group_id = ANY(CAST(:groupIds AS text[]))', { groupIds })
      .orderBy('g.group_id')
      .addOrderBy('m.user_id')
      .getRawMany<{ groupId: string; userId: string | null }>();
    const members = new Map<string, string[]>();
    for (const row of found) {
      const list = members.get(row.groupId) ?? [];
      if (row.userId !== null) list.push(row.userId);
      members.set(row.groupId, list);
    }
    return members;
  }
}

function lockOption(lock: GroupLock | undefined) {
  return lock ? { lock: { mode: lock === 'update' ? ('pessimistic_write' as const) : ('pessimistic_read' as const) } } : {};
}
