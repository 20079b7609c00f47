// Test support only (excluded from the library build): signs requests with the official
// @smithy/signature-v4 so that our verifier can be checked against it.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Request } from '../lib/sigv4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The smithy Checksum interface over node:crypto (SHA-256, or HMAC-SHA256 when keyed). */
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

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SIGNING_DATE = new Date('2026-11-28T01:02:03Z');

/** A request as smithy sees it: query decoded, headers single-valued. */
export interface SmithyRequest {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export function smithyRequest(partial: Partial<SmithyRequest> = {}): SmithyRequest {
  return {
    method: 'GET',
    protocol: 'https:',
    hostname: 'iam.amazonaws.com',
    path: '/',
    query: {},
    headers: { host: 'iam.amazonaws.com' },
    ...partial,
  };
}

export function signer(
  options: { secret?: string; region?: string; service?: string; sessionToken?: string; applyChecksum?: boolean } = {},
): SignatureV4 {
  return new SignatureV4({
    applyChecksum: options.applyChecksum ?? true,
    credentials: {
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'iam',
    sha256: NodeSha256,
  });
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

/** What the gateway would see for a request smithy signed. */
export function toWire(
  signed: { method: string; path: string; query?: SmithyRequest['query']; headers: Record<string, string>; body?: unknown },
  overrides: Partial<SigV4Request> = {},
): SigV4Request {
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
