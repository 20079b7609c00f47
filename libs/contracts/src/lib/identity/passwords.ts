import { z } from 'zod';
import { AwsStrings, ExistingUserName } from '../common';
import { NoInput, pattern, reply, type Empty } from '../pattern';
import { awsInteger, awsSensitiveString } from '../validation';
import { Caller } from './shared';
import { UserNameRequest } from './users';

// Console passwords and the account password policy: `libs/identity-service/src/lib/passwords`.

/** A new console password, as AWS's `passwordType`: 1–128 characters, tab, line ends and U+0020–U+00FF. */
export const NewPassword = awsSensitiveString(AwsStrings.password);

export interface LoginProfile {
  UserName: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
}
export interface LoginProfileReply {
  LoginProfile: LoginProfile;
}

export const CreateLoginProfileRequest = z.strictObject({
  UserName: ExistingUserName,
  Password: NewPassword,
  PasswordResetRequired: z.boolean().optional(),
});
export type CreateLoginProfileRequest = z.infer<typeof CreateLoginProfileRequest>;

export const UpdateLoginProfileRequest = z.strictObject({
  UserName: ExistingUserName,
  Password: NewPassword.optional(),
  PasswordResetRequired: z.boolean().optional(),
});
export type UpdateLoginProfileRequest = z.infer<typeof UpdateLoginProfileRequest>;

export const ChangePasswordRequest = z.strictObject({
  Caller,
  /** AWS's `passwordType` too, as the new one. */
  OldPassword: NewPassword,
  NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const PasswordPolicy = z.strictObject({
  MinimumPasswordLength: z.number(),
  RequireSymbols: z.boolean(),
  RequireNumbers: z.boolean(),
  RequireUppercaseCharacters: z.boolean(),
  RequireLowercaseCharacters: z.boolean(),
  AllowUsersToChangePassword: z.boolean(),
  /** True when `MaxPasswordAge` is set. */
  ExpirePasswords: z.boolean(),
  /** Days a password is valid; absent when passwords never expire. */
  MaxPasswordAge: z.number().optional(),
  /** How many previous passwords may not be reused; absent when reuse is allowed. */
  PasswordReusePrevention: z.number().optional(),
  /** Absent when the policy was set without it (as AWS shows it); unset acts as false. */
  HardExpiry: z.boolean().optional(),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

export const UpdateAccountPasswordPolicyRequest = z.strictObject({
  MinimumPasswordLength: awsInteger(6, 128).optional(),
  RequireSymbols: z.boolean().optional(),
  RequireNumbers: z.boolean().optional(),
  RequireUppercaseCharacters: z.boolean().optional(),
  RequireLowercaseCharacters: z.boolean().optional(),
  AllowUsersToChangePassword: z.boolean().optional(),
  MaxPasswordAge: awsInteger(1, 1095).optional(),
  PasswordReusePrevention: awsInteger(1, 24).optional(),
  HardExpiry: z.boolean().optional(),
});
export type UpdateAccountPasswordPolicyRequest = z.infer<typeof UpdateAccountPasswordPolicyRequest>;

export const PasswordPatterns = {
  /**
   * Gives a user a console password. The password must satisfy the account
   * password policy (or AWS's default rules when none is set) →
   * `PasswordPolicyViolation` naming the rules broken. A user that has one →
   * `EntityAlreadyExists`; unknown → `NoSuchEntity`; being deleted →
   * `EntityTemporarilyUnmodifiable`. The password is never returned.
   */
  CreateLoginProfile: pattern('identity.login-profile.create', CreateLoginProfileRequest, reply<LoginProfileReply>()),
  /** A user's login profile (creation date, reset flag). None → `NoSuchEntity`. */
  GetLoginProfile: pattern('identity.login-profile.get', UserNameRequest, reply<LoginProfileReply>()),
  /**
   * An administrator's reset: a new `Password` (checked against the policy
   * and the password history), and/or `PasswordResetRequired`. A new password
   * ends the user's console sessions, clears its sign-in lockout and publishes
   * `identity.credentials.revoked`. None → `NoSuchEntity`.
   */
  UpdateLoginProfile: pattern('identity.login-profile.update', UpdateLoginProfileRequest, reply<Empty>()),
  /**
   * Removes a user's console password and ends its console sessions at once.
   * Publishes `identity.credentials.revoked`. None → `NoSuchEntity`.
   */
  DeleteLoginProfile: pattern('identity.login-profile.delete', UserNameRequest, reply<Empty>()),
  /**
   * The caller changes its own password (`Caller` is an IAM user). A wrong
   * `OldPassword` → `AccessDenied` (and counts as a failed sign-in for the
   * lockout; while locked → `LimitExceeded`). The new password must satisfy
   * the policy and the reuse prevention → `PasswordPolicyViolation`. With
   * `HardExpiry` and an expired password → `PasswordResetRequired`. Clears
   * `PasswordResetRequired`, ends every console session of the user (sign in
   * again with the new password) and publishes `identity.credentials.revoked`.
   * Root → `InvalidInput` (its password is configuration). Whether the caller
   * may change its password (`AllowUsersToChangePassword` or an
   * `iam:ChangePassword` grant) is the gateway's authorization decision.
   */
  ChangePassword: pattern('identity.password.change', ChangePasswordRequest, reply<Empty>()),

  /** The account password policy. None set → `NoSuchEntity` (AWS's default rules then apply to new passwords). */
  GetAccountPasswordPolicy: pattern('identity.password-policy.get', NoInput, z.strictObject({ PasswordPolicy })),
  /** Sets the whole policy: an omitted field takes AWS's default (`MinimumPasswordLength` 6, the rest off). */
  UpdateAccountPasswordPolicy: pattern('identity.password-policy.update', UpdateAccountPasswordPolicyRequest, reply<Empty>()),
  /** Removes the policy; AWS's default rules apply again. None set → `NoSuchEntity`. */
  DeleteAccountPasswordPolicy: pattern('identity.password-policy.delete', NoInput, reply<Empty>()),
} as const;
