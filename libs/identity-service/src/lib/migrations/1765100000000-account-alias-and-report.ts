import { MigrationInterface, QueryRunner } from 'typeorm';

/** The account's alias, and when its credential report was last generated. */
export class AccountAliasAndReport1765100000000 implements MigrationInterface {
  name = 'AccountAliasAndReport1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE identity.account ADD COLUMN alias text NULL');
    await runner.query('ALTER TABLE identity.account ADD COLUMN credential_report_generated timestamptz NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE identity.account DROP COLUMN credential_report_generated');
    await runner.query('ALTER TABLE identity.account DROP COLUMN alias');
  }
}
