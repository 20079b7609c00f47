import { AwsProtocolError } from '../errors';
import { checkCredentialScope, extractSigV4Auth } from './authorization';
import { buildCanonicalRequest, buildStringToSign } from './canonical';
import { checkRequestTime } from './time';
import type { PreparedSigV4Verification, SigV4Request } from './types';

/** Options of {@link prepareSigV4Verification}. */
export interface PrepareSigV4Options {
  /** The server's current time (inject a clock; never read it here). */
  readonly now: Date;
  /** The service credentials must be scoped to; `iam` unless given. */
  readonly service?: string;
  /** When given, the only regions accepted; any region otherwise. */
  readonly regions?: readonly string[];
  /** Allowed clock skew; 15 minutes unless given. */
  readonly maxClockSkewMs?: number;
}

/**
 * Everything the gateway does before asking the identity service to check a signature: find and
 * parse the authentication (header or presigned query), check the clock and the credential
 * scope, require `host` to be signed, and build the canonical request and the string to sign.
 *
 * The checks run in this order: authentication parameters, date format, clock, credential scope,
 * signed `host`, payload hash.
 *
 * @returns the input for identity (access key id, scope, signed headers, string to sign,
 * signature) plus context for logs
 * @throws AwsProtocolError `MissingAuthenticationToken`, `IncompleteSignature`,
 * `RequestExpired`, `SignatureDoesNotMatch` or `InvalidQueryParameter`
 */
export function prepareSigV4Verification(
  request: SigV4Request,
  options: PrepareSigV4Options,
): PreparedSigV4Verification {
  const auth = extractSigV4Auth(request);
  checkRequestTime(auth, options.now, { maxClockSkewMs: options.maxClockSkewMs });
  checkCredentialScope(auth.credential, auth.amzDate, { service: options.service, regions: options.regions });
  if (!auth.signedHeaders.includes('host')) {
    throw new AwsProtocolError(
      'SignatureDoesNotMatch',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const canonicalRequest = buildCanonicalRequest(request, {
    signedHeaders: auth.signedHeaders,
    presigned: auth.authType === 'presigned',
  });
  return {
    accessKeyId: auth.credential.accessKeyId,
    scope: auth.credential.scope,
    signedHeaders: auth.signedHeaders,
    stringToSign: buildStringToSign(auth.amzDate, auth.credential.scope, canonicalRequest),
    signature: auth.signature,
    authType: auth.authType,
    requestTime: auth.requestTime,
    ...(auth.securityToken !== undefined ? { securityToken: auth.securityToken } : {}),
    canonicalRequest,
  };
}
