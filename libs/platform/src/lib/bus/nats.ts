import { ClientNats, NatsContext, NatsOptions, Transport } from '@nestjs/microservices';
import { BusServer, IncomingPacket } from './bus-server';
import { connect, ConnectionOptions, JSONCodec, Msg, NatsConnection, Subscription } from 'nats';
import { InFlightTracker } from './in-flight';

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
            void this.handle(channel, message);
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
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
    this.subscriptions = [];
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
    await this.dispatch(channel, packet, context, (response) => {
      if (message.reply) message.respond(this.replyCodec.encode(response));
    });
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
}
