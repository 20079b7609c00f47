import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { RequestScope } from '@iam/platform';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** Runs each HTTP request's handler inside its request scope, so the id travels over the bus. */
@Injectable()
export class RequestScopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return new Observable((subscriber) =>
      RequestScope.run({ requestId: String(request.id) }, () => next.handle().subscribe(subscriber)),
    );
  }
}
