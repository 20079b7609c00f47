import { MigrationInterface, QueryRunner } from 'typeorm';

/** Managed policies with their versions, attachments, inline policies and principal tombstones. */
export class CreateAuthorization1764310000000 implements MigrationInterface {
  name = 'CreateAuthorization1764310000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "authorization".policies (
        policy_id text PRIMARY KEY,
        account text NOT NULL,
        name text NOT NULL,
        name_lower text NOT NULL,
        path text NOT NULL,
        arn text NOT NULL,
        description text NULL,
        default_version text NOT NULL,
        next_version integer NOT NULL,
        create_date timestamptz NOT NULL,
        update_date timestamptz NOT NULL,
        tags jsonb NOT NULL DEFAULT '[]'::jsonb,
        CONSTRAINT policies_arn_unique UNIQUE (arn),
        CONSTRAINT policies_name_unique UNIQUE (account, name_lower)
      )`);
    await runner.query('CREATE INDEX policies_by_name ON "authorization".policies (name_lower COLLATE "C", arn COLLATE "C")');
    await runner.query(`
      CREATE TABLE "authorization".policy_versions (
        policy_id text NOT NULL REFERENCES "authorization".policies (policy_id) ON DELETE CASCADE,
        version_id text NOT NULL,
        version_number integer NOT NULL,
        document text NOT NULL,
        create_date timestamptz NOT NULL,
        PRIMARY KEY (policy_id, version_id)
      )`);
    await runner.query(`
      CREATE TABLE "authorization".attachments (
        principal_id text NOT NULL,
        principal_type text NOT NULL CHECK (principal_type IN ('user', 'group')),
        policy_id text NOT NULL REFERENCES "authorization".policies (policy_id),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        attach_date timestamptz NOT NULL,
        PRIMARY KEY (principal_id, policy_id)
      )`);
    await runner.query('CREATE INDEX attachments_by_policy ON "authorization".attachments (policy_id)');
    await runner.query(`
      CREATE TABLE "authorization".inline_policies (
        principal_id text NOT NULL,
        principal_type text NOT NULL CHECK (principal_type IN ('user', 'group')),
        name text NOT NULL,
        name_lower text NOT NULL,
        document text NOT NULL,
        content_hash text NOT NULL,
        size integer NOT NULL,
        create_date timestamptz NOT NULL,
        update_date timestamptz NOT NULL,
        PRIMARY KEY (principal_id, name_lower)
      )`);
    await runner.query(`
      CREATE TABLE "authorization".principal_tombstones (
        principal_id text PRIMARY KEY,
        principal_type text NOT NULL CHECK (principal_type IN ('user', 'group')),
        create_date timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "authorization".principal_tombstones');
    await runner.query('DROP TABLE "authorization".inline_policies');
    await runner.query('DROP TABLE "authorization".attachments');
    await runner.query('DROP TABLE "authorization".policy_versions');
    await runner.query('DROP TABLE "authorization".policies');
  }
}
