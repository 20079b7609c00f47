import { Errors } from '@iam/contracts';
import * as ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** How many sign-in attempts the gateway accepts per window, before any password is hashed. */
export interface SignInRateLimits {
  /** Attempts per source (an IPv4 address, an IPv6 /64) per window; 0 for no limit. */
  perSource: number;
  /** Attempts per user name (root counts as one name) per window; 0 for no limit. */
  perUserName: number;
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_RATE_LIMITS: SignInRateLimits = { perSource: 30, perUserName: 30, windowSeconds: 60 };

/**
 * Rate limits on sign-in at the gateway (`rate-limiter-flexible`, in memory: each gateway
 * replica counts on its own). An attempt beyond either limit answers `Throttling` at once, never
 * reaching identity, so a flood costs no argon2 work; the limits recover by themselves at the
 * end of the window, unlike a lockout.
 */
export class SignInLimiter {
  private readonly perSource?: RateLimiterMemory;
  private readonly perUserName?: RateLimiterMemory;

  constructor(limits: SignInRateLimits) {
    if (limits.perSource > 0) this.perSource = new RateLimiterMemory({ keyPrefix: 'source', points: limits.perSource, duration: limits.windowSeconds });
    if (limits.perUserName > 0) this.perUserName = new RateLimiterMemory({ keyPrefix: 'user', points: limits.perUserName, duration: limits.windowSeconds });
  }

  /** Counts one attempt of `userName` (lower-cased; `root` for root) from `sourceIp`, or throws `Throttling`. */
  async consume(sourceIp: string, userName: string): Promise<void> {
    try {
      await this.perSource?.consume(signInSource(sourceIp));
      await this.perUserName?.consume(userName.toLowerCase());
    } catch (error) {
      if (error instanceof RateLimiterRes) throw Errors.throttling();
      throw error;
    }
  }
}

/** An IPv4 address as such, an IPv6 address by its /64 (as the identity service counts failures). */
export function signInSource(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}
