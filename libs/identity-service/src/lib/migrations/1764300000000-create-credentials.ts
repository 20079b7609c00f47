import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console passwords, the password policy, access keys, console sessions,
 * sign-in failure counters and the account's own row (the root user).
 */
export class CreateCredentials1764300000000 implements MigrationInterface {
  name = 'CreateCredentials1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE identity.account (
        id smallint PRIMARY KEY CHECK (id = 1),
        root_create_date timestamptz NOT NULL,
        root_password_hash text NULL,
        root_password_last_used timestamptz NULL,
        root_key_id text NULL,
        root_key_last_used_date timestamptz NULL,
        root_key_last_used_service text NULL,
        root_key_last_used_region text NULL
      )`);
    await runner.query('INSERT INTO identity.account (id, root_create_date) VALUES (1, now())');

    await runner.query(`
      CREATE TABLE identity.password_policy (
        id smallint PRIMARY KEY CHECK (id = 1),
        minimum_password_length integer NOT NULL,
        require_symbols boolean NOT NULL,
        require_numbers boolean NOT NULL,
        require_uppercase_characters boolean NOT NULL,
        require_lowercase_characters boolean NOT NULL,
        allow_users_to_change_password boolean NOT NULL,
        max_password_age integer NULL,
        password_reuse_prevention integer NULL,
        hard_expiry boolean NOT NULL
      )`);

    // RESTRICT: a user is deleted only after its login profile and keys are gone.
    await runner.query(`
      CREATE TABLE identity.login_profiles (
        user_id text PRIMARY KEY REFERENCES identity.users (user_id) ON DELETE RESTRICT,
        password_hash text NOT NULL,
        create_date timestamptz NOT NULL,
        password_changed_at timestamptz NOT NULL,
        password_reset_required boolean NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE identity.password_history (
        id bigserial PRIMARY KEY,
        user_id text NOT NULL REFERENCES identity.users (user_id) ON DELETE CASCADE,
        password_hash text NOT NULL,
        set_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX password_history_user ON identity.password_history (user_id, id DESC)');

    await runner.query(`
      CREATE TABLE identity.access_keys (
        access_key_id text PRIMARY KEY,
        user_id text NOT NULL REFERENCES identity.users (user_id) ON DELETE RESTRICT,
        status text NOT NULL CHECK (status IN ('Active', 'Inactive')),
        create_date timestamptz NOT NULL,
        secret_sealed bytea NOT NULL,
        master_key_id text NOT NULL,
        last_used_date timestamptz NULL,
        last_used_service text NULL,
        last_used_region text NULL
      )`);
    await runner.query('CREATE INDEX access_keys_user ON identity.access_keys (user_id, create_date, access_key_id)');
    await runner.query('CREATE INDEX access_keys_master_key ON identity.access_keys (master_key_id)');

    await runner.query(`
      CREATE TABLE identity.sessions (
        token_hash text PRIMARY KEY,
        principal_type text NOT NULL CHECK (principal_type IN ('user', 'root')),
        user_id text NULL REFERENCES identity.users (user_id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        source_ip text NOT NULL,
        CHECK ((principal_type = 'user') = (user_id IS NOT NULL))
      )`);
    await runner.query('CREATE INDEX sessions_user ON identity.sessions (user_id)');
    await runner.query('CREATE INDEX sessions_expires ON identity.sessions (expires_at)');

    await runner.query(`
      CREATE TABLE identity.sign_in_failures (
        subject text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure timestamptz NOT NULL,
        locked_until timestamptz NULL
      )`);
    await runner.query('CREATE INDEX sign_in_failures_last ON identity.sign_in_failures (last_failure)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['sign_in_failures', 'sessions', 'access_keys', 'password_history', 'login_profiles', 'password_policy', 'account']) {
      await runner.query(`DROP TABLE identity.${table}`);
    }
  }
}
