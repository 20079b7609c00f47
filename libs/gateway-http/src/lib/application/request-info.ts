import type { FastifyRequest } from 'fastify';

/** What the application layer needs of an HTTP request, whichever front received it. */
export interface RequestInfo {
  readonly requestId: string;
  readonly method: string;
  /** The path exactly as received (still percent-encoded), without the query. */
  readonly path: string;
  /** The query string exactly as received, without `?`. */
  readonly rawQuery: string;
  /** Lower-cased names; repeated headers as arrays of their separate values. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body bytes (empty when none). */
  readonly body: Buffer;
  readonly contentType?: string;
  /** The client's address (the first `X-Forwarded-For` hop when behind a proxy). */
  readonly sourceIp: string;
  /** Whether the client reached us over TLS. */
  readonly secure: boolean;
  readonly userAgent?: string;
}

/** Reads a Fastify request into {@link RequestInfo}. The body must have been kept as a raw Buffer. */
export function requestInfoOf(request: FastifyRequest): RequestInfo {
  const url = request.raw.url ?? request.url;
  const q = url.indexOf('?');
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const contentType = request.headers['content-type'];
  const userAgent = request.headers['user-agent'];
  return {
    requestId: String(request.id),
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: request.raw.headersDistinct as Record<string, string[] | undefined>,
    body,
    ...(contentType !== undefined ? { contentType } : {}),
    // An IPv4 client of a dual-stack listener shows as ::ffff:a.b.c.d; policies name it a.b.c.d.
    sourceIp: request.ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1'),
    secure: request.protocol === 'https',
    ...(userAgent !== undefined ? { userAgent } : {}),
  };
}
