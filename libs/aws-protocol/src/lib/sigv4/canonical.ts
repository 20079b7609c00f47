import { createHash } from 'node:crypto';
import { percentDecodeToBytes, uriEncode, uriEncodeBytes } from '../encoding';
import { AwsProtocolError } from '../errors';
import { headerValues, splitRawQuery } from './authorization';
import { PRESIGN_PARAMS, SIGV4_ALGORITHM, SIGV4_TERMINATOR } from './constants';
import type { CredentialScope, HeaderValue, SigV4Request } from './types';

/** Lower-case hex SHA-256 of a string (as UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The canonical URI of a non-S3 request. The path as received (already percent-encoded once by
 * the client) is normalized (empty and `.` segments dropped, `..` removes the previous segment,
 * a trailing `/` kept) and then URI-encoded once more, `/` excepted: AWS's "encode twice" rule
 * for every service but S3.
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && path.endsWith('/');
  const normalized = '/' + segments.join('/') + (trailingSlash ? '/' : '');
  return uriEncode(normalized, true);
}

/** Options of {@link canonicalQueryString}. */
export interface CanonicalQueryOptions {
  /** Leave out `X-Amz-Signature` (presigned requests). */
  readonly excludeSignature?: boolean;
}

/**
 * The canonical query string: each name and value percent-decoded as received and re-encoded per
 * RFC 3986 (a literal `+` is a plus sign, not a space), a name without `=` given an empty value,
 * pairs sorted by encoded name then encoded value, joined with `&`.
 *
 * @throws AwsProtocolError `InvalidQueryParameter` on a malformed percent escape.
 */
export function canonicalQueryString(rawQuery: string, options: CanonicalQueryOptions = {}): string {
  const pairs: [string, string][] = [];
  for (const pair of splitRawQuery(rawQuery)) {
    const keyBytes = percentDecodeToBytes(pair.key, false);
    const key = uriEncodeBytes(keyBytes);
    if (options.excludeSignature && key === PRESIGN_PARAMS.signature) continue;
    pairs.push([key, uriEncodeBytes(percentDecodeToBytes(pair.value, false))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** A header value in canonical form: runs of spaces and tabs become one space, ends trimmed. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * The canonical headers block: one `name:value\n` line per signed header, in the order of
 * `signedHeaders` (already sorted, lower-case). Repeated values of a header are each made
 * canonical and joined with `,` in the order received; an absent header gives an empty value.
 */
export function canonicalHeaders(
  headers: Readonly<Record<string, HeaderValue>>,
  signedHeaders: readonly string[],
): string {
  return signedHeaders
    .map((name) => `${name}:${headerValues(headers, name).map(canonicalHeaderValue).join(',')}\n`)
    .join('');
}

/**
 * The payload hash of a non-S3 request: the hex SHA-256 of the body. A client may declare it in
 * `x-amz-content-sha256` (presigned requests carry it in the query string; pass those values as
 * `alsoDeclared`); every declared value must then be that same hash, so unsigned or streaming
 * payloads are refused.
 *
 * @throws AwsProtocolError `SignatureDoesNotMatch` when a declared hash differs from the body's.
 */
export function payloadHash(request: SigV4Request, alsoDeclared: readonly string[] = []): string {
  const hash = sha256Hex(typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body);
  const declared = [...headerValues(request.headers, 'x-amz-content-sha256'), ...alsoDeclared];
  if (declared.some((value) => value.trim() !== hash)) {
    throw new AwsProtocolError(
      'SignatureDoesNotMatch',
      'x-amz-content-sha256 must be the hex SHA-256 of the request body; unsigned and streaming payloads are not accepted.',
    );
  }
  return hash;
}

/** The parts a canonical request is made of, each already in canonical form. */
export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQueryString: string;
  readonly canonicalHeaders: string;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

/** Joins the parts of a canonical request with newlines, as SigV4 specifies. */
export function formatCanonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQueryString,
    parts.canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** Options of {@link buildCanonicalRequest}. */
export interface BuildCanonicalRequestOptions {
  readonly signedHeaders: readonly string[];
  /** Presigned requests leave `X-Amz-Signature` out of the canonical query string. */
  readonly presigned: boolean;
}

/**
 * Builds the canonical request of a non-S3 SigV4 request.
 *
 * @throws AwsProtocolError as {@link canonicalQueryString} and {@link payloadHash}.
 */
export function buildCanonicalRequest(request: SigV4Request, options: BuildCanonicalRequestOptions): string {
  // A presigning client moves x-amz-* headers into the query string, x-amz-content-sha256 included.
  const hoisted = options.presigned
    ? splitRawQuery(request.rawQuery)
        .filter((pair) => pair.key.toLowerCase() === 'x-amz-content-sha256')
        .map((pair) => pair.value)
    : [];
  return formatCanonicalRequest({
    method: request.method,
    canonicalUri: canonicalUri(request.path),
    canonicalQueryString: canonicalQueryString(request.rawQuery, { excludeSignature: options.presigned }),
    canonicalHeaders: canonicalHeaders(request.headers, options.signedHeaders),
    signedHeaders: options.signedHeaders,
    payloadHash: payloadHash(request, hoisted),
  });
}

/** The credential scope string, `YYYYMMDD/region/service/aws4_request`. */
export function formatCredentialScope(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${SIGV4_TERMINATOR}`;
}

/**
 * The string to sign: `AWS4-HMAC-SHA256\n<amz-date>\n<scope>\n<hex sha256 of canonical request>`.
 */
export function buildStringToSign(amzDate: string, scope: CredentialScope, canonicalRequest: string): string {
  return [SIGV4_ALGORITHM, amzDate, formatCredentialScope(scope), sha256Hex(canonicalRequest)].join('\n');
}
