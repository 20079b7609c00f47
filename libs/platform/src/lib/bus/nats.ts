import { ClientNats, NatsContext, NatsOptions, Transport, WritePacket } from '@nestjs/microservices';
import { Errors } from '@iam/contracts';
import { BusServer, IncomingPacket } from './bus-server';
import { connect, ConnectionOptions, headers as natsHeaders, JSONCodec, Msg, NatsConnection, Subscription } from 'nats';
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

/** NATS client proxy that sends under the deployment's subject prefix. */
export class IamNatsClient extends ClientNats {
  constructor(
    options: Required<NatsOptions>['options'],
    private readonly prefix: string,
  ) {
    super(options);
  }

  protected override normalizePattern(pattern: Parameters<ClientNats['send']>[0]): string {
    return this.prefix + super.normalizePattern(pattern);
  }

  /** Reassembles a reply that came in chunks (see `IamNatsServer`) before Nest reads it. */
  override createSubscriptionHandler(...args: Parameters<ClientNats['createSubscriptionHandler']>): ReturnType<ClientNats['createSubscriptionHandler']> {
    const handle = super.createSubscriptionHandler(...args);
    const callback = args[1];
    const chunks: Uint8Array[] = [];
    let received = 0;
    return async (error, natsMessage) => {
      const message = natsMessage as unknown as Msg;
      const mark = error ? null : message?.headers?.get(CHUNK_HEADER);
      if (!mark) return handle(error, natsMessage);
      const [index, count] = mark.split('/').map(Number);
      if (!(count > 1 && count <= MAX_REPLY_CHUNKS && index >= 0 && index < count) || (chunks.length > 0 && chunks.length !== count)) {
        return callback({ err: Errors.internal().toWire(), isDisposed: true });
      }
      if (chunks.length === 0) chunks.length = count;
      if (chunks[index] === undefined) received++;
      chunks[index] = message.data;
      if (received < count) return undefined;
      const whole = Buffer.concat(chunks);
      chunks.length = 0;
      return handle(undefined, { data: new Uint8Array(whole.buffer, whole.byteOffset, whole.length) } as unknown as typeof natsMessage);
    };
  }
}
