import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tag, UserNameKey } from '@iam/contracts';
import { DataSource, EntityManager, In } from 'typeorm';
import { UserEntity, UserState } from './user.entity';

/** What a listing in name order reads of a user. */
export type UserInNameOrder = Pick<UserEntity, 'userId' | 'name' | 'nameLower' | 'path'>;

/**
 * The account's users, by immutable id or by name regardless of case (`name_lower`, unique).
 *
 * - Not found: reads and locks answer `null`, {@link byIds} leaves unknown ids out; the use case
 *   chooses the error; {@link inNameOrder} leaves unknown ids out and {@link unknown} names
 *   them. {@link add} and {@link rename} let a name taken already fail as a unique
 *   violation, which the use case answers as AWS does.
 * - Ordering: {@link page} by lower-cased name, the order the `Marker` of ListUsers follows;
 *   {@link inNameOrder} by `name_lower` (unique, `COLLATE "C"`), then `user_id` by code point:
 *   the order of the who-can view's `Marker`; otherwise none.
 * - Locking: {@link lockByName} and {@link lockById} read the row `FOR UPDATE` until the caller's
 *   transaction ends. Every change of a user's credentials, tags, name or state takes this lock
 *   first, before any other row of the user, so concurrent changes of one user queue on it.
 *   {@link reactivate} is one conditional `UPDATE` without a lock.
 */
@Injectable()
export class UsersStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byName(name: string): Promise<UserEntity | null> {
    return this.db.manager.findOneBy(UserEntity, { nameLower: name.toLowerCase() });
  }

  async byId(userId: string): Promise<UserEntity | null> {
    return this.db.manager.findOneBy(UserEntity, { userId });
  }

  /** The users of `userIds` that exist, in no particular order. */
  async byIds(userIds: readonly string[]): Promise<UserEntity[]> {
    return this.db.manager.findBy(UserEntity, { userId: In([...userIds]) });
  }

  /** How many users the account has (those being deleted included), in one `count(*)`. */
  async count(): Promise<number> {
    return this.db.manager.count(UserEntity);
  }

  /** Up to `limit` users whose path starts with `pathPrefix` and whose lower-cased name comes after `after`. */
  async page(pathPrefix: string, after: string | undefined, limit: number): Promise<UserEntity[]> {
    const query = this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .where('starts_with(u.path, :prefix)', { prefix: pathPrefix })
      .orderBy('u.nameLower')
      .limit(limit);
    if (after !== undefined) query.andWhere('u.name_lower > :after', { after });
    return query.getMany();
  }

  /** The user by name regardless of case, locked `FOR UPDATE` in `manager`'s transaction. */
  async lockByName(manager: EntityManager, name: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { nameLower: name.toLowerCase() }, lock: { mode: 'pessimistic_write' } });
  }

  /** The user by id, locked `FOR UPDATE` in `manager`'s transaction. */
  async lockById(manager: EntityManager, userId: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { userId }, lock: { mode: 'pessimistic_write' } });
  }

  async add(user: UserEntity): Promise<void> {
    await this.db.manager.insert(UserEntity, user);
  }

  async rename(manager: EntityManager, userId: string, to: { name: string; path: string }): Promise<void> {
    await manager.update(UserEntity, { userId }, { name: to.name, nameLower: to.name.toLowerCase(), path: to.path });
  }

  async setTags(manager: EntityManager, userId: string, tags: Tag[]): Promise<void> {
    await manager.update(UserEntity, { userId }, { tags });
  }

  async setState(manager: EntityManager, userId: string, state: UserState): Promise<void> {
    await manager.update(UserEntity, { userId }, { state });
  }

  /** Sets a user being deleted back to `active`; a user in any other state is left as it is. */
  async reactivate(userId: string): Promise<void> {
    await this.db.manager.update(UserEntity, { userId, state: 'deleting' }, { state: 'active' });
  }

  /** Records a console sign-in of the user at `at`. */
  async recordSignIn(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await manager.update(UserEntity, { userId }, { passwordLastUsed: at });
  }

  async remove(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(UserEntity, { userId });
  }

  /**
   * At most `limit` users after `after` in name order, of `userIds` only when given. Walks the
   * `name_lower` index from `after` (the id only breaks ties, which the unique name leaves to
   * rows renamed between two pages); with ids, PostgreSQL picks between that walk and the ids'
   * primary-key lookups.
   */
  async inNameOrder(query: { after?: UserNameKey; userIds?: readonly string[]; limit: number }): Promise<UserInNameOrder[]> {
    const select = this.db.manager
      .createQueryBuilder(UserEntity, 'u')
      .select(['u.userId', 'u.name', 'u.nameLower', 'u.path'])
      .orderBy('u.name_lower')
      .addOrderBy('u.user_id COLLATE "C"')
      .limit(query.limit);
    if (query.after !== undefined) {
      select.andWhere('u.name_lower >= :nameLower AND (u.name_lower > :nameLower OR u.user_id COLLATE "C" > :userId)', {
        nameLower: query.after.NameLower,
        userId: query.after.UserId,
      });
    }
    if (query.userIds !== undefined) select.andWhere('u.user_id = ANY(:userIds)', { userIds: [...new Set(query.userIds)] });
    return select.getMany();
  }

  /** Of `userIds`, those no user has, in the order given. One statement: TypeORM has no words for an anti-join on `unnest`. */
  async unknown(userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT t.id FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)
        WHERE NOT EXISTS (SELECT 1 FROM identity.users u WHERE u.user_id = t.id)
        ORDER BY t.n`,
      [userIds],
    );
    return rows.map((row) => row.id);
  }
}
