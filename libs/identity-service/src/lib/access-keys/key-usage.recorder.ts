import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEFAULT_KEY_USAGE_FLUSH_MS, IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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
      if (keys.length > 0) {
        await this.dataSource.query(
          `UPDATE identity.access_keys k
           SET last_used_date = v.at, last_used_service = v.service, last_used_region = v.region
           FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[]) AS v(id, at, service, region)
           WHERE k.access_key_id = v.id AND (k.last_used_date IS NULL OR k.last_used_date < v.at)`,
          [keys.map((u) => u.accessKeyId), keys.map((u) => u.at), keys.map((u) => u.service), keys.map((u) => u.region)],
        );
      }
      for (const usage of batch.filter((u) => u.root)) {
        await this.dataSource.query(
          `UPDATE identity.account
           SET root_key_id = $1, root_key_last_used_date = $2, root_key_last_used_service = $3, root_key_last_used_region = $4
           WHERE id = 1 AND (root_key_id IS DISTINCT FROM $1 OR root_key_last_used_date IS NULL OR root_key_last_used_date < $2)`,
          [usage.accessKeyId, usage.at, usage.service, usage.region],
        );
      }
    } catch (error) {
      for (const usage of batch) this.record(usage);
      this.logger.warn(`Could not record access key use: ${(error as Error).message}`);
    }
  }
}
