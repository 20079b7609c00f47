import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { Errors, IamError, isWireError } from './errors';
import { EventName, ownerOf, Pattern, PayloadOf, ReplyOf, RequestOf } from './messages';

/** Wraps a payload with headers in the record type the transport expects. */
export type RecordWrapper = (data: unknown, headers: Record<string, string>) => unknown;

export interface BusClientOptions {
  /** Default time a request may take before the caller gets `ServiceUnavailable`. */
  timeoutMs: number;
  /** Headers for every outgoing message (the request id, for one). */
  headers: () => Record<string, string>;
  wrap: RecordWrapper;
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
  if (error instanceof TimeoutError) return 'timeout';
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
    private readonly proxy: ClientProxy,
    private readonly options: BusClientOptions,
  ) {}

  async send<P extends Pattern>(
    pattern: P,
    request: RequestOf<P>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<P>> {
    const ms = options.timeoutMs ?? this.options.timeoutMs;
    const record = this.options.wrap(request, this.options.headers());
    // A read whose replica died holding it (no answer in time) is sent once more: the queue
    // group gives it to a replica that is still there. Writes are never sent twice.
    const attempts = isIdempotentRead(pattern) ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      const started = requestObserver ? performance.now() : 0;
      try {
        const reply = await firstValueFrom(this.proxy.send<ReplyOf<P>>(pattern, record).pipe(timeout({ first: ms })));
        requestObserver?.(pattern, (performance.now() - started) / 1000, 'ok');
        return reply;
      } catch (error) {
        requestObserver?.(pattern, (performance.now() - started) / 1000, busOutcomeOf(error));
        if (attempt < attempts && error instanceof TimeoutError) continue;
        throw toIamError(error, pattern, ms);
      }
    }
  }

  /** Publishes an event to every subscribed replica; resolves once handed to the transport. */
  async emit<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<void> {
    const record = this.options.wrap(payload, this.options.headers());
    try {
      await firstValueFrom(this.proxy.emit(event, record), { defaultValue: undefined });
    } catch (error) {
      throw toIamError(error, event, this.options.timeoutMs);
    }
  }
}

function toIamError(error: unknown, subject: string, ms: number): IamError {
  if (error instanceof IamError) return error;
  if (isWireError(error)) return IamError.fromWire(error);
  const service = ownerOf(subject);
  if (error instanceof TimeoutError) {
    return Errors.unavailable(service, `no answer within ${ms} ms`);
  }
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  if (/no subscribers|no responders|no matching message handler/i.test(text)) {
    return Errors.unavailable(service, 'no replica is listening');
  }
  return Errors.unavailable(service, 'the bus failed');
}
