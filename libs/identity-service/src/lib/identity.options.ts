import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseEnv, SecretsEnv } from '@iam/platform';

/** The environment the identity service reads. */
export const IdentityEnv = z.object({ ...CommonEnv.shape, ...DatabaseEnv.shape, ...SecretsEnv.shape });
export type IdentityEnv = z.infer<typeof IdentityEnv>;

export interface IdentityServiceOptions {
  accountId: string;
  database: { url: string; poolSize: number };
  bus: BusModuleOptions;
  root: { accessKeyId?: string; secretAccessKey?: string; password?: string };
  /** 32 bytes, base64. */
  masterKey?: string;
}

export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');

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
  };
}
