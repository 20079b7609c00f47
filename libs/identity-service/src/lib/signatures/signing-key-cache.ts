import type { CredentialScope } from '@iam/aws-protocol';
import { cacheLookups, trackCache } from '@iam/platform';

/**
 * Derived SigV4 signing keys per access key and scope (day, region,
 * service), so a verification costs one HMAC instead of a decryption and
 * five HMACs. Only derived key material is kept (never a secret), and the
 * key's status is still read from the database on every verification. The
 * oldest entry goes when the cache is full.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly capacity = 10_000) {
    trackCache('signing_keys', this);
  }

  get(accessKeyId: string, scope: CredentialScope): Buffer | undefined {
    const entry = this.entries.get(cacheKey(accessKeyId, scope));
    cacheLookups.inc({ cache: 'signing_keys', result: entry === undefined ? 'miss' : 'hit' });
    return entry;
  }

  set(accessKeyId: string, scope: CredentialScope, signingKey: Buffer): void {
    const key = cacheKey(accessKeyId, scope);
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, signingKey);
  }

  /** Forgets every derived key of an access key (deactivated, deleted). */
  invalidate(accessKeyId: string): void {
    const prefix = `${accessKeyId}/`;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function cacheKey(accessKeyId: string, scope: CredentialScope): string {
  return `${accessKeyId}/${scope.date}/${scope.region}/${scope.service}`;
}
