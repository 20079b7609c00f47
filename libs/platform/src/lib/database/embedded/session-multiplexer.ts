import { Duplex } from 'node:stream';
import {
  CANCEL_REQUEST,
  errorResponse,
  GSSENC_REQUEST,
  PROTOCOL_3,
  ProtocolViolation,
  queryMessage,
  replySummary,
  SSL_REQUEST,
  startupMessage,
  startupPacketLength,
  startupParameters,
  SYNC,
  takeMessages,
  TransactionStatus,
  typedMessageLength,
} from './wire';

/**
 * A PostgreSQL engine with ONE session that speaks the wire protocol in
 * process, such as PGlite (`execProtocolRaw`, `runExclusive`).
 */
export interface ProtocolEngine {
  /** Runs frontend messages in the session; resolves with the backend's reply. */
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  /** Runs `fn` while nothing else uses the engine. */
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * How long a connection may hold the session while it sends nothing, inside a
 * transaction or in the middle of a query, before it is terminated (as
 * PostgreSQL's `idle_in_transaction_session_timeout` does). Every other
 * connection waits meanwhile: a transaction awaiting something that itself
 * needs the database would otherwise wait forever.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 5_000;

export interface SessionMultiplexerOptions {
  idleInTransactionTimeoutMs?: number;
  /** The only role and database a connection may ask for (the engine's own); `postgres` unless given. */
  user?: string;
  database?: string;
  /** Told when the multiplexer ends a connection on its own, with PostgreSQL's message. */
  onTerminated?: (message: string) => void;
  /** Told once when the engine failed and nothing can run any more (every connection is refused from then on). */
  onBroken?: (error: Error) => void;
}

type Work = { kind: 'none' } | { kind: 'terminate' } | { kind: 'startup' | 'messages'; bytes: Buffer };

class ClientConnection {
  input: Buffer = Buffer.alloc(0);
  started = false;
  /** The transaction status of the session the last time this connection held it. */
  status: TransactionStatus = 'I';
  /** It sent messages since its last ReadyForQuery: it is in the middle of something. */
  inUnit = false;
  /** The client ended its side: what it sent is still run, then the connection closes. */
  ending = false;
  closed = false;
  idleTimer?: NodeJS.Timeout;
  readonly stream: SessionStream;

  constructor(
    readonly id: number,
    stream: (connection: ClientConnection) => SessionStream,
  ) {
    this.stream = stream(this);
  }

  /** Ends the connection from the server's side: nothing more is read from it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.input = Buffer.alloc(0);
    clearTimeout(this.idleTimer);
    if (!this.stream.destroyed) this.stream.push(null);
  }

  send(bytes: Uint8Array): void {
    if (!this.closed && !this.stream.destroyed) this.stream.push(Buffer.from(bytes));
  }
}

/**
 * The socket `pg` would open, in memory: what `pg` writes goes to the
 * multiplexer, what the session answers is read back. It has the methods of
 * `net.Socket` that `pg` calls.
 */
export class SessionStream extends Duplex {
  constructor(private readonly sink: { receive(chunk: Buffer): void; ended(): void; gone(): void }) {
    super({ allowHalfOpen: false });
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _read(): void {
    // Replies are pushed as the session produces them.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sink.receive(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sink.ended();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.sink.gone();
    callback(error);
  }
}

/**
 * Many client connections over one database session, the way a
 * transaction-mode pooler shares a server connection: a connection gets the
 * session with its first message and keeps it until ReadyForQuery reports the
 * session idle (`I`), that is for one query, or for a whole transaction from
 * BEGIN to COMMIT or ROLLBACK. The others wait their turn, in order. So no two
 * connections' messages ever interleave, and each connection reads only the
 * replies to what it sent.
 *
 * A connection that goes away (Terminate, end of stream, destroyed) while it
 * holds the session is rolled back first. One that holds the session without
 * sending anything for `idleInTransactionTimeoutMs` is terminated with
 * PostgreSQL's FATAL error 25P03 and rolled back.
 *
 * Session state outlives a connection (settings made with SET, named prepared
 * statements, temporary tables, advisory locks): as behind a transaction-mode
 * pooler, clients must not rely on it.
 */
export class SessionMultiplexer {
  private readonly connections = new Set<ClientConnection>();
  private readonly waiting: ClientConnection[] = [];
  private holder?: ClientConnection;
  private running?: Promise<void>;
  private scheduled = false;
  private closing = false;
  private broken?: Error;
  private nextId = 1;
  private startup?: Promise<Uint8Array>;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly engine: ProtocolEngine,
    private readonly options: SessionMultiplexerOptions = {},
  ) {
    this.idleTimeoutMs = options.idleInTransactionTimeoutMs ?? IDLE_IN_TRANSACTION_TIMEOUT_MS;
  }

  /** A new client connection: give it to `pg` as its `stream`. */
  connect(): Duplex {
    const connection = new ClientConnection(
      this.nextId++,
      (self) =>
        new SessionStream({
          receive: (chunk) => this.receive(self, chunk),
          ended: () => this.ended(self),
          gone: () => this.gone(self),
        }),
    );
    const stream = connection.stream;
    if (this.closing || this.broken) {
      const reason = this.broken ? `the embedded database failed: ${this.broken.message}` : 'the embedded database is shutting down';
      process.nextTick(() => stream.destroy(new Error(reason)));
      return stream;
    }
    this.connections.add(connection);
    stream.once('close', () => this.connections.delete(connection));
    return stream;
  }

  /** How many connections are open, waiting for the session, and whether one holds it. */
  stats(): { connections: number; waiting: number; held: boolean } {
    return { connections: this.connections.size, waiting: this.waiting.length, held: this.holder !== undefined };
  }

  /**
   * Lets what is already queued run (a client's last statements, its Terminate), then terminates
   * every connection left (those ending already quietly, the others with PostgreSQL's FATAL
   * 57P01), rolls back the one inside a transaction, and waits until the session is idle.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.pump();
    for (const connection of this.connections) {
      if (connection.ending || connection.input[0] === 0x58) connection.close();
      else this.fail(connection, '57P01', 'terminating connection due to administrator command');
    }
    await this.pump();
    for (const connection of this.connections) connection.stream.destroy();
  }

  private receive(connection: ClientConnection, chunk: Buffer): void {
    if (connection.closed) return;
    connection.input = connection.input.length === 0 ? chunk : Buffer.concat([connection.input, chunk]);
    clearTimeout(connection.idleTimer);
    try {
      if (!connection.started) this.answerBeforeStartup(connection);
    } catch (error) {
      this.violation(connection, error);
      return;
    }
    this.enqueue(connection);
  }

  /** SSL and GSSAPI requests are declined and cancel requests ignored, without the session. */
  private answerBeforeStartup(connection: ClientConnection): void {
    for (;;) {
      const length = startupPacketLength(connection.input);
      if (length === 0) return;
      const code = connection.input.readInt32BE(4);
      if (code === PROTOCOL_3) return;
      connection.input = connection.input.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        connection.send(Buffer.from('N'));
      } else if (code === CANCEL_REQUEST) {
        connection.close();
        return;
      } else {
        throw new ProtocolViolation(`unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
      }
    }
  }

  private ended(connection: ClientConnection): void {
    connection.ending = true;
    this.enqueue(connection);
  }

  private gone(connection: ClientConnection): void {
    if (connection.closed) return;
    connection.close();
    this.schedule();
  }

  /** Puts `connection` in line for the session when it has something to run; closes an ended one that holds nothing. */
  private enqueue(connection: ClientConnection): void {
    if (connection !== this.holder && !this.waiting.includes(connection)) {
      if (this.hasWork(connection)) {
        this.waiting.push(connection);
      } else if (connection.ending) {
        connection.close();
      }
    }
    this.schedule();
  }

  private hasWork(connection: ClientConnection): boolean {
    if (connection.closed) return false;
    try {
      return connection.started ? typedMessageLength(connection.input, 0) > 0 : startupPacketLength(connection.input) > 0;
    } catch {
      return true; // the violation is reported when it is its turn
    }
  }

  /** Runs the pump once the current synchronous writes are done, so that a client's burst of messages goes in together. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  private pump(): Promise<void> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.broken) return;
      let connection = this.holder;
      if (!connection) {
        connection = this.waiting.shift();
        if (!connection) return;
        if (connection.closed) continue;
        this.holder = connection;
      }
      if (connection.closed) {
        await this.release(connection);
        continue;
      }
      let work: Work;
      try {
        work = this.nextWork(connection);
      } catch (error) {
        this.violation(connection, error);
        continue;
      }
      if (work.kind === 'none') {
        if (connection.ending) {
          connection.close();
          continue;
        }
        this.armIdleTimer(connection);
        return;
      }
      if (work.kind === 'terminate') {
        connection.close();
        continue;
      }
      let reply: Uint8Array;
      try {
        if (work.kind === 'startup') {
          const refusal = this.refusal(work.bytes);
          if (refusal) {
            this.fail(connection, refusal.code, refusal.message);
            continue;
          }
          reply = await this.startupReply();
        } else {
          reply = await this.execute(work.bytes);
        }
      } catch (error) {
        // The engine threw: whatever state the session is in, it cannot be trusted any more.
        this.breakDown(error as Error);
        return;
      }
      // The state first: the client may answer synchronously while it reads the reply.
      if (work.kind === 'startup') connection.started = true;
      const summary = replySummary(reply);
      if (summary.status) connection.status = summary.status;
      connection.inUnit = !summary.ready;
      const released = !connection.inUnit && connection.status === 'I';
      if (released) this.holder = undefined;
      connection.send(reply);
      if (released) this.enqueue(connection);
    }
  }

  private nextWork(connection: ClientConnection): Work {
    if (!connection.started) {
      const length = startupPacketLength(connection.input);
      if (length === 0) return { kind: 'none' };
      const bytes = connection.input.subarray(0, length);
      connection.input = connection.input.subarray(length);
      connection.inUnit = true;
      return { kind: 'startup', bytes };
    }
    const { batch, rest, terminate } = takeMessages(connection.input);
    if (terminate) return { kind: 'terminate' };
    if (batch.length === 0) return { kind: 'none' };
    connection.input = rest;
    connection.inUnit = true;
    return { kind: 'messages', bytes: batch };
  }

  /**
   * A connection may ask only for the engine's role and database: PGlite has no other, and a FATAL
   * error during its startup would end the engine itself.
   */
  private refusal(packet: Buffer): { code: string; message: string } | undefined {
    const parameters = startupParameters(packet);
    const user = parameters['user'] ?? '';
    const database = parameters['database'] || user;
    if (user !== (this.options.user ?? 'postgres')) return { code: '28000', message: `role "${user}" does not exist` };
    if (database !== (this.options.database ?? 'postgres')) return { code: '3D000', message: `database "${database}" does not exist` };
    return undefined;
  }

  /** The engine's answer to a startup with its own role and database, asked once: every connection gets the same. */
  private startupReply(): Promise<Uint8Array> {
    this.startup ??= this.execute(startupMessage({ user: this.options.user ?? 'postgres', database: this.options.database ?? 'postgres' })).then((reply) => Uint8Array.from(reply));
    return this.startup;
  }

  private execute(bytes: Uint8Array): Promise<Uint8Array> {
    return this.engine.runExclusive(() => this.engine.execProtocolRaw(bytes));
  }

  /**
   * Gives the session up after `connection` closed. Whatever it left open is rolled back: an
   * unfinished extended query (the simple-query ROLLBACK aborts its implicit transaction; a
   * Sync ends one that failed) and an open transaction block.
   */
  private async release(connection: ClientConnection): Promise<void> {
    try {
      if (connection.inUnit || connection.status !== 'I') {
        let status = replySummary(await this.execute(Buffer.concat([queryMessage('ROLLBACK'), SYNC]))).status;
        if (status !== 'I') status = replySummary(await this.execute(queryMessage('ROLLBACK'))).status;
        if (status !== 'I') throw new Error(`the session is still in a transaction (status ${status}) after ROLLBACK`);
      }
    } catch (error) {
      this.breakDown(error as Error);
    } finally {
      connection.inUnit = false;
      connection.status = 'I';
      if (this.holder === connection) this.holder = undefined;
    }
  }

  /** The session could not be brought back to idle: nothing may run in it any more. */
  private breakDown(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    this.holder = undefined;
    this.waiting.length = 0;
    for (const connection of this.connections) this.fail(connection, 'XX000', `the embedded database failed: ${error.message}`);
    this.options.onBroken?.(error);
  }

  private armIdleTimer(connection: ClientConnection): void {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => {
      if (this.holder !== connection || connection.closed || this.hasWork(connection)) return;
      const message =
        connection.status === 'I'
          ? 'terminating connection due to idle timeout in the middle of a query'
          : 'terminating connection due to idle-in-transaction timeout';
      this.fail(connection, '25P03', message);
      this.options.onTerminated?.(
        `${message}: connection ${connection.id} held the embedded database's only session for ${this.idleTimeoutMs} ms without sending anything; it was rolled back`,
      );
      this.schedule();
    }, this.idleTimeoutMs);
    connection.idleTimer.unref();
  }

  private violation(connection: ClientConnection, error: unknown): void {
    if (!(error instanceof ProtocolViolation)) throw error;
    this.fail(connection, '08P01', error.message);
    this.options.onTerminated?.(`protocol violation on connection ${connection.id}: ${error.message}`);
    this.schedule();
  }

  /** Sends `connection` a FATAL error and closes it; the pump rolls back what it held. */
  private fail(connection: ClientConnection, code: string, message: string): void {
    if (connection.closed) return;
    connection.send(errorResponse('FATAL', code, message));
    connection.close();
  }
}
