import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseEnv } from '@iam/platform';

/** The environment the directory service reads. */
export const DirectoryEnv = z.object({ ...CommonEnv.shape, ...DatabaseEnv.shape });
export type DirectoryEnv = z.infer<typeof DirectoryEnv>;

export interface DirectoryServiceOptions {
  accountId: string;
  database: { url: string; poolSize: number };
  bus: BusModuleOptions;
}

export const DIRECTORY_OPTIONS = Symbol('DIRECTORY_OPTIONS');

export function directoryOptions(env: DirectoryEnv, transport: BusTransport): DirectoryServiceOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    database: { url: env.DATABASE_URL, poolSize: env.IAM_DB_POOL_SIZE },
    bus: { transport, name: 'directory', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
  };
}
