import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDirectory1764300000000 implements MigrationInterface {
  name = 'CreateDirectory1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    // Keys that listings order and page by use the "C" collation, so the
    // order (and so pagination) is the same whatever the database's locale.
    await runner.query(`
      CREATE TABLE directory.groups (
        group_id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        name_lower text COLLATE "C" NOT NULL,
        path text NOT NULL,
        create_date timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'active',
        delete_token text NULL,
        deleting_until timestamptz NULL,
        CONSTRAINT groups_name_lower_unique UNIQUE (name_lower),
        CONSTRAINT groups_state_check CHECK (state IN ('active', 'deleting'))
      )`);
    // Members by group (GetGroup, DeleteGroup's check) through the primary key,
    // groups by member (GroupsOfUser, the decision path) through the second index.
    // The foreign key keeps a group with members from being deleted.
    await runner.query(`
      CREATE TABLE directory.memberships (
        group_id text COLLATE "C" NOT NULL REFERENCES directory.groups (group_id) ON DELETE RESTRICT,
        user_id text COLLATE "C" NOT NULL,
        added_date timestamptz NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await runner.query('CREATE INDEX memberships_user_group ON directory.memberships (user_id, group_id)');
    // One row per user id whose delete has begun in identity (and stays after
    // the user is gone: user ids are never reused). Adds of such a user are refused.
    await runner.query(`
      CREATE TABLE directory.user_tombstones (
        user_id text COLLATE "C" PRIMARY KEY,
        marked_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE directory.user_tombstones');
    await runner.query('DROP TABLE directory.memberships');
    await runner.query('DROP TABLE directory.groups');
  }
}
