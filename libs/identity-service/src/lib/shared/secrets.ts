import { createHash, randomBytes } from 'node:crypto';

/** Generates the secrets identity hands out once; injectable so specs can replace it. */
export abstract class SecretGenerator {
  /** A 40-character secret access key (base64 alphabet, as AWS's). */
  abstract secretAccessKey(): string;
  /** A console session token: 256 random bits, base64url. */
  abstract sessionToken(): string;
}

export class RandomSecretGenerator extends SecretGenerator {
  secretAccessKey(): string {
    return randomBytes(30).toString('base64');
  }

  sessionToken(): string {
    return randomBytes(32).toString('base64url');
  }
}

/** What is stored in place of a session token: its SHA-256, hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
