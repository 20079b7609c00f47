import { decodeUtf8Strict, percentDecodeToBytes } from '../encoding';
import { AwsProtocolError, MISSING_AUTHENTICATION_TOKEN_MESSAGE } from '../errors';
import { MAX_PRESIGNED_EXPIRES_SECONDS, PRESIGN_PARAMS, SIGV4_ALGORITHM, SIGV4_TERMINATOR } from './constants';
import { formatAmzDate, parseAmzDate, parseDateHeader } from './time';
import type {
  AuthorizationHeaderParts,
  HeaderValue,
  PresignedQueryParts,
  SigV4Auth,
  SigV4Credential,
  SigV4Request,
} from './types';

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

function incomplete(message: string): AwsProtocolError {
  return new AwsProtocolError('IncompleteSignature', message);
}

/** All values of a header, in order; an absent header gives an empty list. */
export function headerValues(headers: Readonly<Record<string, HeaderValue>>, name: string): string[] {
  const value = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function singleHeader(headers: Readonly<Record<string, HeaderValue>>, name: string): string | undefined {
  const values = headerValues(headers, name);
  if (values.length > 1) {
    throw incomplete(`The request must carry at most one '${name}' header.`);
  }
  return values[0];
}

/**
 * Parses a credential, `AKID/YYYYMMDD/region/service/aws4_request`. The scope's values are
 * checked later by {@link checkCredentialScope}; here only the shape is.
 *
 * @throws AwsProtocolError `IncompleteSignature` unless there are exactly five non-empty elements.
 */
export function parseCredential(value: string): SigV4Credential {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((part) => part.length === 0)) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, scope: { date, region, service }, terminator };
}

function parseSignedHeaders(value: string, source: string): string[] {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name.length === 0)) {
    throw incomplete(`${source} must be a semicolon-separated list of header names, got '${value}'.`);
  }
  return [...new Set(names)].sort();
}

function checkSignatureFormat(signature: string): string {
  // A value that is not 64 lower-case hex digits can never equal a computed signature.
  if (!HEX_SIGNATURE.test(signature)) {
    throw new AwsProtocolError(
      'SignatureDoesNotMatch',
      'The request signature must be 64 lower-case hexadecimal digits.',
    );
  }
  return signature;
}

interface ScannedHeader {
  readonly params: ReadonlyMap<string, string>;
  readonly missing: readonly string[];
}

function scanAuthorizationHeader(value: string): ScannedHeader {
  const trimmed = value.trim();
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const algorithm = match ? match[1] : '';
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const params = new Map<string, string>();
  for (const rawPart of (match?.[2] ?? '').split(',')) {
    const part = rawPart.trim();
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      throw incomplete(`'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${trimmed}'`);
    }
    // As AWS does, a repeated key takes its last value.
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing: string[] = [];
  for (const key of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.has(key)) missing.push(`Authorization header requires '${key}' parameter.`);
  }
  return { params, missing };
}

function partsFromScan(params: ReadonlyMap<string, string>): AuthorizationHeaderParts {
  return {
    credential: parseCredential(params.get('Credential') ?? ''),
    signedHeaders: parseSignedHeaders(params.get('SignedHeaders') ?? '', 'SignedHeaders'),
    signature: checkSignatureFormat(params.get('Signature') ?? ''),
  };
}

/**
 * Parses an `Authorization` header value:
 * `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=<hex>`.
 * Spacing around the algorithm, commas and equal signs is free, empty items are skipped, a
 * repeated key keeps its last value and unknown keys are ignored, as AWS does.
 *
 * @throws AwsProtocolError `IncompleteSignature` for another algorithm, an item without `=`, a
 * missing `Credential`, `SignedHeaders` or `Signature`, or a malformed credential;
 * `SignatureDoesNotMatch` when the signature is not 64 lower-case hex digits.
 */
