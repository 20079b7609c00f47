import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * What a change can narrow (or widen): the cache entries that depend on any of `keys` are
 * dropped, every entry when `all`. Keys are {@link Dependency} strings.
 */
export interface Invalidation {
  readonly all?: boolean;
  readonly keys: readonly string[];
}

/**
 * The names cache entries depend on. Names that IAM compares without regard to case (user,
 * group and policy names, and so policy ARNs) are lower-cased, so a change that names the
 * entity in another case still finds what depends on it.
 */
export const Dependency = {
  userName: (name: string) => `u:${name.toLowerCase()}`,
  userId: (id: string) => `i:${id}`,
  groupName: (name: string) => `g:${name.toLowerCase()}`,
  policyArn: (arn: string) => `p:${arn.toLowerCase()}`,
  accessKey: (id: string) => `k:${id}`,
  session: (digest: string) => `s:${digest}`,
} as const;

/** A replica's announcement that it holds a lease on its caches. */
export interface LeaseBeat {
  readonly Replica: string;
  /** How long, from this beat, writers wait for the replica's acknowledgement at most. */
  readonly LeaseMs: number;
}

/** Something that holds cached state and can drop it. */
export interface CoherentStore {
  drop(invalidation: Invalidation): void;
  clear(): void;
}

/**
 * How replicas of the gateway hear of each other: lease beats and invalidations, each seen by
 * every replica (the sender included).
 */
export interface CoherenceChannel {
  listen(handlers: {
    beat(beat: LeaseBeat): void;
    /** `acknowledge` answers the sender once the invalidation is applied. */
    invalidation(invalidation: Invalidation, acknowledge: () => void): void;
    /** The channel may have missed messages (a reconnection): everything cached is suspect. */
    interrupted(): void;
  }, replica: string): Promise<void>;
  /** Publishes a beat; resolves once the bus has it (NATS: a round trip to the server after it). */
  beat(beat: LeaseBeat): Promise<void>;
  /**
   * Publishes an invalidation; `acknowledged(replica)` for each replica's answer (registered
   * before it resolves or rejects) until the returned function is called (the writer has stopped
   * waiting).
   */
  invalidate(invalidation: Invalidation, acknowledged: (replica: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export interface CoherenceOptions {
  /** How long a beat lets a replica answer from its caches, as writers count it. */
  leaseMs: number;
  /** Monotonic milliseconds (specs give their own). */
  now?: () => number;
  /** Timers (specs give their own). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Lease-based coherence of the gateway replicas' caches (docs/architecture.md, "Data plane").
 *
 * Every replica beats every `leaseMs / 6` and answers from its caches only while its lease
 * holds: until `leaseMs * 2/3` after the last beat the bus confirmed, and not before it has
 * beaten for `2 × interval` after joining (so every writer has heard of it). A change that
 * may narrow access publishes an invalidation and returns only when every replica heard from
 * within `leaseMs` has acknowledged it, or that replica's lease has run out as the writer
 * counts it (`leaseMs` after its last beat the writer heard, which is later than the holder's
 * own end of lease). A replica whose lease lapsed, or whose channel was interrupted, drops
 * everything and joins again. Fills that overlap an invalidation or a lapse are not kept
 * (`epoch`).
 */
export class Coherence {
  readonly replica = randomUUID();
  private readonly stores = new Set<CoherentStore>();
  private readonly holders = new Map<string, { heard: number; leaseMs: number }>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly interval: number;
  private readonly validity: number;
  private listeningSince = Number.POSITIVE_INFINITY;
  private validUntil = Number.NEGATIVE_INFINITY;
  private joinedAt: number | undefined;
  private lapsedAt = Number.NEGATIVE_INFINITY;
  private currentEpoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private beating = false;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly channel: CoherenceChannel,
    readonly options: CoherenceOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
    this.interval = Math.max(1, Math.floor(options.leaseMs / 6));
    this.validity = Math.floor((options.leaseMs * 2) / 3);
  }

  /** Starts listening and beating; resolves after the first beat. */
  async start(): Promise<void> {
    await this.channel.listen(
      {
        beat: (beat) => this.heard(beat),
        invalidation: (invalidation, acknowledge) => {
          this.apply(invalidation);
          acknowledge();
        },
        interrupted: () => this.lapse(),
      },
      this.replica,
    );
    this.listeningSince = this.now();
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.lapse();
    await this.channel.close();
  }

  register(store: CoherentStore): void {
    this.stores.add(store);
  }

  /** Whether caches may answer now. A lease found lapsed drops everything first. */
  usable(): boolean {
    const now = this.now();
    if (now >= this.validUntil) {
      if (this.joinedAt !== undefined) this.lapse();
      return false;
    }
    return this.joinedAt !== undefined && now >= this.joinedAt + 2 * this.interval;
  }

  /** Changes on every invalidation applied and every lapse: a fill that saw it change is not kept. */
  epoch(): number {
    return this.currentEpoch;
  }

  /**
   * Publishes `invalidation` and resolves once every live replica has applied it (or its lease
   * ran out). Never rejects: a bus that cannot carry it only makes the wait last the leases.
   */
  async invalidate(invalidation: Invalidation): Promise<void> {
    const acknowledged = new Set<string>();
    const wake = () => {
      for (const waiter of [...this.waiters]) waiter();
    };
    // Applied here at once: this replica's own caches never wait for the bus.
    this.apply(invalidation);
    acknowledged.add(this.replica);
    // Not awaited: what the writer waits for is the other replicas' acknowledgements (or their
    // leases), not the bus taking the message; with no other replica it waits for nothing.
    let waiting = true;
    let stop: (() => void) | undefined;
    this.channel
      .invalidate(invalidation, (replica) => {
        acknowledged.add(replica);
        wake();
      })
      .then((stopListening) => {
        if (waiting) stop = stopListening;
        else stopListening();
      })
      .catch(() => undefined);
    try {
      await this.awaitAcknowledgements(acknowledged);
    } finally {
      waiting = false;
      stop?.();
    }
  }

  /** Resolves once every replica heard within its lease is in `acknowledged`, or its lease ran out. */
  private async awaitAcknowledgements(acknowledged: ReadonlySet<string>): Promise<void> {
    // A writer that has not listened for two beat intervals may not know every holder yet.
    const known = this.listeningSince + 2 * this.interval;
    if (this.now() < known) await this.sleep(known - this.now());
    const deadlines = new Map<string, number>();
    for (const [replica, holder] of this.holders) deadlines.set(replica, holder.heard + holder.leaseMs);
    for (;;) {
      const now = this.now();
      let until = 0;
      for (const [replica, deadline] of deadlines) {
        if (!acknowledged.has(replica) && deadline > now) until = Math.max(until, deadline);
      }
      if (until === 0) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          resolve();
        };
        this.waiters.add(done);
        void this.sleep(Math.min(until - now, this.interval)).then(done);
      });
    }
  }

