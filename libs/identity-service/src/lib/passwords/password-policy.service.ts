import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PasswordPolicy, UpdateAccountPasswordPolicyRequest } from '@iam/contracts';
import { Repository } from 'typeorm';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';
import { PasswordPolicyEntity } from './password-policy.entity';
import { AWS_DEFAULT_RULES, PasswordRules, POLICY_FIELD_DEFAULTS, rulesFromPolicy } from './password-rules';

/** The account password policy: one row while set, AWS's default rules while not. */
@Injectable()
export class PasswordPolicyService {
  constructor(
    @InjectRepository(PasswordPolicyEntity) private readonly policies: Repository<PasswordPolicyEntity>,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
  ) {}

  async get(): Promise<PasswordPolicy> {
    const row = await this.policies.findOneBy({ id: 1 });
    if (!row) throw IdentityErrors.noPasswordPolicy(this.options.accountId);
    return toPolicy(row);
  }

  /** Replaces the whole policy; omitted fields take AWS's defaults. */
  async update(request: UpdateAccountPasswordPolicyRequest): Promise<void> {
    const d = POLICY_FIELD_DEFAULTS;
    await this.policies.upsert(
      {
        id: 1,
        minimumPasswordLength: request.MinimumPasswordLength ?? d.MinimumPasswordLength,
        requireSymbols: request.RequireSymbols ?? d.RequireSymbols,
        requireNumbers: request.RequireNumbers ?? d.RequireNumbers,
        requireUppercaseCharacters: request.RequireUppercaseCharacters ?? d.RequireUppercaseCharacters,
        requireLowercaseCharacters: request.RequireLowercaseCharacters ?? d.RequireLowercaseCharacters,
        allowUsersToChangePassword: request.AllowUsersToChangePassword ?? d.AllowUsersToChangePassword,
        maxPasswordAge: request.MaxPasswordAge ?? null,
        passwordReusePrevention: request.PasswordReusePrevention ?? null,
        hardExpiry: request.HardExpiry ?? d.HardExpiry,
      },
      ['id'],
    );
  }

  async delete(): Promise<void> {
    const result = await this.policies.delete({ id: 1 });
    if (!result.affected) throw IdentityErrors.noPasswordPolicyToDelete();
  }

  /** The rules in force now: the policy, or AWS's defaults. */
  async rules(): Promise<PasswordRules> {
    const row = await this.policies.findOneBy({ id: 1 });
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
    HardExpiry: row.hardExpiry,
  };
  if (row.maxPasswordAge) policy.MaxPasswordAge = row.maxPasswordAge;
  if (row.passwordReusePrevention) policy.PasswordReusePrevention = row.passwordReusePrevention;
  return policy;
}
