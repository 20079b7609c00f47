/** A header value as a framework hands it over: one value, several values, or absent. */
export type HeaderValue = string | readonly string[] | undefined;

/**
 * A framework-neutral view of an HTTP request, enough to check a SigV4 signature.
 *
 * - `method`: the HTTP method as received (`GET`, `POST`).
 * - `path`: the path exactly as received on the wire (still percent-encoded), without the query.
 * - `rawQuery`: the query string exactly as received, without the leading `?` (may be empty).
 * - `headers`: lower-cased header names. Give repeated headers as an array of their separate
 *   values (Node's `req.headersDistinct`), not Node's comma-joined `req.headers` string:
 *   SigV4 joins repeated values with `,` and Node joins them with `, `.
 * - `body`: the raw body bytes (or a UTF-8 string), before any parsing.
 */
export interface SigV4Request {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly body: Buffer | Uint8Array | string;
}

/** The scope a signing key is derived for: `date/region/service/aws4_request`. */
export interface CredentialScope {
  /** `YYYYMMDD` */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** A parsed `Credential` / `X-Amz-Credential` value: `AKID/date/region/service/terminator`. */
export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  /** Should be `aws4_request`; checked by {@link checkCredentialScope}. */
  readonly terminator: string;
}

/** The parameters of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface AuthorizationHeaderParts {
  readonly credential: SigV4Credential;
  /** Lower-cased, sorted, without duplicates. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex as sent. */
  readonly signature: string;
}

/** The authentication parameters of a presigned request's query string. */
export interface PresignedQueryParts extends AuthorizationHeaderParts {
  /** `X-Amz-Date` as sent (ISO 8601 basic format). */
  readonly amzDate: string;
  /** `X-Amz-Expires` in seconds, when present (1..604800). */
  readonly expiresSeconds?: number;
  /** `X-Amz-Security-Token`, when present. */
  readonly securityToken?: string;
}

/** Everything a request says about how it was signed, whichever way it was sent. */
export interface SigV4Auth {
  readonly authType: 'header' | 'presigned';
  readonly credential: SigV4Credential;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The request date in ISO 8601 basic format (`20261128T010203Z`), as used in the string to sign. */
  readonly amzDate: string;
  /** The same instant as a `Date`. */
  readonly requestTime: Date;
  /** Presigned requests only: `X-Amz-Expires` in seconds, when present. */
  readonly expiresSeconds?: number;
  /** `X-Amz-Security-Token` (header or query), when present. */
  readonly securityToken?: string;
}

/**
 * What the gateway sends to the identity service so that it can check the signature without the
 * secret ever leaving identity.
 */
export interface SigV4VerificationInput {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  readonly signedHeaders: readonly string[];
  readonly stringToSign: string;
  readonly signature: string;
}

/** The result of {@link prepareSigV4Verification}: the verification input plus context for logs. */
export interface PreparedSigV4Verification extends SigV4VerificationInput {
  readonly authType: 'header' | 'presigned';
  readonly requestTime: Date;
  readonly securityToken?: string;
  /** The canonical request the string to sign was built from (useful when debugging a mismatch). */
  readonly canonicalRequest: string;
}
