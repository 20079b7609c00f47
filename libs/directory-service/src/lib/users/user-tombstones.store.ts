import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { lockUser } from '../shared/locks';
import { UserTombstoneEntity } from './user-tombstone.entity';

/**
 * Tombstones of users whose delete has begun in identity, written with the database's clock
 * (microseconds), the one clock they are compared with.
 *
 * - Locking: {@link lock} serializes everything that adds memberships of a user with the begin
 *   of that user's delete (`AddUserToGroup`, `BeginUserDelete`, `CancelUserDelete` and the drop
 *   on `identity.user.deleted` all take it first). Held until the transaction ends.
 * - Not found: a user without a tombstone is not being deleted ({@link markedSince} answers `undefined`).
 * - Every method but {@link databaseTime} runs in the caller's transaction (`manager`).
 */
@Injectable()
export class UserTombstonesStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lock(manager: EntityManager, userId: string): Promise<void> {
    await lockUser(manager, userId);
  }

  /** The database's clock, with microseconds, as text. */
  async databaseTime(): Promise<string> {
    const [row]: Array<{ now: string }> = await this.db.manager.query('SELECT clock_timestamp()::text AS now');
    return row.now;
  }

  /** Whether the user's tombstone was written at or after `since` (a {@link databaseTime}); `undefined` when it has none. */
  async markedSince(manager: EntityManager, userId: string, since: string): Promise<boolean | undefined> {
    const found = await manager
      .createQueryBuilder(UserTombstoneEntity, 't')
      .select('t.marked_at >= CAST(:since AS timestamptz)', 'fresh')
      .where('t.user_id = :userId', { userId, since })
      .getRawOne<{ fresh: boolean }>();
    return found?.fresh;
  }

  /** Writes the tombstone, or renews it (a new delete has begun) when there is one. */
  async mark(manager: EntityManager, userId: string): Promise<void> {
    await this.insert(manager, userId).orUpdate(['marked_at'], ['user_id']).execute();
  }

  /** Writes the tombstone unless there is one (which keeps its time). */
  async markOnce(manager: EntityManager, userId: string): Promise<void> {
    await this.insert(manager, userId).orIgnore().execute();
  }

  /** Removes the tombstone; none is not an error. */
  async unmark(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(UserTombstoneEntity, { userId });
  }

  private insert(manager: EntityManager, userId: string) {
    return manager
      .createQueryBuilder()
      .insert()
      .into(UserTombstoneEntity)
      .values({ userId, markedAt: () => 'clock_timestamp()' });
  }
}
