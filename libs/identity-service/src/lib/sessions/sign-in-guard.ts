import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SIGN_IN_PROTECTION, IDENTITY_OPTIONS, IdentityServiceOptions, SignInProtection } from '../identity.options';
import { signInLocks } from '@iam/platform';
import { admitAttempt, FailureCounter, Subjects } from './lockout';

interface CounterRow {
  failures: number;
  last_failure: Date;
  locked_until: Date | null;
  clean_passes: number;
}

/**
 * Counts password attempts per user and per (user, source) in the database,
 * so every replica sees the same counts, and decides whether an attempt may
 * have its password checked (`admitAttempt`). The decision and the count are
 * one transaction holding the user's counter row locked: the attempt is
 * counted as a failure before the password is verified, so a burst of
 * concurrent guesses never gets more than the threshold checked.
 */
@Injectable()
export class SignInGuard {
  readonly protection: SignInProtection;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IDENTITY_OPTIONS) options: IdentityServiceOptions,
  ) {
    this.protection = { ...DEFAULT_SIGN_IN_PROTECTION, ...options.signInProtection };
  }

  /**
   * Admits one attempt of `principal` (`Subjects.user`/`Subjects.root`) from
   * `source` (`sourceOf`), counting it as a failure in advance; false when a
   * lock refuses it (then nothing is counted).
   */
  async admit(principal: string, source: string, now: Date): Promise<boolean> {
    const pairSubject = Subjects.pair(principal, source);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO identity.sign_in_failures (subject, failures, last_failure, locked_until, principal, clean_passes)
         VALUES ($1, 0, $2, NULL, NULL, 0) ON CONFLICT (subject) DO NOTHING`,
        [principal, now],
      );
      const [user]: CounterRow[] = await manager.query(
        'SELECT failures, last_failure, locked_until, clean_passes FROM identity.sign_in_failures WHERE subject = $1 FOR UPDATE',
        [principal],
      );
      const [pair]: CounterRow[] = await manager.query(
        'SELECT failures, last_failure, locked_until, clean_passes FROM identity.sign_in_failures WHERE subject = $1',
        [pairSubject],
      );
      const admission = admitAttempt({ user: counterOf(user), pair: counterOf(pair) }, now, this.protection);
      if (!admission.admitted) return false;
      // A lock begins when this failure sets a lock end later than the one the counter had.
      const begins = (before: CounterRow | undefined, after: FailureCounter) =>
        after.lockedUntil !== null && after.lockedUntil.getTime() > now.getTime() && after.lockedUntil.getTime() !== (before?.locked_until ? new Date(before.locked_until).getTime() : 0);
      if (begins(user, admission.user)) signInLocks.inc({ scope: 'user' });
      if (begins(pair, admission.pair)) signInLocks.inc({ scope: 'source' });
      await this.write(manager, principal, null, admission.user);
      await this.write(manager, pairSubject, principal, admission.pair);
      return true;
    });
  }

  /** The password was right: forgets the user's streak and this source's (other sources keep theirs). */
  async succeeded(principal: string, source: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('DELETE FROM identity.sign_in_failures WHERE subject = ANY($1)', [[principal, Subjects.pair(principal, source)]]);
  }

  /** Forgets every counter and lockout of a user (an administrator's reset, a deleted user). */
  async clear(principal: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('DELETE FROM identity.sign_in_failures WHERE subject = $1 OR principal = $1', [principal]);
  }

  /** Drops counters nobody needs any more. */
  async forgetStale(now: Date): Promise<void> {
    const forgetBefore = new Date(now.getTime() - this.protection.failureResetSeconds * 1000);
    await this.dataSource.query(
      'DELETE FROM identity.sign_in_failures WHERE last_failure < $1 AND (locked_until IS NULL OR locked_until < $2)',
      [forgetBefore, now],
    );
  }

  private async write(manager: EntityManager, subject: string, principal: string | null, counter: FailureCounter): Promise<void> {
    await manager.query(
      `INSERT INTO identity.sign_in_failures AS f (subject, failures, last_failure, locked_until, principal, clean_passes)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (subject) DO UPDATE SET failures = $2, last_failure = $3, locked_until = $4, clean_passes = $6`,
      [subject, counter.failures, counter.lastFailure, counter.lockedUntil, principal, counter.cleanPasses],
    );
  }
}

function counterOf(row: CounterRow | undefined): FailureCounter | null {
  if (!row || (row.failures === 0 && row.locked_until === null)) return null;
  return { failures: row.failures, lastFailure: row.last_failure, lockedUntil: row.locked_until, cleanPasses: row.clean_passes };
}
