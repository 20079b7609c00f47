import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764290000000 implements MigrationInterface {
  name = 'CreateUsers1764290000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE identity.users (
        user_id text PRIMARY KEY,
        name text NOT NULL,
        name_lower text COLLATE "C" NOT NULL,
        path text NOT NULL,
        create_date timestamptz NOT NULL,
        password_last_used timestamptz NULL,
        tags jsonb NOT NULL DEFAULT '[]'::jsonb,
        state text NOT NULL DEFAULT 'active',
        CONSTRAINT users_name_lower_unique UNIQUE (name_lower)
      )`);
    await runner.query('CREATE INDEX users_path_name ON identity.users (path, name_lower)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE identity.users');
  }
}
