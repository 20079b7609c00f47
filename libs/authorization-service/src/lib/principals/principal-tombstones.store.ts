import { Injectable } from '@nestjs/common';
import { PrincipalRef } from '@iam/contracts';
import { EntityManager } from 'typeorm';
import { PrincipalTombstoneEntity } from './principal-tombstone.entity';

/**
 * Which principals are being deleted, and the lock that orders everything that changes which
 * policies a principal has.
 *
 * - Locking: {@link lock} takes a transaction-scoped advisory lock on the principal id; attach,
 *   put-inline, begin-delete, cancel and cleanup all take it first, so a tombstone written by one
 *   is seen by the next. Released at commit or rollback.
 * - Not found: none; a principal without a tombstone is simply not being deleted.
 * - Every method runs in the caller's transaction (`manager`).
 */
@Injectable()
export class PrincipalTombstonesStore {
  /** Serializes, for the rest of the transaction, every change of the principal's policies. */
  async lock(manager: EntityManager, principalId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`authorization.principal:${principalId}`]);
  }

  /** Whether a delete of the principal has begun. */
  async isTombstoned(manager: EntityManager, principalId: string): Promise<boolean> {
    return manager.existsBy(PrincipalTombstoneEntity, { principalId });
  }

  /** Marks the principal as being deleted; marking it again changes nothing (the first date stays). */
  async mark(manager: EntityManager, ref: PrincipalRef, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(PrincipalTombstoneEntity)
      .values({ principalId: ref.PrincipalId, principalType: ref.PrincipalType, createDate: now })
      .orIgnore()
      .execute();
  }

  /** Lifts the mark (a delete that did not go ahead); none is not an error. */
  async unmark(manager: EntityManager, principalId: string): Promise<void> {
    await manager.delete(PrincipalTombstoneEntity, { principalId });
  }
}
