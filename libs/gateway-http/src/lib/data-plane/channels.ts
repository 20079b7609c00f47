import { randomUUID } from 'node:crypto';
import { connect, createInbox, type NatsConnection, type Subscription } from 'nats';
import { GATEWAY_COHERENCE_SUBJECTS } from '@iam/contracts';
import { natsConnectionOptions, type BusTransport, type InProcessBroker } from '@iam/platform';
import type { CoherenceChannel, Invalidation, LeaseBeat } from './coherence';


type Handlers = Parameters<CoherenceChannel['listen']>[0];

/** An invalidation as it crosses the bus: with the replica that sent it. */
interface InvalidationMessage extends Invalidation {
  readonly From?: string;
}

function wire(invalidation: Invalidation, from: string): string {
  return JSON.stringify({ ...(invalidation.all ? { all: true } : {}), keys: invalidation.keys, From: from } satisfies InvalidationMessage);
}

/**
 * The invalidation in `data`, unless `replica` sent it: the sender applied it before publishing
 * and counts itself as acknowledged, so applying it again would only drop the reads it made since.
 */
function fromOthers(data: string, replica: string): Invalidation | undefined {
  const message = JSON.parse(data) as InvalidationMessage;
  if (message.From === replica) return undefined;
  return { ...(message.all ? { all: true } : {}), keys: message.keys };
}

/** The channel over the embedded default's in-process broker (one process: nothing is ever missed). */
export class InProcessCoherenceChannel implements CoherenceChannel {
  private readonly unsubscribe: Array<() => void> = [];
  private replica = '';

  constructor(
    private readonly broker: InProcessBroker,
    private readonly prefix = '',
  ) {}

  async listen(handlers: Handlers, replica: string): Promise<void> {
    this.replica = replica;
    this.unsubscribe.push(
      this.broker.subscribe(this.prefix + GATEWAY_COHERENCE_SUBJECTS.beat, undefined, (message) => handlers.beat(JSON.parse(message.data) as LeaseBeat)),
      this.broker.subscribe(this.prefix + GATEWAY_COHERENCE_SUBJECTS.invalidate, undefined, (message) => {
        const invalidation = fromOthers(message.data, replica);
        if (invalidation) handlers.invalidation(invalidation, () => message.reply?.(JSON.stringify({ Replica: replica })));
      }),
    );
  }

  async beat(beat: LeaseBeat): Promise<void> {
    this.broker.publish(this.prefix + GATEWAY_COHERENCE_SUBJECTS.beat, { subject: GATEWAY_COHERENCE_SUBJECTS.beat, data: JSON.stringify(beat), headers: {} });
  }

  async invalidate(invalidation: Invalidation, acknowledged: (replica: string) => void): Promise<() => void> {
    let listening = true;
    this.broker.publish(this.prefix + GATEWAY_COHERENCE_SUBJECTS.invalidate, {
      subject: GATEWAY_COHERENCE_SUBJECTS.invalidate,
      data: wire(invalidation, this.replica),
      headers: {},
      reply: (data) => {
        if (data && listening) acknowledged((JSON.parse(data) as { Replica: string }).Replica);
      },
    });
    return () => {
      listening = false;
    };
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }
}

/**
 * The channel over NATS: plain subscriptions (every replica gets every message), a beat
 * confirmed by a round trip to the server, acknowledgements on one inbox subscription of the
 * gateway's own (`_INBOX.<prefix>.gateway…`). A disconnection or reconnection is an
 * interruption: messages may have been missed.
 */
export class NatsCoherenceChannel implements CoherenceChannel {
  private connection: NatsConnection | undefined;
  private inbox = '';
  private readonly pending = new Map<string, (replica: string) => void>();
  private readonly subscriptions: Subscription[] = [];
  private readonly prefix: string;
  private replica = '';

  constructor(private readonly transport: Extract<BusTransport, { kind: 'nats' }>) {
    this.prefix = transport.prefix ? `${transport.prefix}.` : '';
  }

  async listen(handlers: Handlers, replica: string): Promise<void> {
    this.replica = replica;
    const options = natsConnectionOptions(this.transport);
    const connection = await connect({ ...options, servers: this.transport.url, name: 'gateway-cache', maxReconnectAttempts: -1 });
    this.connection = connection;
    this.inbox = createInbox(options.inboxPrefix);
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') handlers.interrupted();
      }
    })();
    const text = new TextDecoder();
    const encode = new TextEncoder();
    this.subscriptions.push(
      connection.subscribe(this.prefix + GATEWAY_COHERENCE_SUBJECTS.beat, {
        callback: (error, message) => {
          if (!error) handlers.beat(JSON.parse(text.decode(message.data)) as LeaseBeat);
        },
      }),
      connection.subscribe(this.prefix + GATEWAY_COHERENCE_SUBJECTS.invalidate, {
        callback: (error, message) => {
          if (error) return;
          const invalidation = fromOthers(text.decode(message.data), replica);
          if (!invalidation) return;
          handlers.invalidation(invalidation, () => {
            if (message.reply) connection.publish(message.reply, encode.encode(JSON.stringify({ Replica: replica })));
          });
        },
      }),
      connection.subscribe(`${this.inbox}.*`, {
        callback: (error, message) => {
          if (error) return;
          const id = message.subject.slice(this.inbox.length + 1);
          this.pending.get(id)?.((JSON.parse(text.decode(message.data)) as { Replica: string }).Replica);
        },
      }),
    );
    await connection.flush();
  }

  async beat(beat: LeaseBeat): Promise<void> {
    const connection = this.open();
    connection.publish(this.prefix + GATEWAY_COHERENCE_SUBJECTS.beat, new TextEncoder().encode(JSON.stringify(beat)));
    await connection.flush();
  }

  async invalidate(invalidation: Invalidation, acknowledged: (replica: string) => void): Promise<() => void> {
    const connection = this.open();
    const id = randomUUID();
    this.pending.set(id, acknowledged);
    // Acknowledgements that come after the writer stopped waiting find no entry and are dropped.
    const stop = () => void this.pending.delete(id);
    // No flush (a round trip to the server): the connection sends it at once, and the writer
    // waits for the acknowledgements, not for the server.
    try {
      connection.publish(this.prefix + GATEWAY_COHERENCE_SUBJECTS.invalidate, new TextEncoder().encode(wire(invalidation, this.replica)), { reply: `${this.inbox}.${id}` });
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  /** Invalidations still listening for acknowledgements. */
  get listening(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }

  private open(): NatsConnection {
    if (!this.connection || this.connection.isClosed()) throw new Error('the coherence channel is closed');
    return this.connection;
  }
}

/** The channel of a transport. */
export function coherenceChannel(transport: BusTransport): CoherenceChannel {
  if (transport.kind === 'nats') return new NatsCoherenceChannel(transport);
  return new InProcessCoherenceChannel(transport.broker, transport.prefix ? `${transport.prefix}.` : '');
}
