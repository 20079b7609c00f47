import { NatsContext, Transport, WritePacket } from '@nestjs/microservices';
import { BusNoResponders, BusRequester, BusTimeout, Errors } from '@iam/contracts';
import { BusServer, IncomingPacket } from './bus-server';
import { connect, ConnectionOptions, createInbox, headers as natsHeaders, JSONCodec, Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';
import { InFlightTracker } from './in-flight';
import { CHUNK_HEADER, CHUNK_HEADROOM, MAX_REPLY_BYTES, MAX_REPLY_CHUNKS, NATS_MAX_PAYLOAD, replyTooLarge } from './limits';

export interface IamNatsServerOptions {
  servers: string;
  /** The queue group: the service's name, so its replicas share requests. */
  queue: string;
  /** Prefix for every subject. */
  prefix: string;
  /** Connection name shown by NATS monitoring. */
  name: string;
  /** Credentials, TLS and inbox (`natsConnectionOptions`). */
  connection?: Partial<ConnectionOptions>;
}

/**
 * NATS server strategy speaking the same wire format as Nest's `ServerNats`,
 * with the subscription rules this system needs: requests in the service's
 * queue group (replicas share the load), events on plain subscriptions
 * (every replica sees every event), every subject under an optional prefix.
 * On close it stops taking messages, lets in-flight handlers finish, then
 * drains the connection.
 */
export class IamNatsServer extends BusServer {
  override readonly transportId = Transport.NATS;
  private connection: NatsConnection | null = null;
  private subscriptions: Subscription[] = [];
  private readonly codec = JSONCodec<IncomingPacket>();
  private readonly replyCodec = JSONCodec();

  constructor(
    private readonly options: IamNatsServerOptions,
    private readonly inFlight: InFlightTracker,
  ) {
    super();
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      this.connection = await connect({
        ...this.options.connection,
        servers: this.options.servers,
        name: this.options.name,
        maxReconnectAttempts: -1,
      });
    } catch (error) {
      callback(error);
      return;
    }
    for (const [channel, handler] of this.messageHandlers) {
      this.subscriptions.push(
        this.connection.subscribe(this.options.prefix + channel, {
          queue: handler.isEventHandler ? undefined : this.options.queue,
          callback: (error, message) => {
            if (error) {
              this.logger.error(error.message);
              return;
            }
            this.handle(channel, message).catch((failure: unknown) => this.logger.error(`A message on ${message.subject} failed: ${String(failure)}`));
          },
        }),
      );
    }
    try {
      // A round trip to the server: once it returns, every subscription above is
      // registered, so a request sent right after start-up finds a responder.
      await this.connection.flush();
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    // Draining a subscription unsubscribes and still handles the messages NATS sent before it
    // took the unsubscription; each is counted in flight as it arrives, so the wait below covers it.
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.drain().catch(() => subscription.unsubscribe())));
    await this.inFlight.idle(10_000);
    await connection.drain().catch(() => undefined);
    this.connection = null;
  }

  on(): void {
    // Connection status is visible through NATS itself; nothing is exposed here.
  }

  unwrap<T>(): T {
    return this.connection as T;
  }

  private async handle(channel: string, message: Msg): Promise<void> {
    let packet: IncomingPacket;
    try {
      packet = this.codec.decode(message.data);
    } catch {
      this.logger.warn(`Dropped a message on ${message.subject} that is not JSON.`);
      return;
    }
    const context = new NatsContext([message.subject, message.headers]);
    await this.dispatch(channel, packet, context, (response) => this.reply(message, response), this.inFlight);
  }

  /**
   * Sends a reply, bounded by construction: in chunks when it is over the
   * server's `max_payload`, as an error when it is over {@link MAX_REPLY_BYTES}
   * or cannot be sent. It never throws (a throw here would end the process).
   */
  private reply(message: Msg, response: WritePacket & { id: string }): void {
    if (!message.reply || !this.connection) return;
    try {
      const data = this.replyCodec.encode(response);
      const limit = (this.connection.info?.max_payload ?? NATS_MAX_PAYLOAD) - CHUNK_HEADROOM;
      if (data.length > MAX_REPLY_BYTES) {
        this.logger.error(`The reply to ${message.subject} is ${data.length} bytes, over the bus's ${MAX_REPLY_BYTES}: answered with an error.`);
        message.respond(this.replyCodec.encode({ id: response.id, err: replyTooLarge(message.subject, data.length).toWire(), isDisposed: true }));
        return;
      }
      if (data.length <= limit) {
        message.respond(data);
        return;
      }
      const count = Math.ceil(data.length / limit);
      for (let index = 0; index < count; index++) {
        const headers = natsHeaders();
        headers.set(CHUNK_HEADER, `${index}/${count}`);
        this.connection.publish(message.reply, data.subarray(index * limit, (index + 1) * limit), { headers });
      }
    } catch (error) {
      this.logger.error(`The reply to ${message.subject} could not be sent: ${String(error)}`);
      try {
        message.respond(this.replyCodec.encode({ id: response.id, err: Errors.internal().toWire(), isDisposed: true }));
      } catch {
        // The caller gets its timeout.
      }
    }
  }
}

