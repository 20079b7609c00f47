import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { SignInFailureEntity } from './sign-in-failure.entity';

/** A subject's counter as {@link SignInFailuresStore.write} stores it. */
export type FailureCounterRow = Pick<SignInFailureEntity, 'failures' | 'lastFailure' | 'lockedUntil' | 'cleanPasses'>;

/**
 * Failed sign-in counters, one row per subject: a user (`Subjects.user`, `Subjects.root`) or a
 * user from one source (`Subjects.pair`, whose `principal` is the user's subject).
 *
 * - Not found: {@link find} answers `null`; forgetting counters that are gone does nothing.
 * - Ordering: none.
 * - Locking: {@link lockPrincipal} creates the user's counter if missing and locks it
 *   `FOR UPDATE` until the caller's transaction ends; every attempt of one user queues on that
 *   row, taken before the pair's counter is read or either is written. A pair's counter is read
 *   without a lock (its writers hold the user's lock).
 */
@Injectable()
export class SignInFailuresStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The user's counter, created empty at `now` when missing, locked in `manager`'s transaction. */
  async lockPrincipal(manager: EntityManager, principal: string, now: Date): Promise<SignInFailureEntity | null> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(SignInFailureEntity)
      .values({ subject: principal, failures: 0, lastFailure: now, lockedUntil: null, principal: null, cleanPasses: 0 })
      .orIgnore()
      .updateEntity(false)
      .execute();
    return manager.findOne(SignInFailureEntity, { where: { subject: principal }, lock: { mode: 'pessimistic_write' } });
  }

  async find(manager: EntityManager, subject: string): Promise<SignInFailureEntity | null> {
    return manager.findOneBy(SignInFailureEntity, { subject });
  }

  /** Stores the subject's counter, creating it (with `principal`) when missing. */
  async write(manager: EntityManager, subject: string, principal: string | null, counter: FailureCounterRow): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(SignInFailureEntity)
      .values({ subject, principal, ...counter })
      .orUpdate(['failures', 'last_failure', 'locked_until', 'clean_passes'], ['subject'])
      .updateEntity(false)
      .execute();
  }

  /** Forgets the counters of `subjects`. */
  async forget(subjects: string[], manager: EntityManager = this.db.manager): Promise<void> {
    await manager.delete(SignInFailureEntity, { subject: In(subjects) });
  }

  /** Forgets the user's counter and every pair counter of the user. */
  async forgetPrincipal(principal: string, manager: EntityManager = this.db.manager): Promise<void> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(SignInFailureEntity)
      .where('subject = :principal OR principal = :principal', { principal })
      .execute();
  }

  /** Forgets counters whose last failure is before `before` and that hold no lock after `now`. */
  async forgetStale(before: Date, now: Date): Promise<void> {
    await this.db.manager
      .createQueryBuilder()
      .delete()
      .from(SignInFailureEntity)
      .where('last_failure < :before AND (locked_until IS NULL OR locked_until < :now)', { before, now })
      .execute();
  }
}
