import { z } from 'zod';
import { pattern } from '../pattern';
import { awsString } from '../validation';
import { AccessKeyId, Principal } from './shared';

// SigV4 verification: `libs/identity-service/src/lib/signatures`.

/**
 * What the gateway's `prepareSigV4Verification` produced, in this contract's
 * casing: `{ AccessKeyId: p.accessKeyId, Scope: { Date: p.scope.date,
 * Region: p.scope.region, Service: p.scope.service }, StringToSign:
 * p.stringToSign, Signature: p.signature }`.
 */
export const VerifySignatureRequest = z.strictObject({
  AccessKeyId,
  Scope: z.strictObject({
    Date: awsString({ min: 8, max: 8, pattern: '[0-9]{8}' }),
    Region: awsString({ min: 1, max: 128, pattern: '[^/]+' }),
    Service: awsString({ min: 1, max: 128, pattern: '[^/]+' }),
  }),
  StringToSign: awsString({ min: 1, max: 2048 }),
  /** 64 lower-case hex digits. */
  Signature: awsString({ min: 64, max: 64, pattern: '[0-9a-f]{64}' }),
});
export type VerifySignatureRequest = z.infer<typeof VerifySignatureRequest>;

export const VerifySignatureReply = z.strictObject({ Principal });
export type VerifySignatureReply = z.infer<typeof VerifySignatureReply>;

export const SignaturePatterns = {
  /**
   * Checks a SigV4 signature: the gateway parses the request and builds the
   * string to sign (and checks the clock); identity derives the signing key
   * from the secret it holds and compares in constant time. Unknown, deleted
   * or inactive key (checked in the database on every call) →
   * `InvalidClientTokenId`; a signature that differs → `SignatureDoesNotMatch`.
   * Success → the principal, a user or root.
   */
  VerifySignature: pattern('identity.signature.verify', VerifySignatureRequest, VerifySignatureReply),
} as const;
