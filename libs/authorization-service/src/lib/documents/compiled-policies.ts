import { Injectable } from '@nestjs/common';
import { cacheLookups, trackCache } from '@iam/platform';
import { PolicySource } from '@iam/policy-engine';
import { compileDocument, CompiledDocument } from './policy-documents';

/** How many compiled documents a replica keeps. */
export const COMPILED_CACHE_SIZE = 20_000;

/**
 * Compiled policies keyed by immutable content: a managed policy's id and
 * version id, an inline policy's owner, name and content hash. An entry can
 * never be stale (the key changes when the content does), so the cache needs
 * no invalidation and is safe across replicas; which policies apply to a
 * principal is never cached. Least recently used entries are dropped first.
 */
@Injectable()
export class CompiledPolicies {
  private readonly entries = new Map<string, CompiledDocument>();
  /** Entries kept at most. */
  capacity = COMPILED_CACHE_SIZE;

  constructor() {
    trackCache('compiled_policies', this);
  }

  get(key: string): CompiledDocument | undefined {
    const entry = this.entries.get(key);
    cacheLookups.inc({ cache: 'compiled_policies', result: entry === undefined ? 'miss' : 'hit' });
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  put(key: string, entry: CompiledDocument): CompiledDocument {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry;
  }

  /** The cached entry, or the document compiled once and kept. */
  compile(key: string, text: string, source: PolicySource): CompiledDocument {
    return this.get(key) ?? this.put(key, compileDocument(text, source, { stored: true }));
  }

  get size(): number {
    return this.entries.size;
  }

  static managedKey(policyId: string, versionId: string): string {
    return `m:${policyId}:${versionId}`;
  }

  static inlineKey(principalId: string, name: string, contentHash: string): string {
    return `i:${principalId}:${name}:${contentHash}`;
  }
}
