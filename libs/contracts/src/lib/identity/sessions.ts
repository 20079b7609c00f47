import { z } from 'zod';
import { ExistingUserName } from '../common';
import { pattern, reply, type Empty } from '../pattern';
import { awsSensitiveString, awsString } from '../validation';
import { OfferedPassword, Principal } from './shared';

// Console sessions: `libs/identity-service/src/lib/sessions`.

/** A session token as `SignIn` returned it (never echoed). */
export const SessionToken = awsSensitiveString({ min: 16, max: 512 });

/** `UserName` for an IAM user, or `Root: true` for the root user (exactly one). */
export const SignInRequest = z.strictObject({
  UserName: ExistingUserName.optional(),
  Root: z.boolean().optional(),
  Password: OfferedPassword,
  /** The client's address as the gateway saw it (IPv4 or IPv6). */
  SourceIp: awsString({ min: 2, max: 64 }),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const SessionReply = z.strictObject({
  Principal,
  /** ISO 8601; the session ends then. */
  Expiration: z.string(),
  /** True when the session may only change its own password. */
  PasswordChangeOnly: z.boolean(),
});
export type SessionReply = z.infer<typeof SessionReply>;
export const SignInReply = z.strictObject({
  ...SessionReply.shape,
  /** Shown once; present it to `VerifySession`. */
  SessionToken: z.string(),
});
export type SignInReply = z.infer<typeof SignInReply>;

export const SessionTokenRequest = z.strictObject({ SessionToken });
export type SessionTokenRequest = z.infer<typeof SessionTokenRequest>;

export const SessionPatterns = {
  /**
   * Console sign-in with a user name (or `Root: true`) and password, from the
   * client address the gateway saw. Unknown user, user without a login
   * profile, wrong password and a temporarily locked user or address all
   * answer the same `SignInFailed` with one message, in similar time.
   * Success → a session token (shown once; only its hash is stored) and its
   * expiry. `PasswordChangeOnly` is true when the password must be changed
   * (`PasswordResetRequired` or expired): such a session may only call
   * `ChangePassword`. With `HardExpiry` and an expired password →
   * `PasswordResetRequired` (after the password was verified).
   */
  SignIn: pattern('identity.session.sign-in', SignInRequest, SignInReply),
  /**
   * The gateway's check of a session token on every request: the principal
   * and whether the session may only change its password. Unknown or ended →
   * `InvalidToken`; past its expiry → `ExpiredToken`. Reads committed state,
   * so an ended session is refused by every replica at once.
   */
  VerifySession: pattern('identity.session.verify', SessionTokenRequest, SessionReply),
  /** Ends a session. Idempotent: an unknown or ended token is not an error. */
  SignOut: pattern('identity.session.sign-out', SessionTokenRequest, reply<Empty>()),
} as const;
