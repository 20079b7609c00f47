import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { UserNameKey } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { UserEntity } from './user.entity';

/** What a listing in name order reads of a user. */
export type UserInNameOrder = Pick<UserEntity, 'userId' | 'name' | 'nameLower' | 'path'>;

/**
 * Users read in bulk for other services (the who-can view).
 *
 * - Not found: unknown ids are left out of {@link inNameOrder} and are what {@link unknown} answers.
 * - Ordering: {@link inNameOrder} by `name_lower` (unique, `COLLATE "C"`), then `user_id` by
 *   code point: the order of the who-can view's `Marker`.
 * - Locking: none; each read is one statement of committed state.
 */
@Injectable()
export class UsersStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
