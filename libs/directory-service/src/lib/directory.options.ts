import { z } from 'zod';
import { BusModuleOptions, BusTransport, CommonEnv, DatabaseAccess, DatabaseEnv, envInteger } from '@iam/platform';

/** AWS's quota of groups a user can be in (not adjustable at AWS). */
export const AWS_GROUPS_PER_USER = 10;
/** AWS's default quota of groups per account. */
export const AWS_GROUPS_PER_ACCOUNT = 300;

/** The environment the directory service reads. */
export const DirectoryEnv = z.object({
  ...CommonEnv.shape,
  ...DatabaseEnv.shape,
  /** How many groups a user may be in; AWS's value by default. */
  IAM_MAX_GROUPS_PER_USER: envInteger(1, 1_000, AWS_GROUPS_PER_USER),
  /** How many groups the account may have; AWS's default quota by default. */
  IAM_MAX_GROUPS_PER_ACCOUNT: envInteger(1, 100_000, AWS_GROUPS_PER_ACCOUNT),
});
export type DirectoryEnv = z.infer<typeof DirectoryEnv>;

export interface DirectoryServiceOptions {
  accountId: string;
  database: DatabaseAccess;
  bus: BusModuleOptions;
  limits?: {
    /** Groups per user; {@link AWS_GROUPS_PER_USER} when not given. */
    groupsPerUser?: number;
    /** Groups per account; {@link AWS_GROUPS_PER_ACCOUNT} when not given. */
    groupsPerAccount?: number;
  };
  /**
   * How long a group stays marked as being deleted when the delete that
   * marked it never finished (a crashed replica): after that, the group can
   * be changed and deleted again. Longer than any delete takes; 60 s by default.
   */
  deleteLeaseMs?: number;
}

export const DIRECTORY_OPTIONS = Symbol('DIRECTORY_OPTIONS');

export function directoryOptions(env: DirectoryEnv, transport: BusTransport): DirectoryServiceOptions {
  return {
    accountId: env.IAM_ACCOUNT_ID,
    database: { url: env.DATABASE_URL, poolSize: env.IAM_DB_POOL_SIZE },
    bus: { transport, name: 'directory', timeoutMs: env.IAM_BUS_TIMEOUT_MS },
    limits: { groupsPerUser: env.IAM_MAX_GROUPS_PER_USER, groupsPerAccount: env.IAM_MAX_GROUPS_PER_ACCOUNT },
  };
}

/** The options with every default filled in. */
export interface DirectorySettings {
  accountId: string;
  groupsPerUser: number;
  groupsPerAccount: number;
  deleteLeaseMs: number;
}

export const DIRECTORY_SETTINGS = Symbol('DIRECTORY_SETTINGS');

export function directorySettings(options: DirectoryServiceOptions): DirectorySettings {
  return {
    accountId: options.accountId,
    groupsPerUser: options.limits?.groupsPerUser ?? AWS_GROUPS_PER_USER,
    groupsPerAccount: options.limits?.groupsPerAccount ?? AWS_GROUPS_PER_ACCOUNT,
    deleteLeaseMs: options.deleteLeaseMs ?? 60_000,
  };
}
