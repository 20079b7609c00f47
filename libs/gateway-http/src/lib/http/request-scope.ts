import { RequestScope } from '@iam/platform';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * A Fastify `preHandler` hook that runs the rest of each HTTP request (its handler, and whatever
 * that awaits) inside the request's scope, so the id travels over the bus and into log lines.
 * Fastify calls the handler synchronously from `done`, so the scope holds from there on; a hook
 * rather than a Nest interceptor, which would cost an rxjs Observable and Nest's interceptor chain
 * on every request.
 */
export function runInRequestScope(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  RequestScope.run({ requestId: String(request.id) }, done);
}
