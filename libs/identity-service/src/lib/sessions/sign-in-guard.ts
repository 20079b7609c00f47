import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_SIGN_IN_PROTECTION, IDENTITY_OPTIONS, IdentityServiceOptions, SignInProtection } from '../identity.options';
import { lockoutSeconds } from './lockout';

/**
 * Counts failed sign-ins per user and per source address in the database
 * (so every replica sees the same counts) and locks a subject for a growing
 * while after every `userFailures` / `addressFailures` consecutive failures.
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

  /** Is any of `subjects` locked at `now`? */
  async isLocked(subjects: string[], now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM identity.sign_in_failures WHERE subject = ANY($1) AND locked_until > $2 LIMIT 1',
      [subjects, now],
    );
    return rows.length > 0;
  }

  /** Counts one failure for each subject and locks those that reached a multiple of their threshold. */
  async recordFailure(subjects: Array<{ subject: string; kind: 'user' | 'address' }>, now: Date): Promise<void> {
    const forgetBefore = new Date(now.getTime() - this.protection.failureResetSeconds * 1000);
    for (const { subject, kind } of subjects) {
      const rows: Array<{ failures: number }> = await this.dataSource.query(
        `INSERT INTO identity.sign_in_failures AS f (subject, failures, last_failure, locked_until)
         VALUES ($1, 1, $2, NULL)
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN f.last_failure < $3 THEN 1 ELSE f.failures + 1 END,
           last_failure = $2
         RETURNING failures`,
        [subject, now, forgetBefore],
      );
      const threshold = kind === 'user' ? this.protection.userFailures : this.protection.addressFailures;
      const seconds = lockoutSeconds(rows[0].failures, threshold, this.protection);
      if (seconds > 0) {
        await this.dataSource.query('UPDATE identity.sign_in_failures SET locked_until = $2 WHERE subject = $1', [
          subject,
          new Date(now.getTime() + seconds * 1000),
        ]);
      }
    }
  }

  /** Forgets a subject's failures and lockout (a successful sign-in, an administrator's reset). */
  async clear(subject: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query('DELETE FROM identity.sign_in_failures WHERE subject = $1', [subject]);
  }

  /** Drops counters nobody needs any more. */
  async forgetStale(now: Date): Promise<void> {
    const forgetBefore = new Date(now.getTime() - this.protection.failureResetSeconds * 1000);
    await this.dataSource.query(
      'DELETE FROM identity.sign_in_failures WHERE last_failure < $1 AND (locked_until IS NULL OR locked_until < $2)',
      [forgetBefore, now],
    );
  }
}
