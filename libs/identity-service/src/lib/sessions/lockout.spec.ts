import { DEFAULT_SIGN_IN_PROTECTION, SignInProtection } from '../identity.options';
import { admitAttempt, FailureCounter, lockoutSeconds, sourceOf } from './lockout';

const protection = { waitIncrementSeconds: 60, maxWaitSeconds: 900 };

describe('temporary lockout (Keycloak style)', () => {
  it('locks after every threshold-th consecutive failure, for a growing while', () => {
    const waits = Array.from({ length: 20 }, (_, i) => lockoutSeconds(i + 1, 5, protection));
    expect(waits).toEqual([0, 0, 0, 0, 60, 0, 0, 0, 0, 120, 0, 0, 0, 0, 180, 0, 0, 0, 0, 240]);
  });

  it('never locks for longer than the maximum, and never permanently', () => {
    expect(lockoutSeconds(500, 5, protection)).toBe(900);
    expect(Number.isFinite(lockoutSeconds(5_000_000, 5, protection))).toBe(true);
  });

  it('does not lock without failures or with a threshold of 0', () => {
    expect(lockoutSeconds(0, 5, protection)).toBe(0);
    expect(lockoutSeconds(5, 0, protection)).toBe(0);
  });
});

describe('the source an attempt is counted under', () => {
  it('keeps IPv4 addresses apart and reads IPv4-mapped IPv6 as IPv4', () => {
    expect(sourceOf('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceOf('192.0.2.2')).not.toBe(sourceOf('192.0.2.1'));
  });

  it('aggregates IPv6 per /64, however the address is written', () => {
    expect(sourceOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe(sourceOf('2001:db8:1:2::1'));
    expect(sourceOf('2001:0db8:0001:0002:0:0:0:7')).toBe(sourceOf('2001:db8:1:2::1'));
    expect(sourceOf('2001:db8:1:3::1')).not.toBe(sourceOf('2001:db8:1:2::1'));
  });
});

describe('admitting an attempt', () => {
  const policy: SignInProtection = { ...DEFAULT_SIGN_IN_PROTECTION };
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  /** Replays attempts (all failing) from the given sources, as the guard would store them. */
  function replay(sources: string[], now: Date, start: Record<string, FailureCounter | null> = {}) {
    const state: Record<string, FailureCounter | null> = { ...start };
    const admitted: boolean[] = [];
    for (const source of sources) {
      const admission = admitAttempt({ user: state['user'] ?? null, pair: state[source] ?? null }, now, policy);
      admitted.push(admission.admitted);
      if (admission.admitted) {
        state['user'] = admission.user;
        state[source] = admission.pair;
      }
    }
    return { admitted, state };
  }

  it('admits the threshold of one source and refuses the rest without counting them', () => {
    const { admitted, state } = replay(Array(25).fill('A'), t0);
    expect(admitted.filter(Boolean)).toHaveLength(5);
    expect(admitted.slice(0, 5).every(Boolean)).toBe(true);
    expect(state['A']).toMatchObject({ failures: 5, lockedUntil: at(60) });
    expect(state['user']).toMatchObject({ failures: 5, lockedUntil: null });
  });

  it('lets a source without failures through while the user is locked, a few times per lock', () => {
    // Ten failures from two sources lock the user.
    const { state } = replay([...Array(5).fill('A'), ...Array(5).fill('B')], t0);
    expect(state['user']?.lockedUntil).toEqual(at(60));
    // A and B are refused; clean sources C, D, E pass; F finds the budget spent.
    const next = replay(['A', 'B', 'C', 'D', 'E', 'F'], at(1), state);
    expect(next.admitted).toEqual([false, false, true, true, true, false]);
    // A clean source that failed is no longer clean.
    const again = admitAttempt({ user: next.state['user'] ?? null, pair: next.state['C'] ?? null }, at(2), policy);
    expect(again.admitted).toBe(false);
  });

  it('ends every lock after its wait and forgets a streak after failureResetSeconds', () => {
    const { state } = replay(Array(5).fill('A'), t0);
    expect(admitAttempt({ user: state['user'] ?? null, pair: state['A'] ?? null }, at(59), policy).admitted).toBe(false);
    const later = admitAttempt({ user: state['user'] ?? null, pair: state['A'] ?? null }, at(60), policy);
    expect(later).toMatchObject({ admitted: true, pair: { failures: 6 } });
    const forgotten = admitAttempt({ user: state['user'] ?? null, pair: state['A'] ?? null }, at(12 * 3600 + 1), policy);
    expect(forgotten).toMatchObject({ admitted: true, pair: { failures: 1 }, user: { failures: 1 } });
  });
});
