import { Inject, Injectable } from '@nestjs/common';
import { PasswordPolicy, UpdateAccountPasswordPolicyRequest } from '@iam/contracts';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { PasswordPolicyEntity } from './password-policy.entity';
import { PasswordPolicyStore } from './password-policy.store';
import { AWS_DEFAULT_RULES, PasswordRules, POLICY_FIELD_DEFAULTS, rulesFromPolicy } from './password-rules';

/** The account password policy: one row while set, AWS's default rules while not. */
@Injectable()
export class PasswordPolicyService {
  constructor(
    private readonly store: PasswordPolicyStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
  ) {}

  async get(): Promise<PasswordPolicy> {
    const row = await this.store.find();
    if (!row) throw IdentityErrors.noPasswordPolicy(this.options.accountId);
    return toPolicy(row);
  }

  /**
   * Replaces the whole policy; omitted fields take AWS's defaults, except the three AWS shows
   * only when given (`MaxPasswordAge`, `PasswordReusePrevention`, `HardExpiry`): those are unset.
   */
  async update(request: UpdateAccountPasswordPolicyRequest): Promise<void> {
    const d = POLICY_FIELD_DEFAULTS;
    await this.store.put({
      minimumPasswordLength: request.MinimumPasswordLength ?? d.MinimumPasswordLength,
      requireSymbols: request.RequireSymbols ?? d.RequireSymbols,
      requireNumbers: request.RequireNumbers ?? d.RequireNumbers,
      requireUppercaseCharacters: request.RequireUppercaseCharacters ?? d.RequireUppercaseCharacters,
      requireLowercaseCharacters: request.RequireLowercaseCharacters ?? d.RequireLowercaseCharacters,
      allowUsersToChangePassword: request.AllowUsersToChangePassword ?? d.AllowUsersToChangePassword,
      maxPasswordAge: request.MaxPasswordAge ?? null,
      passwordReusePrevention: request.PasswordReusePrevention ?? null,
      hardExpiry: request.HardExpiry ?? null,
    });
  }

  async delete(): Promise<void> {
    if (!(await this.store.delete())) throw IdentityErrors.noPasswordPolicyToDelete();
  }

  /** The rules in force now: the policy, or AWS's defaults. */
  async rules(): Promise<PasswordRules> {
    const row = await this.store.find();
    return row ? rulesFromPolicy(toPolicy(row)) : AWS_DEFAULT_RULES;
  }
}

export function toPolicy(row: PasswordPolicyEntity): PasswordPolicy {
  const policy: PasswordPolicy = {
    MinimumPasswordLength: row.minimumPasswordLength,
    RequireSymbols: row.requireSymbols,
    RequireNumbers: row.requireNumbers,
    RequireUppercaseCharacters: row.requireUppercaseCharacters,
    RequireLowercaseCharacters: row.requireLowercaseCharacters,
    AllowUsersToChangePassword: row.allowUsersToChangePassword,
    ExpirePasswords: Boolean(row.maxPasswordAge),
  };
  if (row.maxPasswordAge) policy.MaxPasswordAge = row.maxPasswordAge;
  if (row.passwordReusePrevention) policy.PasswordReusePrevention = row.passwordReusePrevention;
  if (row.hardExpiry !== null) policy.HardExpiry = row.hardExpiry;
  return policy;
}
