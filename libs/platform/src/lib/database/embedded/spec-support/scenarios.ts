import { PGlite } from '@electric-sql/pglite';
import { Client, Pool, PoolConfig } from 'pg';
import { serialize } from 'pg-protocol';
import { Duplex } from 'node:stream';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database.module';
import { guardTransactions } from '../../transaction-guard';
import { SessionMultiplexer } from '../session-multiplexer';

/**
 * What the session multiplexer does with real `pg` clients over a real PGlite, scenario by
 * scenario. Each returns what it saw; `session-multiplexer.spec.ts` holds the expectations.
 */

export const IDLE_TIMEOUT_MS = 300;

/** ReadyForQuery, session idle; AuthenticationOk. */
const READY_IDLE = 'Z\0\0\0\x05I';
const AUTHENTICATION_OK = 'R\0\0\0\x08\0\0\0\0';

interface Context {
  db: PGlite;
  mux: SessionMultiplexer;
  config: () => PoolConfig;
  terminated: string[];
}

/** Many `pg` clients, parameterised queries and transactions interleaving; every result checked against its own query. */
async function interleaved({ config }: Context) {
  const workers = 16;
  const rounds = 80;
  const pool = new Pool({ ...config(), max: workers });
  pool.on('error', () => undefined);
  const problems: string[] = [];
  const committed = new Set<number>();
  const rolledBack = new Set<number>();
  await pool.query('CREATE TABLE interleaved (id int PRIMARY KEY, owner text NOT NULL, note text)');
  const mineCommitted = (w: number) => [...committed].filter((c) => Math.floor(c / 10_000) === w).sort((a, b) => a - b);
  const worker = async (w: number) => {
    const owner = `worker-${w}`;
    for (let i = 0; i < rounds; i++) {
      const id = w * 10_000 + i;
      try {
        switch (i % 4) {
          case 0: {
            const repeat = (i % 7) + 1;
            const { rows } = await pool.query('SELECT $1::int AS id, $2::text AS owner, repeat($2, $3::int) AS padded', [id, owner, repeat]);
            if (rows.length !== 1 || rows[0].id !== id || rows[0].owner !== owner || rows[0].padded !== owner.repeat(repeat)) {
              problems.push(`query ${id} got ${JSON.stringify(rows)}`);
            }
            break;
          }
          case 1:
          case 2: {
            const client = await pool.connect();
            try {
              await client.query('BEGIN');
              const inserted = await client.query('INSERT INTO interleaved (id, owner, note) VALUES ($1, $2, $3) RETURNING id, owner', [id, owner, `note ${i}`]);
              if (JSON.stringify(inserted.rows) !== JSON.stringify([{ id, owner }])) problems.push(`insert ${id} returned ${JSON.stringify(inserted.rows)}`);
              const mine = await client.query('SELECT id FROM interleaved WHERE owner = $1 ORDER BY id', [owner]);
              const expected = [...mineCommitted(w), id].sort((a, b) => a - b);
              const seen = mine.rows.map((row) => row.id);
              if (JSON.stringify(seen) !== JSON.stringify(expected)) problems.push(`transaction ${id} saw ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
              if (i % 4 === 1) {
                await client.query('COMMIT');
                committed.add(id);
              } else {
                await client.query('ROLLBACK');
                rolledBack.add(id);
              }
            } finally {
              client.release();
            }
            break;
          }
          default: {
            // An error belongs to the connection that caused it; the same pool serves the next query.
            const duplicate = mineCommitted(w)[0];
            if (duplicate !== undefined) {
              const failed = await pool.query('INSERT INTO interleaved (id, owner) VALUES ($1, $2)', [duplicate, owner]).then(
                () => 'no error',
                (error: { code?: string; message: string }) => error.code ?? error.message,
              );
              if (failed !== '23505') problems.push(`duplicate ${duplicate} gave ${failed}`);
            }
            const { rows } = await pool.query('SELECT count(*)::int AS n FROM interleaved WHERE owner = $1', [owner]);
            if (rows.length !== 1 || rows[0].n !== mineCommitted(w).length) problems.push(`count for ${owner} was ${JSON.stringify(rows)}, expected ${mineCommitted(w).length}`);
          }
        }
      } catch (error) {
        problems.push(`${id}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const stored = (await pool.query('SELECT id FROM interleaved ORDER BY id')).rows.map((row) => row.id as number);
  await pool.end();
  return {
    problems: problems.slice(0, 20),
    problemCount: problems.length,
    committed: [...committed].sort((a, b) => a - b),
    rolledBackStored: [...rolledBack].filter((id) => stored.includes(id)),
    stored,
  };
}

/** Separate clients (not a pool) each with its own multi-row results, all at once. */
async function separateClients({ config }: Context) {
  const clients = await Promise.all(
    Array.from({ length: 24 }, async () => {
      const client = new Client(config());
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );
  const wrong: string[] = [];
  let answered = 0;
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < 40; i++) {
        try {
          const { rows } = await client.query('SELECT $1::text AS who, $2::int * 2 AS twice, generate_series(1, $3::int) AS n', [`client-${c}`, i, (i % 5) + 1]);
          if (rows.length !== (i % 5) + 1 || rows.some((row) => row.who !== `client-${c}` || row.twice !== i * 2)) wrong.push(`${c}/${i}: ${JSON.stringify(rows)}`);
          else answered++;
        } catch (error) {
          wrong.push(`${c}/${i}: ${(error as Error).message}`);
        }
      }
    }),
  );
  await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  return { wrong: wrong.slice(0, 20), wrongCount: wrong.length, answered };
}

/** A client that ends inside a transaction while another waits for the session. */
async function abandonedTransaction({ config }: Context) {
  const pool = new Pool({ ...config(), max: 4 });
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE abandoned (id int PRIMARY KEY)');
  const client = new Client(config());
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO abandoned VALUES (1)');
  const waiting = pool.query('INSERT INTO abandoned VALUES (2) RETURNING id');
  await client.end();
  const waited = (await waiting).rows;
  const stored = (await pool.query('SELECT id FROM abandoned ORDER BY id')).rows;
  await pool.end();
  return { waited, stored };
}

/** A raw connection on which a scenario writes protocol messages itself. */
async function rawConnection(mux: SessionMultiplexer) {
  const stream: Duplex = mux.connect();
  let received = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  stream.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  const wait = async (piece: string) => {
    for (let i = 0; i < 300 && !received.toString('latin1').includes(piece); i++) await new Promise((r) => setTimeout(r, 10));
    return received.toString('latin1').includes(piece);
  };
  return { stream, closed, wait, received: () => received.toString('latin1'), reset: () => (received = Buffer.alloc(0)) };
}

/** A connection destroyed after Parse/Bind/Execute of an INSERT, before its Sync. */
async function unfinishedExtendedQuery({ db, mux, config }: Context) {
  await db.exec('CREATE TABLE unfinished (id int PRIMARY KEY)');
  const raw = await rawConnection(mux);
  raw.stream.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
  const started = await raw.wait(READY_IDLE);
  raw.reset();
  raw.stream.write(Buffer.concat([serialize.parse({ text: 'INSERT INTO unfinished VALUES ($1)' }), serialize.bind({ values: ['7'] }), serialize.execute({})]));
  const executed = await raw.wait('INSERT 0 1');
  raw.stream.destroy();
  const pool = new Pool({ ...config(), max: 1 });
  const rows = (await pool.query('SELECT count(*)::int AS n FROM unfinished')).rows;
  await pool.end();
  return { started, executed, rows };
}

/** A transaction that waits on something that itself needs the database. */
async function idleInTransaction({ config, terminated }: Context) {
  terminated.length = 0;
  const pool = new Pool({ ...config(), max: 2 });
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE idle (id int PRIMARY KEY)');
  const holder = new Client(config());
  const errors: Array<{ code?: string; message: string }> = [];
  holder.on('error', (error: Error & { code?: string }) => errors.push({ code: error.code, message: error.message }));
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('INSERT INTO idle VALUES (1)');
  const started = Date.now();
  const waiting = (await pool.query('INSERT INTO idle VALUES (2) RETURNING id')).rows;
  const waitedMs = Date.now() - started;
  const commit = await holder.query('COMMIT').then(
    () => 'committed',
    (error: Error) => error.message,
  );
  const stored = (await pool.query('SELECT id FROM idle ORDER BY id')).rows;
  await pool.end();
  return { waiting, waitedMs, errors, commit, stored, terminated: [...terminated] };
}

/** SSLRequest, startup, Terminate on a raw connection. */
async function startupAndTerminate({ mux }: Context) {
  const raw = await rawConnection(mux);
  raw.stream.write(serialize.requestSsl());
  await raw.wait('N');
  const ssl = raw.received();
  raw.reset();
  raw.stream.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
  await raw.wait(READY_IDLE);
  const startup = raw.received();
  raw.stream.write(serialize.end());
  const closed = await Promise.race([raw.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 2_000))]);
  return { ssl, startupOk: startup.startsWith(AUTHENTICATION_OK) && startup.endsWith(READY_IDLE), closed };
}

/** A connection that breaks the protocol, and one after it. */
async function protocolViolation({ mux, config }: Context) {
  const raw = await rawConnection(mux);
  raw.stream.write(Buffer.from([0, 0, 0, 8, 0, 2, 0, 0]));
  const closed = await Promise.race([raw.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 2_000))]);
  const pool = new Pool({ ...config(), max: 1 });
  const after = (await pool.query('SELECT 1 AS one')).rows;
  await pool.end();
  return { reply: raw.received(), closed, after };
}

/**
 * TypeORM over the multiplexer as the services use it, with the transaction guard: concurrent
 * transactions all commit; a query on another connection inside a transaction (directly, or from
 * a handler reached the way the in-process bus reaches one) fails at once instead of hanging.
 */
async function guardedTypeorm({ mux }: Context) {
  const dataSource = guardTransactions(
    await new DataSource(
      dataSourceOptions({ url: 'postgres://postgres@embedded.invalid/postgres', stream: () => mux.connect(), schema: 'guarded', entities: [], migrations: [], poolSize: 4 }),
    ).initialize(),
  );
  await dataSource.query('CREATE SCHEMA guarded');
  await dataSource.query('CREATE TABLE guarded.counters (id int PRIMARY KEY, n int NOT NULL)');
  await dataSource.query('INSERT INTO guarded.counters VALUES (1, 0)');
  // 40 transactions at once, each a read-modify-write: none may be lost.
  await Promise.all(
    Array.from({ length: 40 }, () =>
      dataSource.transaction(async (manager) => {
        const [{ n }] = await manager.query('SELECT n FROM guarded.counters WHERE id = 1 FOR UPDATE');
        await manager.query('UPDATE guarded.counters SET n = $1 WHERE id = 1', [n + 1]);
      }),
    ),
  );
  const [{ n: counted }] = await dataSource.query('SELECT n FROM guarded.counters WHERE id = 1');
  const outcome = async (work: () => Promise<unknown>) => {
    const started = Date.now();
    const result = await work().then(
      () => 'ok',
      (error: Error) => error.name,
    );
    return { result, ms: Date.now() - started };
  };
  const outsideQuery = await outcome(() =>
    dataSource.transaction(async (manager) => {
      await manager.query('UPDATE guarded.counters SET n = -1 WHERE id = 1');
      await dataSource.query('SELECT 1');
    }),
  );
  const viaBus = await outcome(() =>
    dataSource.transaction(async (manager) => {
      await manager.query('UPDATE guarded.counters SET n = -2 WHERE id = 1');
      await new Promise((resolve, reject) => setImmediate(() => dataSource.query('SELECT 1').then(resolve, reject)));
    }),
  );
  const nested = await outcome(() => dataSource.transaction(() => dataSource.transaction(async () => undefined)));
  const [{ n: after }] = await dataSource.query('SELECT n FROM guarded.counters WHERE id = 1');
  // Work started inside a transaction but run after it ended is not refused.
  let later: Promise<unknown> = Promise.resolve();
  await dataSource.transaction(async () => {
    later = new Promise((resolve) => setTimeout(resolve, 50)).then(() => dataSource.query('SELECT 1 AS one'));
  });
  const afterwards = await later;
  await dataSource.destroy();
  return { counted, outsideQuery, viaBus, nested, after, afterwards };
}

/** A client asking for a role or a database PGlite does not have (a FATAL inside PGlite would end it). */
async function unknownRoleOrDatabase({ config }: Context) {
  const attempt = async (extra: PoolConfig) => {
    const client = new Client({ ...config(), ...extra });
    client.on('error', () => undefined);
    return client.connect().then(
      async () => {
        await client.end();
        return 'connected';
      },
      (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
    );
  };
  const role = await attempt({ user: 'intruder' });
  const database = await attempt({ database: 'elsewhere' });
  const pool = new Pool({ ...config(), max: 1 });
  const after = (await pool.query('SELECT 1 AS one')).rows;
  await pool.end();
  return { role, database, after };
}

const SCENARIOS = { interleaved, separateClients, abandonedTransaction, unfinishedExtendedQuery, idleInTransaction, startupAndTerminate, protocolViolation, unknownRoleOrDatabase, guardedTypeorm };
export type Findings = { [K in keyof typeof SCENARIOS]: Awaited<ReturnType<(typeof SCENARIOS)[K]>> | { failed: string } };

function bounded<T>(promise: Promise<T>, ms: number): Promise<T | { failed: string }> {
  return Promise.race([promise.catch((error: Error) => ({ failed: error.stack ?? error.message })), new Promise<{ failed: string }>((r) => setTimeout(() => r({ failed: `no answer within ${ms} ms` }), ms))]);
}

/** Runs the named scenarios (all when none is named) on one in-memory PGlite behind one multiplexer. */
export async function main(names: string[]): Promise<Partial<Findings>> {
  const db = await PGlite.create();
  const terminated: string[] = [];
  const mux = new SessionMultiplexer(db, { idleInTransactionTimeoutMs: IDLE_TIMEOUT_MS, onTerminated: (message) => terminated.push(message) });
  const context: Context = { db, mux, terminated, config: () => ({ stream: () => mux.connect(), user: 'postgres', database: 'postgres', query_timeout: 10_000 }) };
  const findings: Record<string, unknown> = {};
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
    const scenario: (context: Context) => Promise<unknown> = SCENARIOS[name as keyof typeof SCENARIOS];
    findings[name] = await bounded(scenario(context), 90_000);
  }
  findings['terminatedOutside'] = terminated;
  await mux.close();
  await db.close();
  return findings as Partial<Findings>;
}