/** The packet of a reply, as every server of this bus sends it. */
interface ReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
}

interface Pending {
  resolve(response: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
  /** The chunks of a reply that comes in several messages (see `IamNatsServer`). */
  chunks?: Uint8Array[];
  received: number;
}

/**
 * The client side over NATS: every reply of the connection arrives on ONE
 * subscription (`<inbox prefix>.<unique>.*`, the last token naming the
 * request), so a request costs one published message and no subscription of
 * its own. Replies in chunks are reassembled; an unanswered request rejects
 * with `BusTimeout`, a pattern nobody serves with `BusNoResponders` (NATS's
 * 503 status reply).
 */
export class NatsRequester implements BusRequester {
  private connection: NatsConnection | null = null;
  private connecting: Promise<NatsConnection> | null = null;
  private inbox = '';
  private sequence = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly options: ConnectionOptions,
    /** Prefix for every subject (`<prefix>.`, or empty). */
    private readonly prefix: string,
  ) {}

  async connect(): Promise<void> {
    await this.open();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.connecting = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('The bus connection closed.'));
      this.pending.delete(id);
    }
    await connection?.drain().catch(() => undefined);
  }

  async request(pattern: string, data: unknown, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
    const connection = this.connection ?? (await this.open());
    const id = (++this.sequence).toString(36);
    const body = this.encoder.encode(JSON.stringify({ pattern, data, id }));
    if (body.length > (connection.info?.max_payload ?? NATS_MAX_PAYLOAD)) throw new Error('MAX_PAYLOAD_EXCEEDED');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BusTimeout(pattern, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, received: 0 });
      try {
        connection.publish(this.prefix + pattern, body, { reply: `${this.inbox}.${id}`, headers: natsHeadersOf(headers) });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  async publish(event: string, data: unknown, headers: Record<string, string>): Promise<void> {
    const connection = this.connection ?? (await this.open());
    connection.publish(this.prefix + event, this.encoder.encode(JSON.stringify({ pattern: event, data })), { headers: natsHeadersOf(headers) });
  }

  private open(): Promise<NatsConnection> {
    this.connecting ??= connect(this.options).then((connection) => {
      this.inbox = createInbox(this.options.inboxPrefix);
      connection.subscribe(`${this.inbox}.*`, { callback: (error, message) => (error ? undefined : this.receive(message)) });
      this.connection = connection;
      return connection;
    });
    return this.connecting;
  }

  private receive(message: Msg): void {
    const id = message.subject.slice(this.inbox.length + 1);
    const pending = this.pending.get(id);
    if (!pending) return; // late: the caller has had its timeout
    if (message.headers?.hasError && message.headers.code === 503) return this.settle(id, pending, new BusNoResponders(message.subject));
    const mark = message.headers?.get(CHUNK_HEADER);
    let data = message.data;
    if (mark) {
      const [index, count] = mark.split('/').map(Number);
      const chunks = (pending.chunks ??= new Array<Uint8Array>(count));
      if (!(count > 1 && count <= MAX_REPLY_CHUNKS && index >= 0 && index < count && chunks.length === count)) {
        return this.settle(id, pending, Errors.internal().toWire());
      }
      if (chunks[index] === undefined) pending.received++;
      chunks[index] = message.data;
      if (pending.received < count) return;
      data = Buffer.concat(chunks);
    }
    if (data.length === 0) return this.settle(id, pending, new BusNoResponders(message.subject));
    let packet: ReplyPacket;
    try {
      packet = JSON.parse(this.decoder.decode(data)) as ReplyPacket;
    } catch {
      return this.settle(id, pending, Errors.internal().toWire());
    }
    this.settle(id, pending, packet.err ?? null, packet.response);
  }

  private settle(id: string, pending: Pending, error: unknown, response?: unknown): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    if (error !== null && error !== undefined) pending.reject(error);
    else pending.resolve(response);
  }
}

function natsHeadersOf(values: Record<string, string>): MsgHdrs | undefined {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  const headers = natsHeaders();
  for (const [key, value] of entries) headers.set(key, value);
  return headers;
}
