import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { queryErrorResponse } from '@iam/aws-protocol';
import type { ErrorCode, IamError } from '@iam/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERROR_STATUS, faultOf } from './error-status';
import { clientErrorOrInternal, printableMessage } from './errors';
import type { LoggedRequest } from './logged-request';

/** One problem with a policy document in a REST error body. */
export interface ProblemBody {
  /** What is wrong, in the validator's words (the error's `message` is IAM's one message). */
  Message: string;
  /** Where: a JSON path such as `Statement[1].Action`; `""` for the whole document. */
  Path: string;
  /** 1-based line and column of that place in the document's text, when known. */
  Line?: number;
  Column?: number;
}

/** The REST front's error body. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  /** `MalformedPolicyDocument`: every problem the validator found. A REST-only extension. */
  Problems?: ProblemBody[];
}

/**
 * The REST error body of `error`: `{code, message, requestId}`, and `Problems` when the error
 * details them. Everything echoed from the request is shown on one line.
 */
export function restErrorBody(error: IamError, requestId: string): ErrorBody {
  const body: ErrorBody = { code: error.code, message: printableMessage(error.message), requestId };
  const problems = error.details?.problems;
  if (problems && problems.length > 0) {
    body.Problems = problems.map((p) => ({
      Message: printableMessage(p.message),
      Path: printableMessage(p.path),
      ...(p.line !== undefined ? { Line: p.line } : {}),
      ...(p.column !== undefined ? { Column: p.column } : {}),
    }));
  }
  return body;
}

/** Whether a request is for the AWS Query API (`/` with `Action`), whose errors are XML. */
export function isQueryRequest(request: FastifyRequest): boolean {
  return request.url.split('?')[0] === '/' || isMisdirectedQuery(request);
}

/**
 * Whether a request is an AWS Query API call (a form with `Action`, as AWS SDKs and the CLI
 * send) sent under the REST API's `/v1`: a client whose endpoint was set to `.../v1`.
 */
export function isMisdirectedQuery(request: Pick<FastifyRequest, 'method' | 'url' | 'headers' | 'body'>): boolean {
  if (request.method !== 'POST' || !request.url.startsWith('/v1')) return false;
  const type = String(request.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return false;
  const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : typeof request.body === 'string' ? request.body : '';
  return /(^|&)Action=/.test(body);
}

/**
 * Turns any error into the front's error reply with the status of its code: `{code, message,
 * requestId}` for REST (with `Problems` for an error that details them), AWS's `<ErrorResponse>`
 * for the Query API, exactly as AWS shapes it (never any details). Unknown errors are logged
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
    (request as FastifyRequest & LoggedRequest).iamErrorCode = error.code;
    const status = ERROR_STATUS[error.code];
    if (isQueryRequest(request)) {
      const message = printableMessage(error.message);
      void reply
        .status(status)
        .header('content-type', 'text/xml')
        .send(queryErrorResponse({ type: faultOf(error.code), code: error.code, message }, requestId));
      return;
    }
    void reply.status(status).header('content-type', 'application/json').send(restErrorBody(error, requestId));
  }
}
