import { ConfigError } from './config';
import { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { BusExceptionFilter, BusHandlerInterceptor } from './bus/handlers';
import { InFlightTracker } from './bus/in-flight';
import { BusTransport, createBusServer } from './bus/transport';
import { NestPinoLogger } from './logging/logger';

export interface ServiceBootstrapOptions {
  /** The service's name and queue group. */
  name: string;
  module: Type<unknown> | DynamicModule;
  transport: BusTransport;
  logger: Logger;
}

/**
 * Starts a NestJS microservice on the bus: the service's queue group, the
 * request-scope interceptor, the one exception filter, JSON logs.
 */
export async function startService(options: ServiceBootstrapOptions): Promise<INestMicroservice> {
  const inFlight = new InFlightTracker();
  const app = await NestFactory.createMicroservice(options.module, {
    strategy: createBusServer(options.transport, options.name, inFlight),
    logger: new NestPinoLogger(options.logger.child({ component: 'nest' })),
  });
  app.useGlobalInterceptors(new BusHandlerInterceptor(options.logger, inFlight));
  app.useGlobalFilters(new BusExceptionFilter(options.logger, options.name));
  try {
    await app.listen();
  } catch (error) {
    // A start-up hook refused (a configuration check, say): release the database and the bus.
    await app.close().catch(() => undefined);
    throw error;
  }
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
    let code = 0;
    for (const closeable of closeables) {
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
 * value and exits with 1; any other start-up failure is logged and exits with 1.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`${name}: configuration error: ${problem}\n`);
    } else {
      process.stderr.write(`${name}: failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    }
    process.exit(1);
  });
}
