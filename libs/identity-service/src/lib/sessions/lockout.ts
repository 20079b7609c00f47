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
  user: (name: string) => `user:${name.toLowerCase()}`,
  root: () => 'root',
  address: (ip: string) => `ip:${ip}`,
};
