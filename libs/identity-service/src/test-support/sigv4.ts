// Test support only (excluded from the library build): requests signed by the
// official AWS signer, seen as the gateway sees them, turned into the
// VerifySignature message the gateway sends.
import { prepareSigV4Verification, type PreparedSigV4Verification, type SigV4Request } from '@iam/aws-protocol';
import type { VerifySignatureRequest } from '@iam/contracts';
import { officialSigner, type RequestToSign, smithyRequest, toWire } from '@iam/testing';


export const SIGNING_DATE = new Date('2026-11-28T01:02:03Z');

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request before signing, as smithy takes it (query decoded). */
export type UnsignedRequest = RequestToSign;

const ORIGIN = 'https://iam.example.test';

/** Signs with an Authorization header, as the AWS SDKs do. */
export async function signWithHeader(credentials: Credentials, request: UnsignedRequest = {}, region = 'us-east-1'): Promise<SigV4Request> {
  return toWire(await officialSigner(credentials, { region }).sign(smithyRequest(request, ORIGIN), { signingDate: SIGNING_DATE }));
}

/** Signs as a presigned URL (the signature in the query string). */
export async function presign(credentials: Credentials, request: UnsignedRequest = {}, region = 'us-east-1'): Promise<SigV4Request> {
  return toWire(await officialSigner(credentials, { region }).presign(smithyRequest(request, ORIGIN), { signingDate: SIGNING_DATE, expiresIn: 900 }));
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
