import { ArgumentsHost, CallHandler, Catch, ExecutionContext, Injectable, NestInterceptor, PipeTransform, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { Errors, IamError, isWireError, parseRequest, Pattern, REQUEST_ID_HEADER, REQUEST_SCHEMAS, RequestOf, WireError } from '@iam/contracts';
import { databaseUnavailable, isDatabaseUnavailable } from '../database/unavailable';
import type { Logger } from 'pino';
import { Observable, throwError } from 'rxjs';
import { RequestScope } from '../request-scope';
import { InFlightTracker } from './in-flight';

/** Headers as both transports carry them. */
export interface HeadersLike {
  get(name: string): string;
}

function requestIdOf(context: ExecutionContext): string {
  const rpc = context.switchToRpc().getContext<{ getHeaders?: () => HeadersLike | undefined }>();
  const fromHeader = rpc?.getHeaders?.()?.get(REQUEST_ID_HEADER);
  return fromHeader || RequestScope.newId();
}

/**
 * Runs every handler inside the request's scope (so its logs carry the
 * request id from the bus headers), counts it as in flight for graceful
 * shutdown, and logs one line per message at debug (it is on every
 * message's path; the `iam_bus_handler_duration_seconds` metric counts
 * every one at any level).
 */
@Injectable()
export class BusHandlerInterceptor implements NestInterceptor {
  constructor(
    private readonly logger: Logger,
    private readonly inFlight: InFlightTracker,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const requestId = requestIdOf(context);
    const pattern = context.getHandler().name;
    const subject = context.switchToRpc().getContext<{ getSubject?: () => string }>()?.getSubject?.() ?? pattern;
    return new Observable((subscriber) =>
      RequestScope.run({ requestId }, () => {
        const started = performance.now();
        this.inFlight.start();
        let outcome = 'ok';
        const subscription = next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            outcome = error instanceof IamError ? error.code : isWireError(error) ? error.code : 'ServiceFailure';
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        });
        subscription.add(() => {
          this.inFlight.end();
          this.logger.debug({ subject, outcome, ms: Math.round((performance.now() - started) * 10) / 10 }, 'handled');
        });
        return subscription;
      }),
    );
  }
}

/**
 * The one place a service turns an exception into what crosses the bus:
 * coded errors as they are, anything else as a generic `ServiceFailure`
 * with the full cause in the log; a database that does not answer (refused,
 * lost, timed out) as a retryable `ServiceUnavailable`.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(
    private readonly logger: Logger,
    /** The service's name, for its errors ("the identity service is unavailable"). */
    private readonly service?: string,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toWire(exception, host));
  }

  private toWire(exception: unknown, host: ArgumentsHost): WireError {
    return wireErrorOf(exception, this.logger, this.service, host.switchToRpc().getContext<{ getSubject?: () => string }>()?.getSubject?.());
  }
}

/**
 * What crosses the bus for an exception a handler threw: coded errors as they
 * are, a database that does not answer as `ServiceUnavailable`, anything else
 * as `ServiceFailure` with the full cause in the log.
 */
export function wireErrorOf(exception: unknown, logger: Logger, service: string | undefined, subject: string | undefined): WireError {
  if (exception instanceof IamError) return exception.toWire();
  if (exception instanceof RpcException && isWireError(exception.getError())) {
    return exception.getError() as WireError;
  }
  if (isWireError(exception)) return exception;
  if (isDatabaseUnavailable(exception)) {
    logger.warn({ err: exception, subject }, 'the database does not answer');
    return databaseUnavailable(service ?? 'requested').toWire();
  }
  logger.error({ err: exception, subject }, 'unexpected error');
  return Errors.internal().toWire();
}

/** Validates a handler's payload against the contract schema of its pattern. */
export class ContractPipe<P extends Pattern> implements PipeTransform<unknown, RequestOf<P>> {
  constructor(private readonly pattern: P) {}

  transform(value: unknown): RequestOf<P> {
    return parseRequest(REQUEST_SCHEMAS[this.pattern], value ?? {}) as RequestOf<P>;
  }
}

/** `@Payload(contract(Patterns.X)) request: RequestOf<typeof Patterns.X>` */
export function contract<P extends Pattern>(pattern: P): ContractPipe<P> {
  return new ContractPipe(pattern);
}
