import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** smithy's checksum interface over node:crypto: SHA-256, or HMAC-SHA256 with a secret. */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignerOptions {
  region?: string;
  service?: string;
  applyChecksum?: boolean;
}

/**
 * The official AWS SigV4 signer (`@smithy/signature-v4`): the one signer every
 * spec, e2e suite and benchmark signs with, as AWS clients do.
 */
export function officialSigner(credentials: SigningCredentials, options: SignerOptions = {}): SignatureV4 {
  return new SignatureV4({
    credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'iam',
    sha256: NodeSha256,
    applyChecksum: options.applyChecksum ?? true,
  });
}

/** A request as smithy signs it: query decoded, headers single-valued. */
export interface SmithyRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** A request to sign: what differs from a GET of `/` with no query. */
export interface RequestToSign {
  method?: string;
  path?: string;
  query?: Record<string, string | string[] | null>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** A request for `origin` (default `https://iam.amazonaws.com`) in smithy's shape, `host` header included. */
export function smithyRequest(request: RequestToSign = {}, origin = 'https://iam.amazonaws.com'): SmithyRequest {
  const url = new URL(origin);
  return {
    method: request.method ?? 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: request.path ?? '/',
    query: request.query ?? {},
    headers: { host: url.host, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

/** RFC 3986 encoding as the SDK's HTTP handler puts it on the wire. */
export function wireEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Serializes a smithy query map the way the SDK's HTTP handler does. */
export function wireQuery(query: SmithyRequest['query'], encode: (text: string) => string = wireEncode): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (Array.isArray(value)) for (const item of value) parts.push(`${encode(key)}=${encode(item)}`);
    else if (value === null) parts.push(encode(key));
    else parts.push(`${encode(key)}=${encode(value)}`);
  }
  return parts.join('&');
}

/** A request as a server receives it (the shape the gateway's SigV4 verifier reads). */
export interface WireRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** What a server sees for a request smithy signed: lower-case headers, the query as the SDK writes it. */
export function toWire(
  signed: { method: string; path: string; query?: SmithyRequest['query']; headers: Record<string, string>; body?: unknown },
  overrides: Partial<WireRequest> = {},
): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const body = signed.body;
  return {
    method: signed.method,
    path: signed.path,
    rawQuery: wireQuery(signed.query ?? {}),
    headers,
    body: typeof body === 'string' || body instanceof Uint8Array ? body : '',
    ...overrides,
  };
}

/** The signature smithy put in an Authorization header. */
export function signatureOf(authorization: string): string {
  const match = /Signature=([0-9a-f]{64})/.exec(authorization);
  if (!match) throw new Error(`no signature in ${authorization}`);
  return match[1];
}

/** Signs a request to `origin` with an Authorization header; answers the URL and the headers to send (without `host`, which fetch sets). */
export async function signHttp(
  origin: string,
  credentials: SigningCredentials,
  request: RequestToSign,
  options: SignerOptions & { signingDate?: Date } = {},
): Promise<{ url: string; headers: Record<string, string> }> {
  const signed = await officialSigner(credentials, options).sign(
    smithyRequest(request, origin),
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers['host'];
  const query = wireQuery(request.query ?? {});
  return { url: `${origin.replace(/\/$/, '')}${request.path ?? '/'}${query ? `?${query}` : ''}`, headers };
}

/** A presigned URL (the signature in the query string) for a request to `origin`. */
export async function presignHttp(
  origin: string,
  credentials: SigningCredentials,
  request: RequestToSign,
  options: SignerOptions & { signingDate?: Date; expiresIn?: number } = {},
): Promise<string> {
  const presigned = await officialSigner(credentials, options).presign(smithyRequest(request, origin), {
    expiresIn: options.expiresIn ?? 300,
    ...(options.signingDate ? { signingDate: options.signingDate } : {}),
  });
  return `${origin.replace(/\/$/, '')}${presigned.path}?${wireQuery(presigned.query ?? {})}`;
}

/** The headers of a request to `url` signed by the official signer (service `iam`), without `host`. */
export async function signedHeaders(
  url: string,
  credentials: SigningCredentials,
  request: { method: string; body?: string; headers?: Record<string, string> },
  signingDate?: Date,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signed = await signHttp(
    target.origin,
    credentials,
    { ...request, path: target.pathname, query: Object.fromEntries(target.searchParams) },
    signingDate ? { signingDate } : {},
  );
  return signed.headers;
}
