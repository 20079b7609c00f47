import { PGlite } from '@electric-sql/pglite';
import { SessionMultiplexer } from '@iam/platform';
import type { Duplex } from 'node:stream';
import { ownerOnly } from './data-dir';

export interface EmbeddedPostgres {
  /** Names the database for TypeORM and `pg`; nothing connects to it: every connection is a stream in this process. */
  url: string;
  /** A new connection to the embedded database, for `pg`'s `stream` option. */
  stream: () => Duplex;
  close(): Promise<void>;
}

/** The `url` of the embedded database. Its host is never resolved nor dialled. */
export const EMBEDDED_DATABASE_URL = 'postgres://postgres@embedded.invalid/postgres';

/**
 * PostgreSQL compiled to WebAssembly (PGlite) with its data in `directory`, in this process and
 * with no socket: `pg` and TypeORM reach it through in-memory streams, and a session multiplexer
 * gives its one session to one connection at a time, from a query's or a transaction's first
 * message to its end (see `SessionMultiplexer`). No other process or OS user can connect to it.
 * The caller must hold the data folder's lock: PGlite does not lock it itself. Should PGlite stop
 * working (it ends on any FATAL error inside it), the process logs it and exits with 1.
 */
export async function startEmbeddedPostgres(directory: string, logger: { warn(message: string): void; fatal(object: object, message: string): void }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(directory);
  // A first start copies a fresh database in with the modes of PGlite's archive (0666 and 0644);
  // what PostgreSQL creates afterwards follows the process's umask (0077, see lockDataDir).
  ownerOnly(directory);
  const sessions = new SessionMultiplexer(db, {
    onTerminated: (message) => logger.warn(message),
    // PGlite ends on a FATAL error inside it: nothing can be served any more, so stop and let IAM be restarted.
    onBroken: (error) => {
      logger.fatal({ err: error }, 'the embedded database stopped working; IAM stops (start it again: committed data is kept)');
      process.exit(1);
    },
  });
  return {
    url: EMBEDDED_DATABASE_URL,
    stream: () => sessions.connect(),
    async close() {
      await sessions.close();
      await db.close();
    },
  };
}
