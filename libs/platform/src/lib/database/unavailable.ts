import { Errors, IamError } from '@iam/contracts';

/** Socket errors of a database that cannot be reached or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs that say the server is not serving: class 08 (connection
 * exception), 57P01–57P05 (shut down, crashed, starting up, idle session
 * timeout), 53300 (too many connections), 57014 (a statement cancelled by its
 * timeout) and 25P03 (idle in transaction timeout).
 */
function unavailableState(code: string): boolean {
  return code.startsWith('08') || /^57P0[1-5]$/.test(code) || code === '53300' || code === '57014' || code === '25P03';
}

/**
 * Messages of `pg` and `pg-pool` for a connection lost, refused or timed out, and TypeORM's
 * for a transaction whose connection went away between two statements (its query runner
 * releases itself on the connection's `error` event, so the next statement finds it released).
 */
const MESSAGES = /Connection terminated|Query runner already released|query runner was already released|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Connection is not established|Cannot use a pool after calling end|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether `error` (from `pg`, `pg-pool` or TypeORM, which keeps the driver's
 * error as `driverError`) means the database cannot answer right now, as
 * opposed to a failed statement: the request can be retried later.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string' && (NETWORK_CODES.has(candidate.code) || (/^[0-9A-Z]{5}$/.test(candidate.code) && unavailableState(candidate.code)))) return true;
  if (typeof candidate.message === 'string' && MESSAGES.test(candidate.message)) return true;
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(candidate.driverError, depth + 1) || isDatabaseUnavailable(candidate.cause, depth + 1);
}

/** The error a caller gets when `service`'s database does not answer: 503, retryable. */
export function databaseUnavailable(service: string): IamError {
  return Errors.unavailable(service, 'its database does not answer');
}
