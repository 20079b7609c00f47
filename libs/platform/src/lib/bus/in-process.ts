import { BaseRpcContext, WritePacket } from '@nestjs/microservices';
import { BusNoResponders, BusRequester, BusTimeout } from '@iam/contracts';
import { BusServer, IncomingPacket } from './bus-server';
import { InFlightTracker } from './in-flight';
import { MAX_REPLY_BYTES, NATS_MAX_PAYLOAD, replyTooLarge } from './limits';

/**
 * An in-process stand-in for NATS, for the embedded default.
 *
 * It keeps NATS's delivery rules (a request goes to one member of each queue
 * group, an event to every plain subscriber; an unanswered request gets an
 * empty "no responders" reply) and its failure modes: every message and reply
 * is serialized to JSON and delivered asynchronously, so nothing works here
 * that would break over a real bus.
 */
export class InProcessBroker {
  private readonly subscriptions = new Map<string, Subscription[]>();

  subscribe(subject: string, queue: string | undefined, deliver: (message: BrokerMessage) => void): () => void {
    const subscription: Subscription = { queue, deliver };
    const list = this.subscriptions.get(subject) ?? [];
    list.push(subscription);
    this.subscriptions.set(subject, list);
    return () => {
      const current = this.subscriptions.get(subject) ?? [];
      this.subscriptions.set(
        subject,
        current.filter((s) => s !== subscription),
      );
    };
  }

  /** Delivers `message`; with `reply` and no subscriber, replies with an empty body at once. */
  publish(subject: string, message: BrokerMessage): void {
    const targets = this.pick(this.subscriptions.get(subject) ?? []);
    if (targets.length === 0) {
      if (message.reply) {
        const reply = message.reply;
        setImmediate(() => reply(''));
      }
      return;
    }
    for (const target of targets) {
      setImmediate(() => target.deliver(message));
    }
  }

  private pick(subscriptions: Subscription[]): Subscription[] {
    const plain: Subscription[] = [];
    const groups = new Map<string, Subscription[]>();
    for (const subscription of subscriptions) {
      if (subscription.queue === undefined) {
        plain.push(subscription);
      } else {
        const group = groups.get(subscription.queue) ?? [];
        group.push(subscription);
        groups.set(subscription.queue, group);
      }
    }
    for (const group of groups.values()) {
      plain.push(group[Math.floor(Math.random() * group.length)]);
    }
    return plain;
  }
}

interface Subscription {
  queue: string | undefined;
  deliver: (message: BrokerMessage) => void;
}

export interface BrokerMessage {
  subject: string;
  /** The JSON text of the packet. */
  data: string;
  headers: Record<string, string>;
  reply?: (data: string) => void;
}

/** Read-only headers with the `get` of NATS's `MsgHdrs`. */
export class InProcessHeaders {
  constructor(private readonly values: Record<string, string>) {}
  get(name: string): string {
    return this.values[name.toLowerCase()] ?? '';
  }
}

export class InProcessContext extends BaseRpcContext<[string, InProcessHeaders]> {
  getSubject(): string {
    return this.args[0];
  }
  getHeaders(): InProcessHeaders {
    return this.args[1];
  }
}

/** The server side: binds a Nest microservice's handlers to the broker. */
export class InProcessServer extends BusServer {
  override readonly transportId = Symbol('in-process');
  private unsubscribes: Array<() => void> = [];

  constructor(
    private readonly broker: InProcessBroker,
    private readonly queue: string,
    private readonly prefix: string,
    private readonly inFlight: InFlightTracker,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    for (const [channel, handler] of this.messageHandlers) {
      this.unsubscribes.push(
        this.broker.subscribe(this.prefix + channel, handler.isEventHandler ? undefined : this.queue, (message) => {
          this.handle(channel, message).catch((failure: unknown) => this.logger.error(`A message on ${message.subject} failed: ${String(failure)}`));
        }),
      );
    }
    callback();
  }

  async close(): Promise<void> {
    this.unsubscribes.forEach((unsubscribe) => unsubscribe());
    this.unsubscribes = [];
    await this.inFlight.idle(10_000);
  }

  on(): void {
    // The in-process broker has no connection status events.
  }

  unwrap<T>(): T {
    return this.broker as T;
  }

  private async handle(channel: string, message: BrokerMessage): Promise<void> {
    const packet = JSON.parse(message.data) as IncomingPacket;
    const context = new InProcessContext([message.subject, new InProcessHeaders(message.headers)]);
    await this.dispatch(channel, packet, context, (response) => {
      if (!message.reply) return;
      // The same bound as over NATS: a reply over MAX_REPLY_BYTES is an error reply (NATS sends smaller ones in chunks).
      const text = JSON.stringify(response);
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_REPLY_BYTES) {
        this.logger.error(`The reply to ${message.subject} is ${bytes} bytes, over the bus's ${MAX_REPLY_BYTES}: answered with an error.`);
        message.reply(JSON.stringify({ id: response.id, err: replyTooLarge(message.subject, bytes).toWire(), isDisposed: true }));
        return;
      }
      message.reply(text);
    }, this.inFlight);
  }
}

/** The client side over the broker: the same packets, limits and failures as {@link NatsRequester}. */
export class InProcessRequester implements BusRequester {
  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix: string,
  ) {}

  async connect(): Promise<void> {
    // Nothing to connect to.
  }

  async close(): Promise<void> {
    // Nothing to close.
  }

  request(pattern: string, data: unknown, headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
    const subject = this.prefix + pattern;
    const text = JSON.stringify({ pattern, data, id: '1' });
    // As NATS refuses a request over its max_payload.
    if (Buffer.byteLength(text) > NATS_MAX_PAYLOAD) return Promise.reject(new Error('MAX_PAYLOAD_EXCEEDED'));
    return new Promise((resolve, reject) => {
      let active = true;
      const timer = setTimeout(() => {
        active = false;
        reject(new BusTimeout(pattern, timeoutMs));
      }, timeoutMs);
      this.broker.publish(subject, {
        subject,
        data: text,
        headers: lowerCased(headers),
        reply: (raw) => {
          if (!active) return;
          active = false;
          clearTimeout(timer);
          if (raw === '') return reject(new BusNoResponders(subject));
          const { err, response } = JSON.parse(raw) as WritePacket;
          if (err !== undefined && err !== null) reject(err);
          else resolve(response);
        },
      });
    });
  }

  async publish(event: string, data: unknown, headers: Record<string, string>): Promise<void> {
    const subject = this.prefix + event;
    this.broker.publish(subject, { subject, data: JSON.stringify({ pattern: event, data }), headers: lowerCased(headers) });
  }
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
