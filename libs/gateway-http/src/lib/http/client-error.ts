import type { Socket } from 'node:net';
import { queryErrorResponse } from '@iam/aws-protocol';
import { RequestScope } from '@iam/platform';
import type { ConnectionError } from 'fastify';
import { ERROR_STATUS } from './error-status';

const REASONS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: 'The request line and headers are too large (at most 16 KiB): send long values in the request body.',
  ERR_HTTP_REQUEST_TIMEOUT: 'The request was not received completely in time.',
  HPE_URI_TOO_LONG: 'The request URL is too long: send long values in the request body.',
};

/** The bytes Node had received when it gave up on the request, if it says. */
function received(error: ConnectionError): Buffer | undefined {
  const raw: unknown = error.rawPacket;
  if (Buffer.isBuffer(raw)) return raw;
  const data = (raw as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? Buffer.from(data as number[]) : undefined;
}

/** How long a refused connection is kept to read what the client still sends, at most. */
const LINGER_MS = 5_000;

const answered = new WeakSet<Socket>();

/**
 * Answers a request that Node's HTTP parser refused before the gateway saw it (headers or URL
 * too large, malformed HTTP, a request not received in time) as every other error: a
 * `ValidationError` with the status of the one table, as AWS XML for the Query API (`/`) and
 * `{code, message, requestId}` for everything else. The connection is then closed for writing
 * but still read (and what arrives dropped) for a while, so that a client still sending a long
 * request reads the reply rather than a connection reset.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const requestId = RequestScope.newId();
  const code = 'ValidationError';
  const message = REASONS[error.code] ?? 'The request is not valid HTTP/1.1.';
  const requestLine = received(error)?.subarray(0, 64).toString('latin1') ?? '';
  const query = /^[A-Z]+ \/(?:[?# ]|$)/.test(requestLine);
  const body = query ? queryErrorResponse({ type: 'Sender', code, message }, requestId) : JSON.stringify({ code, message, requestId });
  const status = ERROR_STATUS[code];
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\nContent-Type: ${query ? 'text/xml' : 'application/json'}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nx-amzn-RequestId: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.on('data', () => undefined);
  socket.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
