import { lockoutSeconds } from './lockout';

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
