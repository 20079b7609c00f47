import { NoInput, pattern, reply } from '../pattern';

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

export const AccountPatterns = {
  /**
   * The root user as AWS's `GetUser` shows it to the root caller: `UserId` is
   * the account id, `Arn` is `arn:aws:iam::ACCOUNT:root`, `CreateDate` is when
   * this account's identity store was created, `PasswordLastUsed` the last
   * console sign-in of root; no `UserName` or `Path`.
   */
  GetRootUser: pattern('identity.root.get', NoInput, reply<RootUserReply>()),
} as const;
