import { performance } from 'node:perf_hooks';
import { cacheLookups, trackCache } from '@iam/platform';
import type { Coherence, CoherentStore, Invalidation } from './coherence';

/** A value read from the services, with what it depends on. */
export interface Filled<V> {
  readonly value: V;
  /** `Dependency` keys: an invalidation naming any of them drops the entry. */
  readonly dependsOn: readonly string[];
  /** Shorter than the cache's own time to live (a session that ends sooner). */
  readonly ttlMs?: number;
}

interface Entry<V> {
  readonly value: V;
  readonly dependsOn: readonly string[];
  readonly expires: number;
}

export interface CoherentCacheOptions {
  /** The longest an entry is kept, invalidated or not: a bound on what a lost invalidation could cost. */
  ttlMs: number;
  /** Entries kept at most; the least recently filled go first. */
  capacity: number;
  /** Monotonic milliseconds (specs give their own). */
  now?: () => number;
}

/**
 * A cache of the data plane: answers only while the replica's lease holds
 * ({@link Coherence.usable}), drops what an invalidation names, and keeps a fill only when no
 * invalidation or lapse happened while it was read (so a read that raced a change is used for
 * the request that made it, never kept). Concurrent misses of one key in one epoch share one
 * read.
 */
export class CoherentCache<V> implements CoherentStore {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly flights = new Map<string, { epoch: number; value: Promise<V> }>();
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly coherence: Coherence,
    private readonly options: CoherentCacheOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    coherence.register(this);
    trackCache(name, this);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`: from the cache while it may answer, else read with `load` (and kept when it may be). */
  async get(key: string, load: () => Promise<Filled<V>>): Promise<V> {
    const usable = this.coherence.usable();
    if (usable) {
      const entry = this.entries.get(key);
      if (entry !== undefined && entry.expires > this.now()) {
        cacheLookups.inc({ cache: this.name, result: 'hit' });
        return entry.value;
      }
      if (entry !== undefined) this.entries.delete(key);
    }
    cacheLookups.inc({ cache: this.name, result: 'miss' });
    const epoch = this.coherence.epoch();
    const flight = this.flights.get(key);
    if (flight !== undefined && flight.epoch === epoch) return flight.value;
    const value = this.fill(key, epoch, usable, load);
    this.flights.set(key, { epoch, value });
    const forget = () => {
      if (this.flights.get(key)?.value === value) this.flights.delete(key);
    };
    value.then(forget, forget);
    return value;
  }

  drop(invalidation: Invalidation): void {
    if (invalidation.all) return this.clear();
    const keys = new Set(invalidation.keys);
    for (const [key, entry] of this.entries) {
      if (entry.dependsOn.some((dependency) => keys.has(dependency))) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private async fill(key: string, epoch: number, usable: boolean, load: () => Promise<Filled<V>>): Promise<V> {
    const filled = await load();
    if (usable && this.coherence.epoch() === epoch && this.coherence.usable()) {
      this.entries.delete(key);
      this.entries.set(key, { value: filled.value, dependsOn: filled.dependsOn, expires: this.now() + Math.min(this.options.ttlMs, filled.ttlMs ?? Infinity) });
      while (this.entries.size > this.options.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    return filled.value;
  }
}
