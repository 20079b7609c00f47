import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL for `pg` and TypeORM, on loopback only (PGlite has no authentication). */
  url: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite) with its data in `directory`,
 * behind a socket server so `pg` and TypeORM use it unchanged.
 * The caller must hold the data folder's lock: PGlite does not lock it itself.
 */
export async function startEmbeddedPostgres(directory: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(directory);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
