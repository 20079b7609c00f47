import { Inject, Injectable } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { IDENTITY_OPTIONS, IdentityServiceOptions } from '../identity.options';
import { IdentityErrors } from '../shared/errors';

/**
 * The bounded queue every password hash and verification of a request goes
 * through: argon2id is CPU- and memory-heavy, so at most `concurrency` run at
 * once, at most `queue` more wait (each at most `maxWaitMs`), and anything
 * beyond is refused at once with `Throttling` instead of piling up until every request times out. Signature
 * checks and session checks never wait here.
 */
@Injectable()
export class PasswordWork {
  readonly concurrency: number;
  readonly queueLimit: number;
  /** How long a request may wait for a turn before it is refused with `Throttling` too. */
  readonly maxWaitMs: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of a turn's duration, for answers that must look as slow as a check. */
  private typicalMs = 0;

  constructor(@Inject(IDENTITY_OPTIONS) options: IdentityServiceOptions) {
    this.concurrency = Math.max(1, options.passwordWorkConcurrency ?? availableParallelism());
    this.queueLimit = Math.max(0, options.passwordWorkQueue ?? 2 * this.concurrency);
    // Well within the bus timeout, so that a caller hears Throttling rather than a timeout.
    this.maxWaitMs = options.passwordWorkMaxWaitMs ?? Math.min(1_000, Math.floor((options.bus?.timeoutMs ?? 5_000) / 4));
  }

  /** Runs `work` in its turn; `Throttling` when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw IdentityErrors.throttling();
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const index = this.waiting.indexOf(turn);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(IdentityErrors.throttling());
        }, this.maxWaitMs);
        this.waiting.push(turn);
      });
    } else {
      this.running++;
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      const elapsed = performance.now() - started;
      this.typicalMs = this.typicalMs === 0 ? elapsed : this.typicalMs * 0.9 + elapsed * 0.1;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Waits about as long as a turn takes, without using one (answers that skip the hash). */
  async lookBusy(): Promise<void> {
    if (this.typicalMs > 0) await sleep(Math.min(this.typicalMs, 2_000));
  }
}
