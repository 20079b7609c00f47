/** Counts handlers still running, so shutdown can wait for them to finish. */
export class InFlightTracker {
  private count = 0;
  private waiters: Array<() => void> = [];

  start(): void {
    this.count++;
  }

  end(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }

  get size(): number {
    return this.count;
  }

  /** Resolves when nothing is in flight, or after `maxMs`, whichever comes first. */
  idle(maxMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
