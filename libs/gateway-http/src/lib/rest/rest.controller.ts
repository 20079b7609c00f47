import { All, Controller, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayApplication } from '../application/gateway-application';
import { isMisdirectedQuery } from '../http/error.filter';
import { requestInfoOf } from '../application/request-info';
import type { LoggedRequest } from '../http/logged-request';
import type { AnyOperation } from '../operations/operation';
import { restInput } from './rest-input';
import { RestRouter } from './router';
import { GatewayErrors } from '../http/gateway-errors';

/** The REST reply body of an operation: `nextCursor` added to a truncated page. */
export function jsonResult(operation: AnyOperation, result: unknown): unknown {
  const body = operation.toJson ? operation.toJson(result) : result;
  if (operation.paginated && body && typeof body === 'object') {
    const page = body as { IsTruncated?: boolean; Marker?: string };
    return { ...body, ...(page.IsTruncated && page.Marker ? { nextCursor: page.Marker } : {}) };
  }
  return body;
}

/**
 * The REST front: every `/v1/...` route of the operation table, JSON in and out with AWS's
 * member names, the same application layer as the Query API.
 */
@Controller()
export class RestController {
  constructor(
    private readonly application: GatewayApplication,
    private readonly router: RestRouter,
  ) {}

  @All('v1/*')
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (isMisdirectedQuery(request)) {
      throw GatewayErrors.misdirectedQuery();
    }
    const info = requestInfoOf(request);
    const { operation, params } = this.router.match(info.method, info.path);
    const logged = request as FastifyRequest & LoggedRequest;
    logged.iamAction = operation.name;
    const outcome = await this.application.execute({
      operation,
      request: info,
      authenticated: (caller) => (logged.iamPrincipal = caller.arn),
      decode: () => restInput(operation, params, info),
    });
    const status = operation.rest?.status ?? 200;
    if (status === 204) {
      void reply.status(204).send();
      return;
    }
    void reply.status(status).header('content-type', 'application/json').send(JSON.stringify(jsonResult(operation, outcome.result) ?? {}));
  }
}
