import { isDatabaseUnavailable } from '@iam/platform';
import { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './database';
import { describeWithServices } from './services';

/**
 * What TypeORM and pg really throw when PostgreSQL drops a transaction's connection (a restart,
 * an administrator's pg_terminate_backend): every such failure must read as the database not
 * answering, so the services answer a retryable 503 rather than a 500.
 */
describeWithServices('isDatabaseUnavailable on a real PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: database.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it.each([
    ['a raw statement', (manager: EntityManager) => manager.query('SELECT 1')],
    ['a query builder', (manager: EntityManager) => manager.createQueryBuilder().select('c.relname', 'name').from('pg_class', 'c').limit(1).getRawMany()],
  ])('is true for %s in a transaction whose server connection was terminated after its first statement', async (_name, next) => {
    const failure = await dataSource
      .transaction(async (manager) => {
        const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
        await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
        // The server's goodbye reaches the idle connection before the next statement.
        await new Promise((r) => setTimeout(r, 200));
        await next(manager);
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    // The pool recovers: the next transaction runs on a fresh connection.
    await expect(dataSource.transaction((manager) => manager.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
  });
});
