import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseAccess, DatabaseEnv, envInteger } from '@iam/platform';

/** The environment the authorization service reads. */
export const AuthorizationEnv = z.object({
  ...CommonEnv.shape,
  ...DatabaseEnv.shape,
  /** Managed policies attached to one user (AWS: 10, may be raised to 20). */
  IAM_MAX_POLICIES_PER_USER: envInteger(1, 20, 10),
  /** Managed policies attached to one group (AWS: 10, may be raised to 20). */
  IAM_MAX_POLICIES_PER_GROUP: envInteger(1, 20, 10),
  /**
   * `catalogue`: every AWS managed policy of the installed catalogue package, synchronised at start
   * when the package changed; `builtin`: only the four built in (tests that need no catalogue).
   */
  IAM_AWS_MANAGED_POLICIES: z.enum(['catalogue', 'builtin']).default('catalogue'),
});
export type AuthorizationEnv = z.infer<typeof AuthorizationEnv>;

export interface AuthorizationServiceOptions {
  accountId: string;
  database: DatabaseAccess;
  bus: BusModuleOptions;
  /** Quotas of managed policies attached to one principal; 10 each when absent. */
  quotas?: { policiesPerUser: number; policiesPerGroup: number };
  /** Which AWS managed policies exist (see `IAM_AWS_MANAGED_POLICIES`); `catalogue` when absent. */
  awsManagedPolicies?: 'catalogue' | 'builtin';
}

export const AUTHORIZATION_OPTIONS = Symbol('AUTHORIZATION_OPTIONS');

/** AWS's default quota of managed policies attached to one user or group. */
export const DEFAULT_POLICIES_PER_PRINCIPAL = 10;

/** The quota of managed policies attached to one user or one group, as configured. */
export function policiesPerPrincipal(options: AuthorizationServiceOptions, type: 'user' | 'group'): number {
  const quotas = options.quotas;
  return (type === 'user' ? quotas?.policiesPerUser : quotas?.policiesPerGroup) ?? DEFAULT_POLICIES_PER_PRINCIPAL;
}

export function authorizationOptions(env: AuthorizationEnv, transport: BusTransport): AuthorizationServiceOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    database: { url: env.DATABASE_URL, poolSize: env.IAM_DB_POOL_SIZE },
    bus: { transport, name: 'authorization', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    quotas: { policiesPerUser: env.IAM_MAX_POLICIES_PER_USER, policiesPerGroup: env.IAM_MAX_POLICIES_PER_GROUP },
    awsManagedPolicies: env.IAM_AWS_MANAGED_POLICIES,
  };
}
