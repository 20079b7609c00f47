import * as ipaddr from 'ipaddr.js';
import type { SignInProtection } from '../identity.options';

/**
 * Keycloak's temporary lockout: after every `threshold` consecutive failures
 * the subject waits `waitIncrement × (failures / threshold)` seconds, at most
 * `maxWait`. There is no permanent lockout. Pure.
 *
 * @returns seconds to lock for after the `failures`-th consecutive failure, 0 for none
 */
export function lockoutSeconds(failures: number, threshold: number, protection: Pick<SignInProtection, 'waitIncrementSeconds' | 'maxWaitSeconds'>): number {
  if (threshold <= 0 || failures <= 0 || failures % threshold !== 0) return 0;
  return Math.min(protection.waitIncrementSeconds * (failures / threshold), protection.maxWaitSeconds);
}

/** The failure counters a sign-in attempt touches. */
export const Subjects = {
  /** Every failure of one user, from any source. */
  user: (name: string) => `user:${name.toLowerCase()}`,
  root: () => 'root',
  /** Failures of one user (`Subjects.user`/`Subjects.root`) from one source (`sourceOf`). */
  pair: (principal: string, source: string) => `pair:${principal}|${source}`,
};

/**
 * Where an attempt comes from, as the lockout counts it: an IPv4 address as
 * such, an IPv6 address by its /64 (one subscriber's network: an attacker
 * holding a /64 must not get 2^64 fresh sources), an IPv4-mapped IPv6 address
 * as its IPv4 address. `address` must be a valid address.
 */
export function sourceOf(address: string): string {
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}

/** One counter of consecutive failures (a user's, or a user's from one source). */
export interface FailureCounter {
  failures: number;
  lastFailure: Date;
  lockedUntil: Date | null;
  /** Attempts let through from sources without recent failures during the current lock (user counters only). */
  cleanPasses: number;
}

export type Admission =
  | { admitted: false }
  | { admitted: true; user: FailureCounter; pair: FailureCounter };

/**
 * Decides whether one attempt (a user from a source) may have its password
 * checked, and counts it as a failure in advance, so that concurrent attempts
 * decided one after the other never let more than the threshold through: the
 * caller applies this under a lock of the user's counter and clears both
 * counters only when the password was right. Pure.
 *
 * - The pair (user, source) is locked after every `sourceFailures`
 *   consecutive failures: that is the brute-force limit of one source.
 * - The user is locked after every `userFailures` consecutive failures from
 *   any sources (a distributed guess). While it is, sources with failures of
 *   their own for this user are refused, but a source without any may still
 *   try, `cleanSourceAttempts` times per lock in all: an attacker cannot lock
 *   the real user out from the real user's own address.
 * - Refused attempts are not counted, so hammering a lock does not renew it.
 */
export function admitAttempt(
  current: { user: FailureCounter | null; pair: FailureCounter | null },
  now: Date,
  protection: SignInProtection,
): Admission {
  const user = live(current.user, now, protection);
  const pair = live(current.pair, now, protection);
  if (lockedAt(pair, now)) return { admitted: false };
  let cleanPasses = user?.cleanPasses ?? 0;
  if (user && lockedAt(user, now)) {
    if (pair && pair.failures > 0) return { admitted: false };
    if (cleanPasses >= protection.cleanSourceAttempts) return { admitted: false };
    cleanPasses++;
  }
  const pairFailures = (pair?.failures ?? 0) + 1;
  const userFailures = (user?.failures ?? 0) + 1;
  const pairLock = lockoutSeconds(pairFailures, protection.sourceFailures, protection);
  const userLock = lockoutSeconds(userFailures, protection.userFailures, protection);
  return {
    admitted: true,
    pair: {
      failures: pairFailures,
      lastFailure: now,
      lockedUntil: pairLock > 0 ? new Date(now.getTime() + pairLock * 1000) : (pair?.lockedUntil ?? null),
      cleanPasses: 0,
    },
    user: {
      failures: userFailures,
      lastFailure: now,
      lockedUntil: userLock > 0 ? new Date(now.getTime() + userLock * 1000) : (user?.lockedUntil ?? null),
      cleanPasses: userLock > 0 ? 0 : cleanPasses,
    },
  };
}

function lockedAt(counter: FailureCounter | null, now: Date): boolean {
  return counter?.lockedUntil != null && counter.lockedUntil.getTime() > now.getTime();
}

/** A counter whose streak is forgotten (and no longer locked) counts as none. */
function live(counter: FailureCounter | null, now: Date, protection: SignInProtection): FailureCounter | null {
  if (!counter) return null;
  const forgotten = counter.lastFailure.getTime() < now.getTime() - protection.failureResetSeconds * 1000;
  return forgotten && !lockedAt(counter, now) ? null : counter;
}
