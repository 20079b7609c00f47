import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseEnv } from '@iam/platform';

/** The environment the authorization service reads. */
export const AuthorizationEnv = z.object({ ...CommonEnv.shape, ...DatabaseEnv.shape });
export type AuthorizationEnv = z.infer<typeof AuthorizationEnv>;

export interface AuthorizationServiceOptions {
  accountId: string;
  database: { url: string; poolSize: number };
  bus: BusModuleOptions;
}

export const AUTHORIZATION_OPTIONS = Symbol('AUTHORIZATION_OPTIONS');

export function authorizationOptions(env: AuthorizationEnv, transport: BusTransport): AuthorizationServiceOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    database: { url: env.DATABASE_URL, poolSize: env.IAM_DB_POOL_SIZE },
    bus: { transport, name: 'authorization', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
  };
}
