import { randomBytes } from 'node:crypto';
import { AesGcmSecretCipher, masterKeyId } from './secret-cipher';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('AES-256-GCM secret cipher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('seals under the current key and opens again; the sealed bytes do not contain the secret', () => {
    const cipher = new AesGcmSecretCipher(newKey);
    const sealed = cipher.seal(SECRET, 'AKIAEXAMPLE');
    expect(sealed.keyId).toBe(masterKeyId(newKey));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sealed.sealed.length).toBe(12 + SECRET.length + 16);
    expect(sealed.sealed.toString('latin1')).not.toContain(SECRET);
    expect(cipher.open(sealed, 'AKIAEXAMPLE')).toBe(SECRET);
  });

  it('uses a fresh nonce for every secret', () => {
    const cipher = new AesGcmSecretCipher(newKey);
    expect(cipher.seal(SECRET, 'A').sealed.equals(cipher.seal(SECRET, 'A').sealed)).toBe(false);
  });

  it('binds a sealed secret to its access key id', () => {
    const cipher = new AesGcmSecretCipher(newKey);
    const sealed = cipher.seal(SECRET, 'AKIAONE');
    expect(() => cipher.open(sealed, 'AKIATWO')).toThrow();
  });

  it('refuses tampered data', () => {
    const cipher = new AesGcmSecretCipher(newKey);
    const sealed = cipher.seal(SECRET, 'A');
    sealed.sealed[20] ^= 1;
    expect(() => cipher.open(sealed, 'A')).toThrow();
  });

  it('reads secrets under the previous key during a rotation, and seals only under the current one', () => {
    const before = new AesGcmSecretCipher(oldKey);
    const sealedBefore = before.seal(SECRET, 'A');
    const during = new AesGcmSecretCipher(newKey, oldKey);
    expect(during.knows(masterKeyId(oldKey))).toBe(true);
    expect(during.open(sealedBefore, 'A')).toBe(SECRET);
    expect(during.seal(SECRET, 'A').keyId).toBe(masterKeyId(newKey));
    const after = new AesGcmSecretCipher(newKey);
    expect(after.knows(masterKeyId(oldKey))).toBe(false);
    expect(() => after.open(sealedBefore, 'A')).toThrow(/No master key with id/);
  });

  it('cannot seal without a key', () => {
    const cipher = new AesGcmSecretCipher(undefined);
    expect(cipher.currentKeyId).toBeUndefined();
    expect(() => cipher.seal(SECRET, 'A')).toThrow('No master key is configured.');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => AesGcmSecretCipher.fromBase64(randomBytes(16).toString('base64'))).toThrow('IAM_MASTER_KEY must be 32 bytes');
  });
});
