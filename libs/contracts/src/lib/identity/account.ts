import { z } from 'zod';
import { AwsStrings } from '../common';
import { NoInput, pattern, reply, type Empty } from '../pattern';
import { awsString } from '../validation';

// The account and its root user: `libs/identity-service/src/lib/account`.

/** The root user as `GetUser` shows it to the root caller (AWS has no name or path for it). */
export interface RootUser {
  /** The account id. */
  UserId: string;
  /** `arn:aws:iam::ACCOUNT:root` */
  Arn: string;
  CreateDate: string;
  PasswordLastUsed?: string;
}
export interface RootUserReply {
  User: RootUser;
}

export const AccountAliasRequest = z.strictObject({ AccountAlias: awsString(AwsStrings.accountAlias) });
export type AccountAliasRequest = z.infer<typeof AccountAliasRequest>;

/** What identity counts and enforces, in AWS's `GetAccountSummary` keys. */
export const IdentityAccountSummary = z.strictObject({
  /** How many users the account has (those being deleted included). */
  Users: z.number().int().min(0),
  /** Keys per user, as identity enforces it. */
  AccessKeysPerUserQuota: z.number().int().min(1),
  /** 1 when the root user has an access key configured. */
  AccountAccessKeysPresent: z.union([z.literal(0), z.literal(1)]),
});
export type IdentityAccountSummary = z.infer<typeof IdentityAccountSummary>;

export const AccountPatterns = {
  /**
   * The root user as AWS's `GetUser` shows it to the root caller: `UserId` is
   * the account id, `Arn` is `arn:aws:iam::ACCOUNT:root`, `CreateDate` is when
   * this account's identity store was created, `PasswordLastUsed` the last
   * console sign-in of root; no `UserName` or `Path`.
   */
  GetRootUser: pattern('identity.root.get', NoInput, reply<RootUserReply>()),

  /** Sets the account's alias (an account has one; a new one replaces it). */
  CreateAccountAlias: pattern('identity.account-alias.create', AccountAliasRequest, reply<Empty>()),
  /** Removes the alias; another name than the account's → `NoSuchEntity`. */
  DeleteAccountAlias: pattern('identity.account-alias.delete', AccountAliasRequest, reply<Empty>()),
  /** The account's alias, as a list of at most one. */
  ListAccountAliases: pattern('identity.account-alias.list', NoInput, reply<{ AccountAliases: string[] }>()),
  /**
   * Records that a credential report was generated now, unless one younger than four hours
   * exists: `STARTED` when it records, `COMPLETE` when a recent one exists.
   */
  GenerateCredentialReport: pattern('identity.credential-report.generate', NoInput, reply<{ State: 'STARTED' | 'COMPLETE' }>()),
  /** When the current report was generated; none → `ReportNotPresent`, older than four hours → `ReportExpired`. */
  GetCredentialReportState: pattern('identity.credential-report.state', NoInput, reply<{ GeneratedTime: string }>()),
  /**
   * Identity's part of AWS's `GetAccountSummary`: the number of users (one
   * `count(*)`, whatever their number), the access-key quota it enforces and
   * whether root has a key. The gateway merges the three services' parts.
   */
  AccountSummary: pattern('identity.account.summary', NoInput, IdentityAccountSummary),
} as const;
