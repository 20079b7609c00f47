import { z } from 'zod';
import { NoReply, pattern } from '../pattern';
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

/** The scope of a derived SigV4 signing key: a day, a region and a service. */
export const SigningKeyScope = VerifySignatureRequest.shape.Scope;

export const GetSigningKeyRequest = z.strictObject({ AccessKeyId, Scope: SigningKeyScope });
export type GetSigningKeyRequest = z.infer<typeof GetSigningKeyRequest>;

export const GetSigningKeyReply = z.strictObject({
  /** HMAC-SHA256 chain of the secret over date, region, service and `aws4_request`: 64 lower-case hex digits. */
  SigningKey: z.string().regex(/^[0-9a-f]{64}$/),
  Principal,
});
export type GetSigningKeyReply = z.infer<typeof GetSigningKeyReply>;

/** One use of an access key that a gateway verified itself. */
export const AccessKeyUse = z.strictObject({
  AccessKeyId,
  /** ISO 8601. */
  At: z.string().datetime(),
  Service: awsString({ min: 1, max: 128 }),
  Region: awsString({ min: 1, max: 128 }),
});
export type AccessKeyUse = z.infer<typeof AccessKeyUse>;

export const RecordAccessKeyUseRequest = z.strictObject({ Uses: z.array(AccessKeyUse).min(1).max(1000) });
export type RecordAccessKeyUseRequest = z.infer<typeof RecordAccessKeyUseRequest>;

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
  /**
   * The derived SigV4 signing key of an active key for one scope (a day, a
   * region, a service), with its principal, for a gateway that verifies
   * signatures itself: the secret never leaves identity, and the derived key
   * is good for that scope only (AWS distributes derived keys the same way).
   * Unknown, deleted or inactive key, or a user being deleted →
   * `InvalidClientTokenId`. Records no use: the gateway reports uses with
   * `RecordAccessKeyUse`.
   */
  GetSigningKey: pattern('identity.signature.signing-key', GetSigningKeyRequest, GetSigningKeyReply),
  /**
   * Uses of access keys a gateway verified itself (the latest per key),
   * recorded as `VerifySignature` records its own (`GetAccessKeyLastUsed`,
   * the credential report); unknown keys are ignored. Reply: `{}`.
   */
  RecordAccessKeyUse: pattern('identity.signature.record-use', RecordAccessKeyUseRequest, NoReply),
} as const;
