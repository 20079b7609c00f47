import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DirectoryEvents } from '@iam/contracts';
import { DataSource } from 'typeorm';
import { MembershipsStore } from '../memberships/memberships.store';
import { DirectoryEventPublisher } from '../shared/event-publisher';
import { UserTombstonesStore } from './user-tombstones.store';

/**
 * The directory's side of identity's `DeleteUser`: tombstones that refuse
 * adds of a user being deleted, and the drop of a deleted user's memberships.
 * Each step is one short transaction under the user's advisory lock, the
 * lock `AddUserToGroup` takes, so every add is either counted or refused.
 */
@Injectable()
export class UserDeletesService {
  private readonly logger = new Logger(UserDeletesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tombstones: UserTombstonesStore,
    private readonly memberships: MembershipsStore,
    private readonly events: DirectoryEventPublisher,
  ) {}

  /** Records (or renews) the tombstone and counts the memberships that remain. */
  async begin(userId: string): Promise<{ MembershipCount: number }> {
    return this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, userId);
      await this.tombstones.mark(manager, userId);
      return { MembershipCount: await this.memberships.countOfUser(manager, userId) };
    });
  }

  /** Removes the tombstone: the delete does not go ahead. */
  async cancel(userId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, userId);
      await this.tombstones.unmark(manager, userId);
    });
  }

  /**
   * The user is gone in identity: keep its tombstone for good and drop any
   * membership it still has (none, when the delete protocol was followed).
   * Idempotent; every replica receives the event and only the one whose
   * delete removed rows publishes their removal.
   */
  async dropDeletedUser(userId: string): Promise<void> {
    const dropped = await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, userId);
      await this.tombstones.markOnce(manager, userId);
      return this.memberships.removeAllOf(manager, userId);
    });
    if (dropped.length > 0) this.logger.warn(`Dropped ${dropped.length} membership(s) of deleted user ${userId}`);
    for (const groupId of dropped) {
      await this.events.publish(DirectoryEvents.MembershipRemoved, { UserId: userId, GroupId: groupId });
    }
  }
}
