/** Anything that runs SQL: the data source or a transaction's entity manager. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Rows of a SELECT (or of a statement with RETURNING that is not UPDATE/DELETE). */
export async function rows<T>(db: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return (await db.query<T[]>(sql, parameters)) ?? [];
}
