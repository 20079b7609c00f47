import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { ErrorCode, Errors, IamError } from '@iam/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERROR_STATUS } from './error-status';

/** The REST front's error body. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'ValidationError',
  401: 'MissingAuthenticationToken',
  403: 'AccessDenied',
  404: 'NoSuchEntity',
  405: 'InvalidAction',
  409: 'EntityAlreadyExists',
  413: 'ValidationError',
  415: 'ValidationError',
};

/** Turns any error into `{code, message, requestId}` with the status of its code. */
@Catch()
export class RestErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = this.toIamError(exception, request);
    const body: ErrorBody = { code: error.code, message: error.message, requestId: String(request.id) };
    void reply.status(ERROR_STATUS[error.code]).header('content-type', 'application/json').send(body);
  }

  private toIamError(exception: unknown, request: FastifyRequest): IamError {
    if (exception instanceof IamError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_CODES[status];
      if (code) {
        const message = status === 404 ? `No route for ${request.method} ${request.url.split('?')[0]}.` : exception.message;
        return new IamError(code, message);
      }
    }
    const status = (exception as { statusCode?: number } | null)?.statusCode;
    if (typeof status === 'number' && HTTP_CODES[status]) {
      return new IamError(HTTP_CODES[status], (exception as Error).message);
    }
    this.logger.error({ err: exception, requestId: String(request.id) }, 'unexpected error');
    return Errors.internal();
  }
}
