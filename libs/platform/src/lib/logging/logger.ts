import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import pretty from 'pino-pretty';
import { RequestScope } from '../request-scope';

/**
 * Structured JSON logs. Every line carries the service name and, inside a
 * request, the request id that travelled with it over the bus.
 * Never log payloads: they may hold passwords or secrets.
 * On a terminal (stdout a TTY) the same records are written readably by
 * pino-pretty, unless IAM_LOG_FORMAT=json; anywhere else, one JSON object a line.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = RequestScope.requestId();
        return requestId ? { requestId } : {};
      },
      serializers: { err: safeError, error: safeError },
      redact: {
        paths: ['password', '*.password', 'secret', '*.secret', '*.SecretAccessKey', 'SecretAccessKey', '*.Password', 'Password', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? terminalDestination(),
  );
}

/** A readable stream for a terminal, or undefined for JSON on stdout. */
export function terminalDestination(stdout: { isTTY?: boolean } = process.stdout, format = process.env['IAM_LOG_FORMAT']): pino.DestinationStream | undefined {
  if (format === 'json' || (format !== 'pretty' && !stdout.isTTY)) return undefined;
  return pretty({ colorize: Boolean(stdout.isTTY), sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/**
 * Errors are logged with their type, message, code and stack only: database
 * errors carry the query's parameters, which may hold secrets.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.constructor.name, message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: error.stack };
}

/** Adapts pino to Nest's logger interface so framework messages are JSON too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, stringify(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, stringify(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, stringify(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, stringify(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, stringify(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, stringify(message));
  }
}

function stringify(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  return JSON.stringify(message);
}

