import { InFlightTracker } from './in-flight';

describe('in-flight tracker', () => {
  it('is idle at once when nothing runs', async () => {
    await expect(new InFlightTracker().idle(10_000)).resolves.toBeUndefined();
  });

  it('waits for the last handler to end', async () => {
    const tracker = new InFlightTracker();
    tracker.start();
    tracker.start();
    let idle = false;
    const waiting = tracker.idle(60_000).then(() => (idle = true));
    tracker.end();
    await Promise.resolve();
    expect(idle).toBe(false);
    tracker.end();
    await waiting;
    expect(idle).toBe(true);
    expect(tracker.size).toBe(0);
  });

  it('gives up waiting after the limit', async () => {
    jest.useFakeTimers();
    const tracker = new InFlightTracker();
    tracker.start();
    const waiting = tracker.idle(1_000);
    jest.advanceTimersByTime(1_000);
    await expect(waiting).resolves.toBeUndefined();
    jest.useRealTimers();
  });
});
