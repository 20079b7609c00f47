import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The account password policy; the row exists only while one is set. */
@Entity({ name: 'password_policy' })
export class PasswordPolicyEntity {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ name: 'minimum_password_length', type: 'integer' })
  minimumPasswordLength!: number;

  @Column({ name: 'require_symbols', type: 'boolean' })
  requireSymbols!: boolean;

  @Column({ name: 'require_numbers', type: 'boolean' })
  requireNumbers!: boolean;

  @Column({ name: 'require_uppercase_characters', type: 'boolean' })
  requireUppercaseCharacters!: boolean;

  @Column({ name: 'require_lowercase_characters', type: 'boolean' })
  requireLowercaseCharacters!: boolean;

  @Column({ name: 'allow_users_to_change_password', type: 'boolean' })
  allowUsersToChangePassword!: boolean;

  @Column({ name: 'max_password_age', type: 'integer', nullable: true })
  maxPasswordAge!: number | null;

  @Column({ name: 'password_reuse_prevention', type: 'integer', nullable: true })
  passwordReusePrevention!: number | null;

  /** `null` when the update that set the policy did not give it (AWS then leaves it out). */
  @Column({ name: 'hard_expiry', type: 'boolean', nullable: true })
  hardExpiry!: boolean | null;
}
