import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which version of the AWS managed policy catalogue package the stored AWS managed policies are in step with. */
export class AwsCatalogue1765000000000 implements MigrationInterface {
  name = 'AwsCatalogue1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "authorization".aws_catalogue (
        package text PRIMARY KEY,
        version text NOT NULL,
        synced_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX policies_by_account_path ON "authorization".policies (account, path COLLATE "C")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX "authorization".policies_by_account_path');
    await runner.query('DROP TABLE "authorization".aws_catalogue');
  }
}
