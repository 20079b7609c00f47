/**
 * The AWS error codes this library produces.
 *
 * - `MissingAuthenticationToken`: the request carries no SigV4 authentication at all.
 * - `IncompleteSignature`: a SigV4 part is missing or malformed.
 * - `SignatureDoesNotMatch`: the credential scope is wrong, `host` is not signed, the payload
 *   hash header disagrees with the body, or (identity side) the signature differs.
 * - `RequestExpired`: the request date is outside the allowed clock skew, or a presigned
 *   request is past its `X-Amz-Expires`.
 * - `InvalidClientTokenId`: the access key id is unknown (raised by the identity service
 *   through {@link invalidClientTokenIdError}).
 * - `InvalidQueryParameter`: the query string or form body is malformed (bad percent-encoding,
 *   invalid UTF-8, a repeated parameter, badly numbered list members).
 * - `ValidationError`: a parameter has the wrong type or breaks a model constraint.
 */
export type AwsProtocolErrorCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'SignatureDoesNotMatch'
  | 'RequestExpired'
  | 'InvalidClientTokenId'
  | 'InvalidQueryParameter'
  | 'ValidationError';

/** Who is at fault, as AWS reports it in `<Error><Type>`. */
export type AwsErrorType = 'Sender' | 'Receiver';

/**
 * An error that the gateway turns into an AWS error reply. `code` and `message` are what the
 * client should see; every error this library raises is the caller's fault (`Sender`).
 * HTTP statuses are deliberately not attached: the gateway maps codes to statuses in one table.
 */
export class AwsProtocolError extends Error {
  /** The AWS error code to put in `<Code>`. */
  readonly code: AwsProtocolErrorCode;
  /** Always `Sender` for errors raised here. */
  readonly type: AwsErrorType = 'Sender';

  constructor(code: AwsProtocolErrorCode, message: string) {
    super(message);
    this.name = 'AwsProtocolError';
    this.code = code;
  }
}

/** AWS's message for a signature that does not match. */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** AWS's message for an unknown access key id. */
export const INVALID_CLIENT_TOKEN_ID_MESSAGE = 'The security token included in the request is invalid.';

/** AWS's message when a request carries no authentication. */
export const MISSING_AUTHENTICATION_TOKEN_MESSAGE = 'Request is missing Authentication Token';

/** The error the identity service raises when the computed signature differs from the client's. */
export function signatureDoesNotMatchError(): AwsProtocolError {
  return new AwsProtocolError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE);
}

/** The error the identity service raises when the access key id is unknown or inactive. */
export function invalidClientTokenIdError(): AwsProtocolError {
  return new AwsProtocolError('InvalidClientTokenId', INVALID_CLIENT_TOKEN_ID_MESSAGE);
}
