import { InProcessBroker } from '@iam/platform';
import { CoherentCache } from './cache';
import { InProcessCoherenceChannel } from './channels';
import { Coherence, Dependency, type CoherenceChannel, type Invalidation } from './coherence';

const LEASE_MS = 1200;
const INTERVAL = LEASE_MS / 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A channel that can be cut off from the bus, as a replica behind a partition (nothing in or out). */
class Partitionable implements CoherenceChannel {
  cut = false;
  constructor(private readonly inner: CoherenceChannel) {}
  listen(handlers: Parameters<CoherenceChannel['listen']>[0], replica: string) {
    return this.inner.listen(
      {
        beat: (beat) => !this.cut && handlers.beat(beat),
        invalidation: (invalidation, acknowledge) => !this.cut && handlers.invalidation(invalidation, acknowledge),
        interrupted: handlers.interrupted,
      },
      replica,
    );
  }
  beat(beat: Parameters<CoherenceChannel['beat']>[0]) {
    return this.cut ? Promise.reject(new Error('cut off')) : this.inner.beat(beat);
  }
  invalidate(invalidation: Invalidation, acknowledged: (replica: string) => void) {
    return this.cut ? Promise.reject(new Error('cut off')) : this.inner.invalidate(invalidation, acknowledged);
  }
  close() {
    return this.inner.close();
  }
}

async function replicas(count: number) {
  const broker = new InProcessBroker();
  const channels = Array.from({ length: count }, () => new Partitionable(new InProcessCoherenceChannel(broker)));
  const coherences = channels.map((channel) => new Coherence(channel, { leaseMs: LEASE_MS }));
  await Promise.all(coherences.map((coherence) => coherence.start()));
  const caches = coherences.map((coherence) => new CoherentCache<string>('spec', coherence, { ttlMs: 60_000, capacity: 100 }));
  // Every replica has joined (two beat intervals) and heard every other.
  await sleep(3 * INTERVAL);
  return { channels, coherences, caches };
}