export function parseAuthorizationHeader(value: string): AuthorizationHeaderParts {
  const { params, missing } = scanAuthorizationHeader(value);
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${SIGV4_ALGORITHM}`);
  return partsFromScan(params);
}

/** One `key=value` item of a raw query string, both still percent-encoded. */
export interface RawQueryPair {
  readonly key: string;
  readonly value: string;
}

/** Splits a raw query string on `&` and the first `=` of each item; empty items are skipped. */
export function splitRawQuery(rawQuery: string): RawQueryPair[] {
  const pairs: RawQueryPair[] = [];
  for (const item of rawQuery.split('&')) {
    if (item.length === 0) continue;
    const eq = item.indexOf('=');
    pairs.push(eq < 0 ? { key: item, value: '' } : { key: item.slice(0, eq), value: item.slice(eq + 1) });
  }
  return pairs;
}

function decodeQueryComponent(text: string, what: string): string {
  return decodeUtf8Strict(percentDecodeToBytes(text, false), what);
}

/** The SigV4 parameters found in a raw query string, decoded; a repeated one is rejected. */
function presignParams(rawQuery: string): Map<string, string> {
  const wanted = new Set<string>(Object.values(PRESIGN_PARAMS));
  const found = new Map<string, string>();
  for (const pair of splitRawQuery(rawQuery)) {
    const key = decodeQueryComponent(pair.key, 'A query parameter name');
    if (!wanted.has(key)) continue;
    if (found.has(key)) throw incomplete(`The query string must carry '${key}' only once.`);
    found.set(key, decodeQueryComponent(pair.value, `The value of '${key}'`));
  }
  return found;
}

function parseExpires(text: string): number {
  const seconds = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_PRESIGNED_EXPIRES_SECONDS)) {
    throw incomplete(
      `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGNED_EXPIRES_SECONDS}, got '${text}'.`,
    );
  }
  return seconds;
}

function presignedFrom(params: ReadonlyMap<string, string>): PresignedQueryParts {
  const algorithm = params.get(PRESIGN_PARAMS.algorithm);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new AwsProtocolError('MissingAuthenticationToken', MISSING_AUTHENTICATION_TOKEN_MESSAGE);
  }
  const required = [PRESIGN_PARAMS.credential, PRESIGN_PARAMS.signature, PRESIGN_PARAMS.signedHeaders, PRESIGN_PARAMS.date];
  const missing = required.filter((name) => !params.has(name));
  if (missing.length > 0) {
    throw incomplete(
      `${missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ')} ` +
        'Re-examine the query-string parameters.',
    );
  }
  const expires = params.get(PRESIGN_PARAMS.expires);
  const securityToken = params.get(PRESIGN_PARAMS.securityToken);
  return {
    credential: parseCredential(params.get(PRESIGN_PARAMS.credential) ?? ''),
    signedHeaders: parseSignedHeaders(params.get(PRESIGN_PARAMS.signedHeaders) ?? '', PRESIGN_PARAMS.signedHeaders),
    signature: checkSignatureFormat(params.get(PRESIGN_PARAMS.signature) ?? ''),
    amzDate: params.get(PRESIGN_PARAMS.date) ?? '',
    ...(expires !== undefined ? { expiresSeconds: parseExpires(expires) } : {}),
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
}

/**
 * Parses the SigV4 parameters of a presigned request from its raw query string.
 *
 * @throws AwsProtocolError `MissingAuthenticationToken` when `X-Amz-Algorithm` is absent or not
 * `AWS4-HMAC-SHA256`; `IncompleteSignature` when another required parameter is missing, repeated
 * or malformed, or `X-Amz-Expires` is outside 1..604800; `InvalidQueryParameter` when the query
 * string cannot be percent-decoded.
 */
export function parsePresignedQuery(rawQuery: string): PresignedQueryParts {
  return presignedFrom(presignParams(rawQuery));
}

/**
 * Finds and parses the SigV4 authentication of a request: the `Authorization` header, or the
 * presigned query parameters when `X-Amz-Algorithm` is present. Also resolves the request date
 * (`X-Amz-Date`, else the `Date` header, for header auth; `X-Amz-Date` for presigned).
 *
 * @throws AwsProtocolError `MissingAuthenticationToken` when the request carries no
 * authentication; `SignatureDoesNotMatch` when it carries both kinds; otherwise as
 * {@link parseAuthorizationHeader} and {@link parsePresignedQuery}, plus `IncompleteSignature`
 * when no date is present or it is malformed.
 */
