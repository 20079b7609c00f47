import { DataSource } from 'typeorm';

/**
 * Creates the schema if needed and runs pending migrations, holding a
 * PostgreSQL advisory lock for the schema so that concurrent starters run
 * them once, one after the other.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockName = `iam-migrations:${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '""')}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]);
    }
  } finally {
    await runner.release();
  }
}

/** Is this error PostgreSQL's unique violation (23505)? */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { driverError?: { code?: string }; code?: string }).driverError?.code === '23505'
    || (error as { code?: string } | null)?.code === '23505';
}
