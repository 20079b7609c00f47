import { Errors, IamError, isWireError } from './errors';
import { EventName, ownerOf, Pattern, PayloadOf, ReplyOf, RequestOf } from './messages';

/**
 * What carries a request to the one replica that answers it, and an event to
 * every subscriber: NATS, or the in-process broker of the embedded default.
 * Both speak the same packets (`{ pattern, data, id }` out, `{ id, response, err }` back).
 */
export interface BusRequester {
  connect(): Promise<void>;
  close(): Promise<void>;
  /**
   * Resolves with the reply's `response`; rejects with the reply's wire error, a
   * {@link BusTimeout} when no reply came within `timeoutMs`, or a {@link BusNoResponders}.
   */
  request(pattern: string, data: unknown, headers: Record<string, string>, timeoutMs: number): Promise<unknown>;
  /** Resolves once the event is handed to the transport. */
  publish(event: string, data: unknown, headers: Record<string, string>): Promise<void>;
}

/** No reply came in time (the replica that took the request may have died holding it). */
export class BusTimeout extends Error {
  override readonly name = 'BusTimeout';
  constructor(pattern: string, ms: number) {
    super(`No reply to ${pattern} within ${ms} ms.`);
  }
}

/** Nobody subscribes to the pattern: the transport answered at once. */
export class BusNoResponders extends Error {
  override readonly name = 'BusNoResponders';
  constructor(pattern: string) {
    super(`No responders for ${pattern}.`);
  }
}

export interface BusClientOptions {
  /** Default time a request may take before the caller gets `ServiceUnavailable`. */
  timeoutMs: number;
  /** Headers for every outgoing message (the request id, for one). */
  headers: () => Record<string, string>;
}

/** Sees every request a {@link BusClient} sends: its pattern, seconds taken, and how it ended. */
export type BusRequestObserver = (pattern: string, seconds: number, outcome: string) => void;

let requestObserver: BusRequestObserver | undefined;

/** Has `observer` see every request any {@link BusClient} of this process sends (metrics); none by default. */
export function observeBusRequests(observer: BusRequestObserver | undefined): void {
  requestObserver = observer;
}

/** How a request ended, for metrics: `ok`, the reply's error code, `timeout`, `no_responders` or `bus_failure`. */
export function busOutcomeOf(error: unknown): string {
  if (error instanceof IamError) return error.code;
  if (isWireError(error)) return error.code;
  if (error instanceof BusTimeout) return 'timeout';
  if (error instanceof BusNoResponders) return 'no_responders';
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return /no subscribers|no responders|no matching message handler/i.test(text) ? 'no_responders' : 'bus_failure';
}

/** The last words of patterns that only read: asking again changes nothing. */
const READ_VERBS = new Set(['get', 'list', 'health', 'resolve', 'authorize', 'members', 'groups', 'tags', 'entities', 'user', 'summary']);

/**
 * Whether `pattern` is an idempotent read (`identity.user.get`, `authorization.authorize`, ...),
 * which a client may send again when the replica that took it never answered.
 */
export function isIdempotentRead(pattern: string): boolean {
  const words = pattern.split('.');
  return pattern === 'identity.signature.verify' || (READ_VERBS.has(words[words.length - 1]) && !pattern.startsWith('authorization.simulate'));
}

/**
 * The typed client every app uses to talk to the services.
 *
 * `send` resolves with the reply or rejects with an {@link IamError}: the
 * service's own coded error, or `ServiceUnavailable` when nobody answers within
 * the timeout or nobody listens at all. It never hangs.
 */
export class BusClient {
  constructor(
    private readonly requester: BusRequester,
    private readonly options: BusClientOptions,
  ) {}

  async send<P extends Pattern>(
    pattern: P,
    request: RequestOf<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<P>> {
    const ms = options.timeoutMs ?? this.options.timeoutMs;
    const headers = this.options.headers();
    // A read whose replica died holding it (no answer in time) is sent once more: the queue
    // group gives it to a replica that is still there. Writes are never sent twice.
    const attempts = isIdempotentRead(pattern) ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      const started = requestObserver ? performance.now() : 0;
      try {
        const reply = (await this.requester.request(pattern, request, headers, ms)) as ReplyOf<P>;
        requestObserver?.(pattern, (performance.now() - started) / 1000, 'ok');
        return reply;
      } catch (error) {
        requestObserver?.(pattern, (performance.now() - started) / 1000, busOutcomeOf(error));
        if (attempt < attempts && error instanceof BusTimeout) continue;
        throw toIamError(error, pattern, ms);
      }
    }
  }

  /** Publishes an event to every subscribed replica; resolves once handed to the transport. */
  async emit<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<void> {
    try {
      await this.requester.publish(event, payload, this.options.headers());
    } catch (error) {
      throw toIamError(error, event, this.options.timeoutMs);
    }
  }
}

function toIamError(error: unknown, subject: string, ms: number): IamError {
  if (error instanceof IamError) return error;
  if (isWireError(error)) return IamError.fromWire(error);
  const service = ownerOf(subject);
  if (error instanceof BusTimeout) {
    return Errors.unavailable(service, `no answer within ${ms} ms`);
  }
  if (error instanceof BusNoResponders) return Errors.unavailable(service, 'no replica is listening');
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (/no subscribers|no responders|no matching message handler/i.test(text)) {
    return Errors.unavailable(service, 'no replica is listening');
  }
  return Errors.unavailable(service, 'the bus failed');
}
