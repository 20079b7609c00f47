import { IamError } from '@iam/contracts';
import type { IdentityServiceOptions } from '../identity.options';
import { PasswordWork } from './password-work';

const queueOf = (concurrency: number, queue: number) =>
  new PasswordWork({ passwordWorkConcurrency: concurrency, passwordWorkQueue: queue } as IdentityServiceOptions);

describe('the bounded password work queue', () => {
  it('runs at most `concurrency` at once, lets `queue` more wait, and refuses the rest at once with Throttling', async () => {
    const work = queueOf(2, 3);
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const task = () =>
      work.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return 'done';
      });
    const accepted = Array.from({ length: 5 }, task);
    const refused = await Promise.allSettled(Array.from({ length: 4 }, task));
    expect(refused.map((r) => r.status)).toEqual(Array(4).fill('rejected'));
    for (const r of refused) {
      const reason = (r as PromiseRejectedResult).reason as IamError;
      expect(reason).toBeInstanceOf(IamError);
      expect([reason.code, reason.message]).toEqual(['Throttling', 'Rate exceeded']);
    }
    // Release the turns one by one until all five ran.
    while (gates.length > 0 || running > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(accepted)).toEqual(Array(5).fill('done'));
    expect(most).toBe(2);
    // Free again: a new task runs.
    const next = work.run(async () => 'again');
    await expect(next).resolves.toBe('again');
  });

  it('refuses with Throttling a request that waited longer than maxWaitMs for its turn', async () => {
    const work = new PasswordWork({ passwordWorkConcurrency: 1, passwordWorkQueue: 5, passwordWorkMaxWaitMs: 50 } as IdentityServiceOptions);
    let release!: () => void;
    const busy = work.run(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const waiting = work.run(async () => 'second');
    await expect(waiting).rejects.toMatchObject({ code: 'Throttling' });
    release();
    await expect(busy).resolves.toBe('first');
    await expect(work.run(async () => 'third')).resolves.toBe('third');
  });

  it('frees a turn when its work fails', async () => {
    const work = queueOf(1, 0);
    await expect(work.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(work.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('defaults to one turn per core and a queue of twice that', () => {
    const work = new PasswordWork({} as IdentityServiceOptions);
    expect(work.concurrency).toBeGreaterThanOrEqual(1);
    expect(work.queueLimit).toBe(2 * work.concurrency);
  });
});
