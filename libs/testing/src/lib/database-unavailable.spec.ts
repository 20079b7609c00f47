import { isDatabaseUnavailable } from '@iam/platform';
import { EventEmitter, once } from 'node:events';
import { DataSource, EntityManager, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
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
    ['a raw statement', QueryRunnerProviderAlreadyReleasedError, (manager: EntityManager) => manager.query('SELECT 1')],
    ['a query builder', QueryRunnerAlreadyReleasedError, (manager: EntityManager) => manager.createQueryBuilder().select('c.relname', 'name').from('pg_class', 'c').limit(1).getRawMany()],
  ])('is true for %s in a transaction whose server connection was terminated after its first statement', async (_name, thrown, next) => {
    const failure = await dataSource
      .transaction(async (manager) => {
        const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
        // Wait for the server's goodbye on the idle connection (TypeORM releases the query runner on it), not for a guessed delay.
        const connection = (manager.queryRunner as unknown as { databaseConnection?: EventEmitter } | undefined)?.databaseConnection;
        if (!connection) throw new Error('the transaction has no connection of its own');
        const goodbye = once(connection, 'error');
        await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
        await goodbye;
        await next(manager);
      })
      .catch((e: unknown) => e);
    // The released-query-runner error itself, the case this spec is about (not the server's 57P01 on a statement).
    expect(failure).toBeInstanceOf(thrown);
    expect(isDatabaseUnavailable(failure)).toBe(true);
    // The pool recovers: the next transaction runs on a fresh connection.
    await expect(dataSource.transaction((manager) => manager.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
  });
});
