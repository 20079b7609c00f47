import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The password policy's `HardExpiry` may be unset (NULL): AWS leaves it out of
 * `GetAccountPasswordPolicy` when `UpdateAccountPasswordPolicy` did not give it. Policies set
 * before keep the `false` they were stored with.
 */
export class PasswordPolicyHardExpiryUnset1765200000000 implements MigrationInterface {
  name = 'PasswordPolicyHardExpiryUnset1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE identity.password_policy ALTER COLUMN hard_expiry DROP NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('UPDATE identity.password_policy SET hard_expiry = false WHERE hard_expiry IS NULL');
    await runner.query('ALTER TABLE identity.password_policy ALTER COLUMN hard_expiry SET NOT NULL');
  }
}
