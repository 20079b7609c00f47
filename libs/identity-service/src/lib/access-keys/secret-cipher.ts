import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A secret sealed under one master key. */
export interface SealedSecret {
  /** Which master key sealed it: see {@link masterKeyId}. */
  keyId: string;
  /** nonce (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). */
  sealed: Buffer;
}

/** Seals secrets at rest; injectable so the key handling stays in one place. */
export abstract class SecretCipher {
  /** The key new secrets are sealed under, or undefined when none is configured. */
  abstract readonly currentKeyId: string | undefined;
  /** Can a secret sealed under `keyId` be opened? */
  abstract knows(keyId: string): boolean;
  /** Seals `secret`, bound to `context` (the access key id), under the current key. */
  abstract seal(secret: string, context: string): SealedSecret;
  /** Opens a sealed secret; throws when the key is unknown or the data was tampered with. */
  abstract open(sealed: SealedSecret, context: string): string;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A master key's public id: the first 8 bytes of its SHA-256, hex. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Decodes a 32-byte base64 master key. */
export function masterKeyFromBase64(value: string, name: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes encoded as base64`);
  return key;
}

/**
 * AES-256-GCM with a random 96-bit nonce per secret and the access key id as
 * additional authenticated data (a sealed secret cannot be moved to another
 * key's row). Holds the current master key and, during a rotation, the
 * previous one; secrets are always sealed under the current one.
 */
export class AesGcmSecretCipher extends SecretCipher {
  readonly currentKeyId: string | undefined;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer | undefined, previous?: Buffer) {
    super();
    if (previous) this.keys.set(masterKeyId(previous), previous);
    if (current) {
      this.currentKeyId = masterKeyId(current);
      this.keys.set(this.currentKeyId, current);
    }
  }

  static fromBase64(current: string | undefined, previous?: string): AesGcmSecretCipher {
    return new AesGcmSecretCipher(
      current ? masterKeyFromBase64(current, 'IAM_MASTER_KEY') : undefined,
      previous ? masterKeyFromBase64(previous, 'IAM_MASTER_KEY_PREVIOUS') : undefined,
    );
  }

  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  seal(secret: string, context: string): SealedSecret {
    if (!this.currentKeyId) throw new Error('No master key is configured.');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, sealed: Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]) };
  }

  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`No master key with id ${sealed.keyId} is configured.`);
    if (sealed.sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('The sealed secret is too short.');
    const nonce = sealed.sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.sealed.subarray(sealed.sealed.length - TAG_BYTES);
    const ciphertext = sealed.sealed.subarray(NONCE_BYTES, sealed.sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }
}