describe('Coherence (lease protocol over the in-process broker)', () => {
  let running: Coherence[] = [];
  afterEach(async () => {
    await Promise.all(running.map((coherence) => coherence.stop()));
    running = [];
  });

  it('lets a replica answer from its caches only after it joined', async () => {
    const broker = new InProcessBroker();
    const coherence = new Coherence(new InProcessCoherenceChannel(broker), { leaseMs: LEASE_MS });
    running.push(coherence);
    await coherence.start();
    expect(coherence.usable()).toBe(false);
    await sleep(2 * INTERVAL + 20);
    expect(coherence.usable()).toBe(true);
  });

  it('returns from an invalidation only once every replica dropped what it names', async () => {
    const { coherences, caches } = await replicas(3);
    running = coherences;
    let loads = 0;
    const load = async () => ({ value: `v${++loads}`, dependsOn: [Dependency.userName('Alice')] });
    for (const cache of caches) await cache.get('alice', load);
    expect(loads).toBe(3);
    for (const cache of caches) expect(await cache.get('alice', load)).toMatch(/^v[123]$/);
    expect(loads).toBe(3);

    const started = Date.now();
    await coherences[0].invalidate({ keys: [Dependency.userName('ALICE')] });
    expect(Date.now() - started).toBeLessThan(LEASE_MS / 2);
    // Every replica reads again: none kept the dropped entry.
    for (const cache of caches) expect(await cache.get('alice', load)).toMatch(/^v[456]$/);
    expect(loads).toBe(6);
    // Entries that depend on something else stay.
    await coherences[1].invalidate({ keys: [Dependency.groupName('devs')] });
    for (const cache of caches) await cache.get('alice', load);
    expect(loads).toBe(6);
  });

  it('waits for a replica that does not answer until its lease ran out, by when it no longer answers from its caches', async () => {
    const { channels, coherences, caches } = await replicas(3);
    running = coherences;
    const load = async () => ({ value: 'old', dependsOn: [Dependency.userName('bob')] });
    await caches[2].get('bob', load);
    channels[2].cut = true;
    const started = Date.now();
    await coherences[0].invalidate({ keys: [Dependency.userName('bob')] });
    const waited = Date.now() - started;
    // Never longer than the lease; long enough that the silent replica's own lease is over.
    expect(waited).toBeGreaterThan(LEASE_MS / 3);
    expect(waited).toBeLessThanOrEqual(2 * LEASE_MS);
    expect(coherences[2].usable()).toBe(false);
    let reads = 0;
    expect(await caches[2].get('bob', async () => ({ value: `fresh${++reads}`, dependsOn: [] }))).toBe('fresh1');

    // Back on the bus: it joins again with nothing kept from before.
    channels[2].cut = false;
    await sleep(3 * INTERVAL + 50);
    expect(coherences[2].usable()).toBe(true);
    expect(await caches[2].get('bob', async () => ({ value: `fresh${++reads}`, dependsOn: [] }))).toBe('fresh2');
  });

  it('drops everything on an interruption of the channel and joins again', async () => {
    const broker = new InProcessBroker();
    let interrupt: () => void = () => undefined;
    const inner = new InProcessCoherenceChannel(broker);
    const channel: CoherenceChannel = {
      listen: (handlers, replica) => {
        interrupt = handlers.interrupted;
        return inner.listen(handlers, replica);
      },
      beat: (beat) => inner.beat(beat),
      invalidate: (invalidation, acknowledged) => inner.invalidate(invalidation, acknowledged),
      close: () => inner.close(),
    };
    const coherence = new Coherence(channel, { leaseMs: LEASE_MS });
    running.push(coherence);
    await coherence.start();
    const cache = new CoherentCache<string>('spec', coherence, { ttlMs: 60_000, capacity: 10 });
    await sleep(3 * INTERVAL);
    await cache.get('k', async () => ({ value: 'before', dependsOn: [] }));
    interrupt();
    expect(coherence.usable()).toBe(false);
    await sleep(3 * INTERVAL + 50);
    expect(await cache.get('k', async () => ({ value: 'after', dependsOn: [] }))).toBe('after');
  });

  it('does not keep a read that raced an invalidation, and shares reads only within one epoch', async () => {
    const { coherences, caches } = await replicas(2);
    running = coherences;
    const cache = caches[1];
    const releases: Array<(value: string) => void> = [];
    const slow = () =>
      new Promise<{ value: string; dependsOn: string[] }>((resolve) => {
        releases.push((value) => resolve({ value, dependsOn: [Dependency.policyArn('arn:aws:iam::123456789012:policy/P')] }));
      });
    const first = cache.get('carol', slow);
    const joined = cache.get('carol', slow);
    expect(releases).toHaveLength(1);
    // A change is made and invalidated while the read is under way: a request that starts now must not share it.
    await coherences[0].invalidate({ keys: [Dependency.policyArn('arn:aws:iam::123456789012:policy/p')] });
    const after = cache.get('carol', slow);
    expect(releases).toHaveLength(2);
    releases[1]('new state');
    expect(await after).toBe('new state');
    // The first read (answered last, with the old state) serves the requests that started before the change only.
    releases[0]('old state');
    expect(await first).toBe('old state');
    expect(await joined).toBe('old state');
    // The raced read was not kept; the one after the invalidation was.
    expect(await cache.get('carol', async () => ({ value: 'read again', dependsOn: [] }))).toBe('new state');
  });

  it('keeps entries no longer than their time to live, and no more than its capacity', async () => {
    const { coherences } = await replicas(1);
    running = coherences;
    const cache = new CoherentCache<number>('spec', coherences[0], { ttlMs: 100, capacity: 2 });
    let loads = 0;
    const load = async () => ({ value: ++loads, dependsOn: [] });
    await cache.get('a', load);
    expect(await cache.get('a', load)).toBe(1);
    await sleep(120);
    expect(await cache.get('a', load)).toBe(2);
    await cache.get('b', load);
    await cache.get('c', load);
    expect(cache.size).toBe(2);
    await cache.get('a', load);
    expect(loads).toBe(5);
  });

  it('lets the only replica return from an invalidation without waiting for the bus', async () => {
    const broker = new InProcessBroker();
    const inner = new InProcessCoherenceChannel(broker);
    let published = 0;
    // A bus that takes the invalidation but never confirms it.
    const channel: CoherenceChannel = {
      listen: (handlers, replica) => inner.listen(handlers, replica),
      beat: (beat) => inner.beat(beat),
      invalidate: (invalidation, acknowledged) => {
        published++;
        void inner.invalidate(invalidation, acknowledged);
        return new Promise<() => void>(() => undefined);
      },
      close: () => inner.close(),
    };
    const only = new Coherence(channel, { leaseMs: LEASE_MS });
    running.push(only);
    await only.start();
    await sleep(3 * INTERVAL);
    const cache = new CoherentCache<string>('spec', only, { ttlMs: 60_000, capacity: 10 });
    let loads = 0;
    const load = async () => ({ value: `v${++loads}`, dependsOn: [Dependency.userName('carol')] });
    await cache.get('carol', load);
    const started = Date.now();
    await only.invalidate({ keys: [Dependency.userName('carol')] });
    expect(Date.now() - started).toBeLessThan(INTERVAL / 2);
    expect(published).toBe(1);
    expect(await cache.get('carol', load)).toBe('v2');
  });

  it('makes a writer that just started wait until it knows every replica', async () => {
    const broker = new InProcessBroker();
    const holder = new Coherence(new InProcessCoherenceChannel(broker), { leaseMs: LEASE_MS });
    running.push(holder);
    await holder.start();
    await sleep(3 * INTERVAL);
    const writer = new Coherence(new InProcessCoherenceChannel(broker), { leaseMs: LEASE_MS });
    running.push(writer);
    await writer.start();
    const started = Date.now();
    await writer.invalidate({ keys: ['u:x'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * INTERVAL - 15);
  });
});
