// Test support only (excluded from the library build): signs requests with the official
// @smithy/signature-v4 so that our verifier can be checked against it.
import { officialSigner, smithyRequest as requestFor, toWire as wireOf, type SmithyRequest } from '@iam/testing';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { SigV4Request } from '../lib/sigv4';

export { NodeSha256, signatureOf, wireEncode, wireQuery, type SmithyRequest } from '@iam/testing';

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SIGNING_DATE = new Date('2026-11-28T01:02:03Z');

/** A request to AWS's IAM endpoint in smithy's shape; `partial` replaces whole fields. */
export function smithyRequest(partial: Partial<SmithyRequest> = {}): SmithyRequest {
  return { ...requestFor({}), ...partial };
}

export function signer(
  options: { secret?: string; region?: string; service?: string; sessionToken?: string; applyChecksum?: boolean } = {},
): SignatureV4 {
  const credentials = {
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: options.secret ?? SECRET,
    ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
  };
  return officialSigner(credentials, options);
}

/** What the gateway would see for a request smithy signed. */
export function toWire(
  signed: { method: string; path: string; query?: SmithyRequest['query']; headers: Record<string, string>; body?: unknown },
  overrides: Partial<SigV4Request> = {},
): SigV4Request {
  return { ...wireOf(signed), ...overrides };
}
