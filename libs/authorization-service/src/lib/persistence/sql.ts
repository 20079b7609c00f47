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
