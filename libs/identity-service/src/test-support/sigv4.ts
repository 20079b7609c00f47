// Test support only (excluded from the library build): requests signed by the
// official AWS signer, seen as the gateway sees them, turned into the
// VerifySignature message the gateway sends.
import { prepareSigV4Verification, type PreparedSigV4Verification, type SigV4Request } from '@iam/aws-protocol';
import type { VerifySignatureRequest } from '@iam/contracts';
import { officialSigner } from '@iam/testing';
import type { SignatureV4 } from '@smithy/signature-v4';


export const SIGNING_DATE = new Date('2026-11-28T01:02:03Z');

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request before signing, as smithy takes it (query decoded). */
export interface UnsignedRequest {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

interface SmithyRequest {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string;
}

function smithyRequest(request: UnsignedRequest): SmithyRequest {
  return {
    method: request.method ?? 'GET',
    protocol: 'https:',
    hostname: 'iam.example.test',
    path: request.path ?? '/',
    query: request.query ?? {},
    headers: { host: 'iam.example.test', ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

function signer(credentials: Credentials, region: string): SignatureV4 {
  return officialSigner(credentials, { region });
}

/** RFC 3986 encoding, as the SDK's HTTP handler writes a query on the wire. */
function wireEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function wireQuery(query: SmithyRequest['query']): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (Array.isArray(value)) for (const item of value) parts.push(`${wireEncode(key)}=${wireEncode(item)}`);
    else if (value === null) parts.push(wireEncode(key));
    else parts.push(`${wireEncode(key)}=${wireEncode(value)}`);
  }
  return parts.join('&');
}

function toWire(signed: SmithyRequest): SigV4Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: signed.method, path: signed.path, rawQuery: wireQuery(signed.query), headers, body: signed.body ?? '' };
}

/** Signs with an Authorization header, as the AWS SDKs do. */
export async function signWithHeader(credentials: Credentials, request: UnsignedRequest = {}, region = 'us-east-1'): Promise<SigV4Request> {
  return toWire((await signer(credentials, region).sign(smithyRequest(request), { signingDate: SIGNING_DATE })) as SmithyRequest);
}

/** Signs as a presigned URL (the signature in the query string). */
export async function presign(credentials: Credentials, request: UnsignedRequest = {}, region = 'us-east-1'): Promise<SigV4Request> {
  return toWire((await signer(credentials, region).presign(smithyRequest(request), { signingDate: SIGNING_DATE, expiresIn: 900 })) as SmithyRequest);
}

/** The gateway's part: parse the request and build the string to sign. */
export function prepare(request: SigV4Request): PreparedSigV4Verification {
  return prepareSigV4Verification(request, { now: SIGNING_DATE });
}

/** What the gateway sends to identity for a prepared request. */
export function verificationOf(prepared: PreparedSigV4Verification): VerifySignatureRequest {
  return {
    AccessKeyId: prepared.accessKeyId,
    Scope: { Date: prepared.scope.date, Region: prepared.scope.region, Service: prepared.scope.service },
    StringToSign: prepared.stringToSign,
    Signature: prepared.signature,
  };
}
