import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccountStore } from '../account/account.store';
import { DEFAULT_KEY_USAGE_FLUSH_MS, IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { AccessKeysStore } from './access-keys.store';

interface Usage {
  accessKeyId: string;
  root: boolean;
  at: Date;
  service: string;
  region: string;
}

/**
 * Records when access keys are used without touching the database on the
 * request path: uses are kept in memory (latest per key) and written in one
 * statement every few seconds and when the service shuts down. Several
 * replicas write the same rows; the latest use wins.
 */
@Injectable()
export class KeyUsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyUsageRecorder.name);
  private pending = new Map<string, Usage>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly keys: AccessKeysStore,
    private readonly account: AccountStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityServiceOptions,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.options.keyUsageFlushMs ?? DEFAULT_KEY_USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Synchronous and allocation-light: the verification path calls it. */
  record(usage: Usage): void {
    const key = `${usage.root ? 'root' : 'user'}:${usage.accessKeyId}`;
    const previous = this.pending.get(key);
    if (!previous || previous.at <= usage.at) this.pending.set(key, usage);
  }

  /** Writes what was recorded so far; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      const keys = batch.filter((usage) => !usage.root);
      if (keys.length > 0) await this.keys.recordUses(keys);
      for (const usage of batch.filter((u) => u.root)) await this.account.recordRootKeyUse(usage);
    } catch (error) {
      for (const usage of batch) this.record(usage);
      this.logger.warn(`Could not record access key use: ${(error as Error).message}`);
    }
  }
}
