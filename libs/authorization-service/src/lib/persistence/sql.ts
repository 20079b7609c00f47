import { IamError } from '@iam/contracts';
import { EntityManager } from 'typeorm';

/** Anything that runs SQL: the data source or a transaction's entity manager. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Rows of a SELECT (or of a statement with RETURNING that is not UPDATE/DELETE). */
export async function rows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return (await db.query<T[]>(sql, parameters)) ?? [];
}

/** Rows of an UPDATE/DELETE ... RETURNING: TypeORM answers `[rows, count]` for those. */
export async function changed<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await db.query<unknown>(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return (result as T[]) ?? [];
}

/**
 * Serializes, for the rest of the transaction, everything that changes which
 * policies a principal has (attach, put, begin-delete, cleanup). A transaction
 * lock: released at commit or rollback, harmless where transactions already
 * run one at a time.
 */
export async function lockPrincipal(manager: EntityManager, principalId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`authorization.principal:${principalId}`]);
}

/** Whether a delete of the principal has begun (it may not be given policies any more). */
export async function isTombstoned(manager: EntityManager, principalId: string): Promise<boolean> {
  const found = await rows(manager, 'SELECT 1 FROM "authorization".principal_tombstones WHERE principal_id = $1', [principalId]);
  return found.length > 0;
}

/** Opaque pagination markers: the sort key of the last item returned. */
export function encodeMarker(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeMarker(marker: string, arity?: number): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as unknown;
    // Keys are stored strings (never holding U+0000, which PostgreSQL text cannot) and finite numbers.
    const part = (p: unknown) => (typeof p === 'string' && !p.includes('\u0000')) || (typeof p === 'number' && Number.isFinite(p));
    if (Array.isArray(key) && (arity === undefined || key.length === arity) && key.length > 0 && key.every(part)) {
      return key as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw new IamError('InvalidInput', 'Invalid Marker.');
}

/**
 * One page of `items` (already sorted by `key`), after the item whose key the
 * marker names, in AWS's shape.
 */
export function page<T>(
  items: readonly T[],
  key: (item: T) => (string | number)[],
  request: { Marker?: string; MaxItems?: number },
  defaultMaxItems = 100,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  let start = 0;
  if (request.Marker !== undefined) {
    const after = decodeMarker(request.Marker);
    start = items.findIndex((item) => compareKeys(key(item), after) > 0);
    if (start === -1) start = items.length;
  }
  const max = request.MaxItems ?? defaultMaxItems;
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return truncated
    ? { items: slice, IsTruncated: true, Marker: encodeMarker(key(slice[slice.length - 1])) }
    : { items: slice, IsTruncated: false };
}

export function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
