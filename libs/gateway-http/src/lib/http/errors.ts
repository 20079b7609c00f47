import { HttpException } from '@nestjs/common';
import { AwsProtocolError } from '@iam/aws-protocol';
import { ErrorCode, Errors, IamError, isErrorCode } from '@iam/contracts';
import { GatewayErrors } from './gateway-errors';

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'ValidationError',
  401: 'MissingAuthenticationToken',
  403: 'AccessDenied',
  404: 'NotFound',
  405: 'InvalidAction',
  409: 'EntityAlreadyExists',
  413: 'ValidationError',
  415: 'ValidationError',
};

/**
 * Any error as the client sees it: our coded errors as they are, protocol errors under their
 * AWS code (a malformed query string as `InvalidInput`), framework errors by HTTP status.
 * `undefined` for anything else: an internal failure the caller must log.
 */
export function toClientError(exception: unknown, method: string, path: string): IamError | undefined {
  if (exception instanceof IamError) return exception;
  if (exception instanceof AwsProtocolError) {
    return new IamError(isErrorCode(exception.code) ? exception.code : 'InvalidInput', exception.message);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_CODES[status];
    if (code) return status === 404 ? GatewayErrors.noRoute(method, path) : new IamError(code, exception.message);
  }
  const status = (exception as { statusCode?: number } | null)?.statusCode;
  if (typeof status === 'number' && HTTP_CODES[status]) return new IamError(HTTP_CODES[status], (exception as Error).message);
  return undefined;
}

/** The client error, or the generic internal error after `log` has been told the cause. */
export function clientErrorOrInternal(exception: unknown, method: string, path: string, log: (error: unknown) => void): IamError {
  const error = toClientError(exception, method, path);
  if (error) return error;
  log(exception);
  return Errors.internal();
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A message as the client sees it: one line whatever it echoes from the request. Control
 * characters, line separators and lone surrogates are shown as escapes (`\n`, `\u0000`), so a
 * value echoed from the input can neither break the line nor a log or XML reader.
 */
export function printableMessage(message: string): string {
  return message.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