  private apply(invalidation: Invalidation): void {
    this.currentEpoch++;
    for (const store of this.stores) {
      if (invalidation.all) store.clear();
      else store.drop(invalidation);
    }
  }

  private lapse(): void {
    this.lapsedAt = this.now();
    this.joinedAt = undefined;
    this.validUntil = Number.NEGATIVE_INFINITY;
    this.currentEpoch++;
    for (const store of this.stores) store.clear();
  }

  private heard(beat: LeaseBeat): void {
    this.holders.set(beat.Replica, { heard: this.now(), leaseMs: beat.LeaseMs });
    const stale = this.now() - 2 * this.options.leaseMs;
    for (const [replica, holder] of this.holders) if (holder.heard < stale) this.holders.delete(replica);
  }

  private async beat(): Promise<void> {
    if (this.beating || this.closed) return;
    this.beating = true;
    const sentAt = this.now();
    try {
      await this.channel.beat({ Replica: this.replica, LeaseMs: this.options.leaseMs });
      // A beat sent before the last lapse proves nothing about what came after it.
      if (this.closed || sentAt <= this.lapsedAt) return;
      // A beat sent after the lease ran out does not extend it: what was missed while it was out is unknown.
      if (sentAt >= this.validUntil && this.joinedAt !== undefined) this.lapse();
      this.validUntil = sentAt + this.validity;
      if (this.joinedAt === undefined) this.joinedAt = sentAt;
    } catch {
      // Not confirmed: the lease is not extended, and runs out on its own.
    } finally {
      this.beating = false;
    }
  }
}
