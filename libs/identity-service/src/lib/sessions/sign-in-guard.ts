import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SIGN_IN_PROTECTION, IDENTITY_OPTIONS, IdentityServiceOptions, SignInProtection } from '../identity.options';
import { signInLocks } from '@iam/platform';
import { admitAttempt, FailureCounter, Subjects } from './lockout';
import { SignInFailureEntity } from './sign-in-failure.entity';
import { SignInFailuresStore } from './sign-in-failures.store';

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
    private readonly failures: SignInFailuresStore,
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
      const user = await this.failures.lockPrincipal(manager, principal, now);
      const pair = await this.failures.find(manager, pairSubject);
      const admission = admitAttempt({ user: counterOf(user), pair: counterOf(pair) }, now, this.protection);
      if (!admission.admitted) return false;
      // A lock begins when this failure sets a lock end later than the one the counter had.
      const begins = (before: SignInFailureEntity | null, after: FailureCounter) =>
        after.lockedUntil !== null && after.lockedUntil.getTime() > now.getTime() && after.lockedUntil.getTime() !== (before?.lockedUntil ? before.lockedUntil.getTime() : 0);
      if (begins(user, admission.user)) signInLocks.inc({ scope: 'user' });
      if (begins(pair, admission.pair)) signInLocks.inc({ scope: 'source' });
      await this.failures.write(manager, principal, null, admission.user);
      await this.failures.write(manager, pairSubject, principal, admission.pair);
      return true;
    });
  }

  /** The password was right: forgets the user's streak and this source's (other sources keep theirs). */
  async succeeded(principal: string, source: string, manager?: EntityManager): Promise<void> {
    await this.failures.forget([principal, Subjects.pair(principal, source)], manager);
  }

  /** Forgets every counter and lockout of a user (an administrator's reset, a deleted user). */
  async clear(principal: string, manager?: EntityManager): Promise<void> {
    await this.failures.forgetPrincipal(principal, manager);
  }

  /** Drops counters nobody needs any more. */
  async forgetStale(now: Date): Promise<void> {
    const forgetBefore = new Date(now.getTime() - this.protection.failureResetSeconds * 1000);
    await this.failures.forgetStale(forgetBefore, now);
  }
}

function counterOf(row: SignInFailureEntity | null): FailureCounter | null {
  if (!row || (row.failures === 0 && row.lockedUntil === null)) return null;
  return { failures: row.failures, lastFailure: row.lastFailure, lockedUntil: row.lockedUntil, cleanPasses: row.cleanPasses };
}
