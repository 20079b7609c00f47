import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { queryErrorResponse } from '@iam/aws-protocol';
import type { ErrorCode } from '@iam/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERROR_STATUS, faultOf } from './error-status';
import { clientErrorOrInternal, printableMessage } from './errors';

/** The REST front's error body. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
}

/** Whether a request is for the AWS Query API (`/` with `Action`), whose errors are XML. */
export function isQueryRequest(request: FastifyRequest): boolean {
  return request.url.split('?')[0] === '/';
}

/**
 * Turns any error into the front's error reply with the status of its code: `{code, message,
 * requestId}` for REST, AWS's `<ErrorResponse>` for the Query API. Unknown errors are logged
 * with their cause and reach the client as a generic `ServiceFailure`.
 */
@Catch()
export class GatewayErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = String(request.id);
    const error = clientErrorOrInternal(exception, request.method, request.url.split('?')[0], (cause) =>
      this.logger.error({ err: cause, requestId }, 'unexpected error'),
    );
    const status = ERROR_STATUS[error.code];
    const message = printableMessage(error.message);
    if (isQueryRequest(request)) {
      void reply
        .status(status)
        .header('content-type', 'text/xml')
        .send(queryErrorResponse({ type: faultOf(error.code), code: error.code, message }, requestId));
      return;
    }
    const body: ErrorBody = { code: error.code, message, requestId };
    void reply.status(status).header('content-type', 'application/json').send(body);
  }
}
