import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PasswordHistoryEntity } from './password-history.entity';

/**
 * The hashes of the passwords each user had, for `PasswordReusePrevention`.
 *
 * - Not found: a user without history reads as empty.
 * - Ordering: newest first, by id (ids grow with every password set).
 * - Locking: none of its own; {@link add} and {@link keepLatest} run in the caller's transaction
 *   under the user's row lock, so two changes of one user's password never trim each other's.
 */
@Injectable()
export class PasswordHistoryStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The user's `count` latest password hashes, newest first. */
  async latest(userId: string, count: number): Promise<PasswordHistoryEntity[]> {
    return this.db.manager.find(PasswordHistoryEntity, { where: { userId }, order: { id: 'DESC' }, take: count });
  }

  async add(manager: EntityManager, entry: Omit<PasswordHistoryEntity, 'id'>): Promise<void> {
    await manager.insert(PasswordHistoryEntity, entry);
  }

  /** Forgets all but the user's `count` latest password hashes. */
  async keepLatest(manager: EntityManager, userId: string, count: number): Promise<void> {
    const latest = manager
      .createQueryBuilder()
      .subQuery()
      .select('h.id')
      .from(PasswordHistoryEntity, 'h')
      .where('h.user_id = :userId')
      .orderBy('h.id', 'DESC')
      .limit(count)
      .getQuery();
    await manager
      .createQueryBuilder()
      .delete()
      .from(PasswordHistoryEntity)
      .where('user_id = :userId', { userId })
      .andWhere(`id NOT IN ${latest}`)
      .execute();
  }
}