export function extractSigV4Auth(request: SigV4Request): SigV4Auth {
  const authorization = headerValues(request.headers, 'authorization');
  const params = presignParams(request.rawQuery);
  const presigned = params.has(PRESIGN_PARAMS.algorithm);

  if (authorization.length > 0 && presigned) {
    throw new AwsProtocolError(
      'SignatureDoesNotMatch',
      'The request must be signed either in the Authorization header or in the query string, not both.',
    );
  }
  if (presigned) {
    const parts = presignedFrom(params);
    return {
      authType: 'presigned',
      credential: parts.credential,
      signedHeaders: parts.signedHeaders,
      signature: parts.signature,
      amzDate: parts.amzDate,
      requestTime: parseAmzDate(parts.amzDate),
      ...(parts.expiresSeconds !== undefined ? { expiresSeconds: parts.expiresSeconds } : {}),
      ...(parts.securityToken !== undefined ? { securityToken: parts.securityToken } : {}),
    };
  }
  if (authorization.length === 0) {
    throw new AwsProtocolError('MissingAuthenticationToken', MISSING_AUTHENTICATION_TOKEN_MESSAGE);
  }
  if (authorization.length > 1) throw incomplete('The request must carry only one Authorization header.');

  const { params: headerParams, missing } = scanAuthorizationHeader(authorization[0]);
  const amzDateHeader = singleHeader(request.headers, 'x-amz-date');
  const dateHeader = amzDateHeader === undefined ? singleHeader(request.headers, 'date') : undefined;
  const allMissing = [...missing];
  if (amzDateHeader === undefined && dateHeader === undefined) {
    allMissing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (allMissing.length > 0) throw incomplete(`${allMissing.join(' ')} Authorization=${SIGV4_ALGORITHM}`);

  const parts = partsFromScan(headerParams);
  const requestTime =
    amzDateHeader !== undefined ? parseAmzDate(amzDateHeader.trim()) : parseDateHeader((dateHeader ?? '').trim());
  const securityToken = singleHeader(request.headers, 'x-amz-security-token');
  return {
    authType: 'header',
    ...parts,
    amzDate: formatAmzDate(requestTime),
    requestTime,
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
}

/** Options of {@link checkCredentialScope}. */
export interface CredentialScopeOptions {
  /** The service the credential must be scoped to; `iam` unless given. */
  readonly service?: string;
  /** When given, the only regions accepted; any region otherwise. */
  readonly regions?: readonly string[];
}

/**
 * Checks a credential's scope against the request: the service, the `aws4_request` terminator,
 * the region (when a list is given), and that the scope date is the date of `X-Amz-Date`.
 * All problems are reported together, as AWS does.
 *
 * @throws AwsProtocolError `SignatureDoesNotMatch` with AWS's wording.
 */
export function checkCredentialScope(
  credential: SigV4Credential,
  amzDate: string,
  options: CredentialScopeOptions = {},
): void {
  const service = options.service ?? 'iam';
  const problems: string[] = [];
  const { scope, terminator } = credential;
  if (options.regions && !options.regions.includes(scope.region)) {
    problems.push(`Credential should be scoped to a valid region, not '${scope.region}'.`);
  }
  if (scope.service !== service) {
    problems.push(`Credential should be scoped to correct service: '${service}'.`);
  }
  if (terminator !== SIGV4_TERMINATOR) {
    problems.push(`Credential should be scoped with a valid terminator: '${SIGV4_TERMINATOR}', not '${terminator}'.`);
  }
  const expectedDate = amzDate.slice(0, 8);
  if (scope.date !== expectedDate) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${scope.date}' != '${expectedDate}', from '${amzDate}'.`,
    );
  }
  if (problems.length > 0) throw new AwsProtocolError('SignatureDoesNotMatch', problems.join(' '));
}
