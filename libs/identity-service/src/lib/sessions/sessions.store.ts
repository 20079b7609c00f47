import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SessionEntity } from './session.entity';

/**
 * Console sessions, keyed by the SHA-256 of their token.
 *
 * - Not found: ending a session that is gone does nothing.
 * - Ordering: none.
 * - Locking: none of its own; a user's sessions end in the caller's transaction, under the user's
 *   row lock where the use case takes it.
 */
@Injectable()
export class SessionsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Ends every console session of the user. */
  async endAllOf(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(SessionEntity, { userId });
  }
}
