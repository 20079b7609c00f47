import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in failures counted per (user, source) as well as per user: a pair row
 * names the user's counter it belongs to (`principal`), a user row counts the
 * attempts let through from sources without failures during its lock
 * (`clean_passes`). Per-address counters (`ip:...`) are no longer used.
 */
export class SignInPairs1765000000000 implements MigrationInterface {
  name = 'SignInPairs1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query("DELETE FROM identity.sign_in_failures WHERE subject LIKE 'ip:%'");
    await runner.query('ALTER TABLE identity.sign_in_failures ADD COLUMN principal text NULL');
    await runner.query('ALTER TABLE identity.sign_in_failures ADD COLUMN clean_passes integer NOT NULL DEFAULT 0');
    await runner.query('CREATE INDEX sign_in_failures_principal ON identity.sign_in_failures (principal) WHERE principal IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query("DELETE FROM identity.sign_in_failures WHERE subject LIKE 'pair:%'");
    await runner.query('DROP INDEX identity.sign_in_failures_principal');
    await runner.query('ALTER TABLE identity.sign_in_failures DROP COLUMN clean_passes');
    await runner.query('ALTER TABLE identity.sign_in_failures DROP COLUMN principal');
  }
}
