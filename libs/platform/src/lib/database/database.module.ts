import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Duplex } from 'node:stream';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { trackDatabasePool } from '../metrics/metrics';
import { migrate } from './migrate';
import { guardTransactions } from './transaction-guard';

/** Where a service's database is and how many connections it may open. */
export interface DatabaseAccess {
  url: string;
  poolSize: number;
  /**
   * For a database inside this process (the embedded default): a new connection's stream, which
   * `pg` uses instead of a socket to `url`'s host.
   */
  stream?: () => Duplex;
}

export interface ServiceDatabaseOptions extends DatabaseAccess {
  /** The service's own PostgreSQL schema. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /** How often to retry the first connection (the database may start after us). */
  retryAttempts?: number;
}

/** Milliseconds a statement may run; a mistake fails instead of hanging. */
export const STATEMENT_TIMEOUT_MS = 15_000;

export function dataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.schema,
    extra: {
      max: options.poolSize,
      connectionTimeoutMillis: 10_000,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
      ...(options.stream ? { stream: options.stream } : {}),
    },
  };
}

/**
 * TypeORM for one service: its schema, its entities, its explicit migrations,
 * run at start-up under an advisory lock so replicas starting together do not
 * race. Never `synchronize`.
 */
export function serviceDatabase(options: ServiceDatabaseOptions): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => ({
      ...dataSourceOptions(options),
      retryAttempts: options.retryAttempts ?? 10,
      retryDelay: 1_000,
    }),
    dataSourceFactory: async (config) => {
      const dataSource = guardTransactions(await new DataSource(config as DataSourceOptions).initialize());
      trackDatabasePool(options.schema, dataSource);
      try {
        await migrate(dataSource, options.schema);
      } catch (error) {
        await dataSource.destroy();
        throw error;
      }
      return dataSource;
    },
  });
}
