import { randomUUID } from 'node:crypto';
import { describeWithServices, TEST_NATS_URL } from '@iam/testing';
import { NatsCoherenceChannel } from './channels';
import { Coherence, Dependency, type CoherenceChannel, type Invalidation } from './coherence';

const LEASE_MS = 1200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A NATS channel whose replica can stop acknowledging (as a paused process would). */
class Silenceable implements CoherenceChannel {
  silent = false;
  constructor(readonly inner: NatsCoherenceChannel) {}
  listen(handlers: Parameters<CoherenceChannel['listen']>[0], replica: string) {
    return this.inner.listen({ ...handlers, invalidation: (invalidation, acknowledge) => !this.silent && handlers.invalidation(invalidation, acknowledge) }, replica);
  }
  beat(beat: Parameters<CoherenceChannel['beat']>[0]) {
    return this.silent ? Promise.reject(new Error('silent')) : this.inner.beat(beat);
  }
  invalidate(invalidation: Invalidation, acknowledged: (replica: string) => void) {
    return this.inner.invalidate(invalidation, acknowledged);
  }
  close() {
    return this.inner.close();
  }
}

describeWithServices('NatsCoherenceChannel (lease protocol over real NATS)', () => {
  const prefix = `spec${randomUUID().slice(0, 8)}`;
  let channels: Silenceable[];
  let coherences: Coherence[];

  beforeEach(async () => {
    channels = [0, 1].map(() => new Silenceable(new NatsCoherenceChannel({ kind: 'nats', url: TEST_NATS_URL, prefix })));
    coherences = channels.map((channel) => new Coherence(channel, { leaseMs: LEASE_MS }));
    await Promise.all(coherences.map((coherence) => coherence.start()));
    await sleep(LEASE_MS / 2);
  });

  afterEach(async () => {
    await Promise.all(coherences.map((coherence) => coherence.stop()));
  });

  it('returns once the other replica acknowledged, and stops listening for acknowledgements then', async () => {
    const started = Date.now();
    for (let i = 0; i < 20; i++) await coherences[0].invalidate({ keys: [Dependency.userName(`u${i}`)] });
    // Acknowledged, not waited out: twenty invalidations in far less than one lease.
    expect(Date.now() - started).toBeLessThan(LEASE_MS);
    expect(channels[0].inner.listening).toBe(0);
  });

  it('waits out the lease of a replica that stopped answering, then forgets the invalidation', async () => {
    channels[1].silent = true;
    const started = Date.now();
    await coherences[0].invalidate({ keys: [Dependency.userName('alice')] });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(LEASE_MS / 3);
    expect(waited).toBeLessThan(3 * LEASE_MS);
    expect(channels[0].inner.listening).toBe(0);
    // The silent replica's own lease has run out: it no longer answers from its caches.
    expect(coherences[1].usable()).toBe(false);
  });
});
