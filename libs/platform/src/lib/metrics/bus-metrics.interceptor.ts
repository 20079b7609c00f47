import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { busOutcomeOf } from '@iam/contracts';
import { Observable, tap } from 'rxjs';
import { busHandlerDuration } from './metrics';

/** The pattern a handler was registered for (`identity.user.get`), whatever the transport. */
function patternOf(context: ExecutionContext): string {
  const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, context.getHandler());
  const pattern = Array.isArray(patterns) ? patterns[0] : patterns;
  return typeof pattern === 'string' ? pattern : context.getHandler().name;
}

/** Times every message a service handles into `iam_bus_handler_duration_seconds`. */
@Injectable()
export class BusMetricsInterceptor implements NestInterceptor {
  constructor(private readonly service: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const pattern = patternOf(context);
    const started = performance.now();
    const observe = (outcome: string) => busHandlerDuration.observe({ service: this.service, pattern, outcome }, (performance.now() - started) / 1000);
    return next.handle().pipe(
      tap({
        complete: () => observe('ok'),
        error: (error: unknown) => observe(busOutcomeOf(error) === 'bus_failure' ? 'ServiceFailure' : busOutcomeOf(error)),
      }),
    );
  }
}
