import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGV4_TERMINATOR } from './constants';

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * Derives the SigV4 signing key for one day, region and service:
 * `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
 * The key is valid for that scope only, so the identity service may cache it per access key
 * and scope.
 *
 * @param secretAccessKey the access key's secret
 * @param date the scope date, `YYYYMMDD`
 */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const dateKey = hmac(`AWS4${secretAccessKey}`, date);
  const regionKey = hmac(dateKey, region);
  const serviceKey = hmac(regionKey, service);
  return hmac(serviceKey, SIGV4_TERMINATOR);
}

/** Signs a string to sign with a derived signing key; returns the lower-case hex signature. */
export function signStringToSign(signingKey: Buffer, stringToSign: string): string {
  return hmac(signingKey, stringToSign).toString('hex');
}

/**
 * Compares two signatures in constant time (for equal lengths; a length difference returns
 * `false` without comparing contents).
 */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Keep the work similar to the equal-length case; the length itself is not secret.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
