import type { Logger } from 'pino';
import { z } from 'zod';
import type { SignInRateLimits } from './auth/sign-in-limiter';
import type { DataPlaneOptions } from './data-plane/data-plane';
import { BusModuleOptions, BusTransport, Clock, CommonEnv, emptyAsUndefined, envInteger, HttpEnv } from '@iam/platform';

/** The environment the gateway reads. */
export const GatewayEnv = z.object({
  ...CommonEnv.shape,
  ...HttpEnv.shape,
  /** How far a SigV4 request date may be from the gateway's clock. */
  IAM_MAX_CLOCK_SKEW_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3600).default(900)),
  /**
   * Which proxies in front of the gateway may name the client in X-Forwarded-For (and the
   * protocol in X-Forwarded-Proto): empty for none (the default: the client address is the
   * TCP peer, so aws:SourceIp cannot be forged), `true` for any, a hop count, or
   * comma-separated addresses and CIDR ranges.
   */
  IAM_TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().regex(/^(true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'must be true, a hop count, or comma-separated addresses/CIDR ranges').optional()),
  /** The web console's build, served at /console/ (default: `console` beside the app's own folder in dist). */
  IAM_CONSOLE_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Sign-in attempts accepted per source (IPv4 address, IPv6 /64) per window, before any hashing; 0 for no limit. */
  IAM_SIGN_IN_RATE_PER_SOURCE: envInteger(0, 1_000_000, 30),
  /** Sign-in attempts accepted per user name per window; 0 for no limit. */
  IAM_SIGN_IN_RATE_PER_USER: envInteger(0, 1_000_000, 30),
  /** The window of both sign-in rate limits, in seconds. */
  IAM_SIGN_IN_RATE_WINDOW_SECONDS: envInteger(1, 86_400, 60),
  /**
   * `on` (the default): authenticate and decide from the data plane's coherent caches;
   * `off`: ask identity and authorization on every request.
   */
  IAM_GATEWAY_CACHE: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  /** The data plane's lease: the longest a narrowing change waits for a replica that does not answer. */
  IAM_GATEWAY_CACHE_LEASE_MS: envInteger(300, 60_000, 3_000),
  /** The longest the data plane keeps any entry, invalidated or not. */
  IAM_GATEWAY_CACHE_TTL_SECONDS: envInteger(1, 3_600, 30),
  /** Entries per data plane cache at most. */
  IAM_GATEWAY_CACHE_ENTRIES: envInteger(100, 10_000_000, 20_000),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export interface GatewayOptions {
  accountId: string;
  bus: BusModuleOptions;
  /** How long `/health` waits for each service. */
  healthTimeoutMs: number;
  /** How far a SigV4 request date may be from `clock` (AWS: 15 minutes). */
  maxClockSkewMs: number;
  /** The clock; the system clock unless given (specs). */
  clock?: Clock;
  /** Where the gateway logs (denials forced by failures, unexpected errors). */
  logger?: Logger;
  /** Fastify's `trustProxy`: which proxies may name the client (none unless given). */
  trustProxy?: boolean | number | string;
  /** The folder of the web console's build, served at `/console/`; none unless given. */
  consoleDir?: string;
  /** Sign-in rate limits (`DEFAULT_SIGN_IN_RATE_LIMITS` unless given). */
  signInLimits?: Partial<SignInRateLimits>;
  /** The data plane (authentication and decisions from coherent caches); none unless given. */
  cache?: DataPlaneOptions;
}

export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

export function gatewayOptions(env: GatewayEnv, transport: BusTransport): GatewayOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    bus: { transport, name: 'gateway', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    healthTimeoutMs: Math.min(env.IAM_BUS_TIMEOUT_MS, 2_000),
    maxClockSkewMs: env.IAM_MAX_CLOCK_SKEW_SECONDS * 1000,
    ...(env.IAM_TRUST_PROXY !== undefined ? { trustProxy: trustProxyOf(env.IAM_TRUST_PROXY) } : {}),
    ...(env.IAM_CONSOLE_DIR !== undefined ? { consoleDir: env.IAM_CONSOLE_DIR } : {}),
    ...(env.IAM_GATEWAY_CACHE === 'on'
      ? { cache: { leaseMs: env.IAM_GATEWAY_CACHE_LEASE_MS, ttlMs: env.IAM_GATEWAY_CACHE_TTL_SECONDS * 1000, capacity: env.IAM_GATEWAY_CACHE_ENTRIES } }
      : {}),
    signInLimits: {
      perSource: env.IAM_SIGN_IN_RATE_PER_SOURCE,
      perUserName: env.IAM_SIGN_IN_RATE_PER_USER,
      windowSeconds: env.IAM_SIGN_IN_RATE_WINDOW_SECONDS,
    },
  };
}

function trustProxyOf(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim()).join(',');
}
