import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseAccess, DatabaseEnv, envInteger, SecretsEnv } from '@iam/platform';


/** The environment the identity service reads. */
export const IdentityEnv = z.object({
  ...CommonEnv.shape,
  ...DatabaseEnv.shape,
  ...SecretsEnv.shape,
  /**
   * The master key being rotated away from (32 bytes, base64): secrets under
   * it stay readable until `rotate-master-key` re-encrypted them.
   */
  IAM_MASTER_KEY_PREVIOUS: SecretsEnv.shape.IAM_MASTER_KEY,
  /** Lifetime of a console session, in seconds (5 minutes to 12 hours; 1 hour by default). */
  IAM_SESSION_TTL_SECONDS: envInteger(300, 43_200, 3_600),
  /** Password hashes and verifications run at once; 0 (the default) for one per core. */
  IAM_PASSWORD_WORK_CONCURRENCY: envInteger(0, 256, 0),
  /** How many more may wait before sign-ins and password changes answer `Throttling`; 0 (the default) for twice the concurrency. */
  IAM_PASSWORD_WORK_QUEUE: envInteger(0, 10_000, 0),
});
export type IdentityEnv = z.infer<typeof IdentityEnv>;

/** argon2id parameters; OWASP's minimum for argon2id is m=19456 KiB, t=2, p=1. */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Brute-force protection of console sign-in: Keycloak's temporary lockout,
 * counted per (user, source) so that an attacker cannot lock the real user out
 * (see `admitAttempt` in `sessions/lockout.ts`).
 */
export interface SignInProtection {
  /** Every this many consecutive failures of one user from one source (IPv4 address, IPv6 /64), that pair is locked for a while. */
  sourceFailures: number;
  /** Every this many consecutive failures of one user from any sources, the user is locked for a while for sources with failures. */
  userFailures: number;
  /** While a user is locked, this many attempts in all may come from sources without failures of their own. */
  cleanSourceAttempts: number;
  /** The n-th lockout of a streak lasts n × this. */
  waitIncrementSeconds: number;
  /** No lockout lasts longer; there is no permanent lockout. */
  maxWaitSeconds: number;
  /** A streak of failures is forgotten this long after its last failure. */
  failureResetSeconds: number;
}

export interface IdentityServiceOptions {
  accountId: string;
  database: DatabaseAccess;
  bus: BusModuleOptions;
  root: { accessKeyId?: string; secretAccessKey?: string; password?: string };
  /** 32 bytes, base64: encrypts new secret access keys. */
  masterKey?: string;
  /** 32 bytes, base64: a key still accepted for reading while it is rotated away. */
  previousMasterKey?: string;
  /** Lifetime of a console session; 3600 seconds unless given. */
  sessionTtlSeconds?: number;
  signInProtection?: Partial<SignInProtection>;
  argon2?: Partial<Argon2Parameters>;
  /**
   * How many password hashes and verifications run at once (argon2id is
   * CPU- and memory-bound): the number of cores unless given.
   */
  passwordWorkConcurrency?: number;
  /** How many more may wait for a turn; beyond, the request is refused at once with `Throttling`. 2 × concurrency unless given. */
  passwordWorkQueue?: number;
  /** How long one may wait for its turn before `Throttling`: a quarter of the bus timeout, at most 1 s, unless given. */
  passwordWorkMaxWaitMs?: number;
  /** How often recorded access key use is written to the database; 5 seconds unless given. */
  keyUsageFlushMs?: number;
}

export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');

export const DEFAULT_ARGON2: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const DEFAULT_SIGN_IN_PROTECTION: SignInProtection = {
  sourceFailures: 5,
  userFailures: 10,
  cleanSourceAttempts: 3,
  waitIncrementSeconds: 60,
  maxWaitSeconds: 900,
  failureResetSeconds: 12 * 3600,
};

export const DEFAULT_SESSION_TTL_SECONDS = 3_600;
export const DEFAULT_KEY_USAGE_FLUSH_MS = 5_000;

export function identityOptions(env: IdentityEnv, transport: BusTransport): IdentityServiceOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    database: { url: env.DATABASE_URL, poolSize: env.IAM_DB_POOL_SIZE },
    bus: { transport, name: 'identity', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    root: {
      accessKeyId: env.IAM_ROOT_ACCESS_KEY_ID,
      secretAccessKey: env.IAM_ROOT_SECRET_ACCESS_KEY,
      password: env.IAM_ROOT_PASSWORD,
    },
    masterKey: env.IAM_MASTER_KEY,
    previousMasterKey: env.IAM_MASTER_KEY_PREVIOUS,
    sessionTtlSeconds: env.IAM_SESSION_TTL_SECONDS,
    ...(env.IAM_PASSWORD_WORK_CONCURRENCY > 0 ? { passwordWorkConcurrency: env.IAM_PASSWORD_WORK_CONCURRENCY } : {}),
    ...(env.IAM_PASSWORD_WORK_QUEUE > 0 ? { passwordWorkQueue: env.IAM_PASSWORD_WORK_QUEUE } : {}),
  };
}
