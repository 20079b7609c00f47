import type { Tag } from '@iam/contracts';

/** How the caller proved who it is. */
export type CredentialKind = 'access-key' | 'session';

interface CallerBase {
  readonly arn: string;
  readonly accountId: string;
  readonly via: CredentialKind;
  /** The access key id (signed requests) — never a secret. */
  readonly accessKeyId?: string;
}

/** The account's root principal: not subject to policies. */
export interface RootCaller extends CallerBase {
  readonly type: 'root';
}

/** An IAM user. */
export interface UserCaller extends CallerBase {
  readonly type: 'user';
  readonly userId: string;
  readonly userName: string;
  readonly path: string;
  readonly tags: readonly Tag[];
  /** A console session whose password must be changed before anything else. */
  readonly passwordResetRequired: boolean;
}

export type Caller = RootCaller | UserCaller;
