import { createLogger } from '@iam/platform';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';

/** A logger that keeps every line in memory, for specs that read the logs. */
export function memoryLogger(service: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(service, 'debug', destination), lines };
}

/** A logger that writes nothing, for specs that do not read the logs. */
export function silentLogger(service: string): Logger {
  return createLogger(service, 'silent');
}
