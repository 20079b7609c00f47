import { urlWithoutPassword } from './url-without-password';
import { ConfigError, StartupError } from './config';
import { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { directHandlers } from './bus/direct-handlers';
import { BusExceptionFilter, BusHandlerInterceptor } from './bus/handlers';
import { InFlightTracker } from './bus/in-flight';
import { BusTransport, createBusServer } from './bus/transport';
import { NestPinoLogger } from './logging/logger';
import { BusMetricsInterceptor } from './metrics/bus-metrics.interceptor';
import { HealthServer, startHealthServer } from './metrics/health-server';
import { enableMetrics } from './metrics/metrics';
import { DataSource } from 'typeorm';

export interface ServiceBootstrapOptions {
  /** The service's name and queue group. */
  name: string;
  module: Type<unknown> | DynamicModule;
  transport: BusTransport;
  logger: Logger;
  /** Serves `/health/live`, `/health/ready` and `/metrics` on this port (0: any free one); none unless given. */
  healthPort?: number;
}

/** The health ports of this process's services: drained first and closed last by {@link closeOnSignals}. */
const healthServers = new Set<HealthServer>();

/**
 * Starts a NestJS microservice on the bus: the service's queue group, the
 * request-scope interceptor, the one exception filter, JSON logs.
 */
export async function startService(options: ServiceBootstrapOptions): Promise<INestMicroservice> {
  enableMetrics();
  const inFlight = new InFlightTracker();
  const strategy = createBusServer(options.transport, options.name, inFlight);
  const app = await NestFactory.createMicroservice(options.module, {
    strategy,
    logger: new NestPinoLogger(options.logger.child({ component: 'nest' })),
    // A start-up failure (NATS or the database not answering, say) reaches the caller, which says it in one line.
    abortOnError: false,
  });
  app.useGlobalInterceptors(new BusMetricsInterceptor(options.name), new BusHandlerInterceptor(options.logger, inFlight));
  app.useGlobalFilters(new BusExceptionFilter(options.logger, options.name));
  // The same interceptors and filter, in one function per request handler that needs nothing else.
  strategy.useDirectHandlers(directHandlers(app, options.name, options.logger, inFlight));
  try {
    await app.listen();
  } catch (error) {
    // A start-up hook refused (a configuration check, say): release the database and the bus.
    await app.close().catch(() => undefined);
    throw error;
  }
  if (options.healthPort === undefined) return app;
  const dataSource = app.get(DataSource, { strict: false });
  const healthServer = await startHealthServer({
    port: options.healthPort,
    logger: options.logger,
    ready: async () => {
      try {
        await dataSource.query('SELECT 1');
      } catch {
        throw new Error(`the ${options.name} database is not answering`);
      }
    },
  });
  healthServers.add(healthServer);
  options.logger.info({ port: healthServer.port }, 'health and metrics are served on /health/live, /health/ready and /metrics');
  return app;
}

/**
 * Closes `closeables` in order on SIGTERM or SIGINT (stop taking requests,
 * finish in-flight ones, close the bus and the database), then exits.
 */
export function closeOnSignals(logger: Logger, closeables: Array<{ close(): Promise<unknown> }>): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Not ready from the first moment (no new traffic is routed here), then the apps drain the
    // requests in flight, then the health ports close.
    for (const server of healthServers) server.drain();
    let code = 0;
    for (const closeable of [...closeables, ...healthServers]) {
      try {
        await closeable.close();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'error while shutting down');
      }
    }
    logger.info('stopped');
    logger.flush?.();
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Runs a process's `main`: a configuration problem prints one line per bad
 * value and exits with 1; a known start-up failure (NATS or the database not
 * answering, a missing database, a port in use) prints one line naming what
 * failed and the fix; any other failure is printed with its stack. All exit with 1.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${name}: configuration error: ${problem}\n`);
    } else {
      const known = startupProblem(error);
      process.stderr.write(`${name}: failed to start: ${known ?? (error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
    }
    process.exit(1);
  });
}

/** A URL from the environment without its password, to name in a message. */
function shown(variable: string, env: NodeJS.ProcessEnv): string {
  const value = env[variable];
  if (!value) return `(${variable} unset)`;
  return urlWithoutPassword(value);
}

/** The codes an error, or the errors it aggregates or wraps, carries. */
function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 3) return [];
  const found: string[] = [];
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') found.push(code);
  for (const inner of (error as { errors?: unknown[] }).errors ?? []) found.push(...codesOf(inner, depth + 1));
  found.push(...codesOf((error as { cause?: unknown }).cause, depth + 1));
  return found;
}

/**
 * One line naming what failed at start-up and how to fix it, for the failures an operator meets
 * first; undefined for anything else.
 */
export function startupProblem(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (error instanceof StartupError) return error.message;
  if (!(error instanceof Error)) return undefined;
  const codes = codesOf(error);
  const text = `${error.name} ${error.message} ${error.stack ?? ''}`;
  const natsError = /nats/i.test(text) || codes.some((code) => ['CONNECTION_REFUSED', 'TIMEOUT', 'AUTHORIZATION_VIOLATION'].includes(code));
  if (natsError && codes.includes('AUTHORIZATION_VIOLATION')) {
    return `NATS at ${shown('NATS_URL', env)} refused this app's credentials: check the app's NATS user or NKey seed.`;
  }
  if (natsError && (codes.includes('CONNECTION_REFUSED') || codes.includes('ECONNREFUSED') || codes.includes('TIMEOUT'))) {
    return `NATS is not answering at ${shown('NATS_URL', env)}: start it (nats-server -js) or set NATS_URL to where it runs.`;
  }
  if (codes.includes('3D000')) {
    const database = (() => {
      try {
        return new URL(env['DATABASE_URL'] ?? '').pathname.slice(1);
      } catch {
        return '?';
      }
    })();
    return `The database "${database}" named in DATABASE_URL (${shown('DATABASE_URL', env)}) does not exist: create it (createdb ${database}, or npm run start:services creates it) or name an existing one.`;
  }
  if (codes.includes('28P01') || codes.includes('28000')) {
    return `PostgreSQL refused the user in DATABASE_URL (${shown('DATABASE_URL', env)}): check its user name and password.`;
  }
  if (codes.some((code) => ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ETIMEDOUT'].includes(code))) {
    return `PostgreSQL is not answering at ${shown('DATABASE_URL', env)}: start it or set DATABASE_URL to where it runs.`;
  }
  if (codes.includes('EADDRINUSE')) {
    return `Port ${env['PORT'] ?? ''} is already in use: stop the program using it or set PORT to a free port.`;
  }
  return undefined;
}
