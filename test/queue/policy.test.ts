import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchMaxItems, batchTargetSeconds, heartbeatIntervalMs, leaseExpired, nextStartupSeconds, shouldRequeue, takeCount } from '../../src/queue/policy.js';

describe('queue policy', () => {
  it('batches are a share of what is left per worker, shrinking as the queue drains', () => {
    const policy = { divisor: 3, startupMultiple: 3, minSeconds: 0.5, maxStartups: Infinity, countDivisor: 2, sqrtFactor: 0 };
    expect(batchTargetSeconds({ remainingSeconds: 1200, workers: 4, startupSeconds: 0, remainingItems: 10 }, policy)).toBe(100);
    expect(batchTargetSeconds({ remainingSeconds: 120, workers: 4, startupSeconds: 0, remainingItems: 10 }, policy)).toBe(10);
    expect(batchTargetSeconds({ remainingSeconds: 0.3, workers: 4, startupSeconds: 0, remainingItems: 10 }, policy)).toBe(0.5);
  });

  it('never below a few start-ups: a 2 s runner start makes batches of at least 6 s', () => {
    const policy = { divisor: 3, startupMultiple: 3, minSeconds: 0.5, maxStartups: Infinity, countDivisor: 2, sqrtFactor: 0 };
    expect(batchTargetSeconds({ remainingSeconds: 30, workers: 4, startupSeconds: 2, remainingItems: 10 }, policy)).toBe(6);
    expect(batchTargetSeconds({ remainingSeconds: 3000, workers: 4, startupSeconds: 2, remainingItems: 10 }, policy)).toBe(250);
    expect(batchTargetSeconds({ remainingSeconds: 100, workers: 0, startupSeconds: 0, remainingItems: 10 }, policy)).toBeCloseTo(33.33, 2);
  });

  it('a slow start-up against a large share left makes fewer, larger batches: sqrt(start-up x share)', () => {
    const policy = { divisor: 3, startupMultiple: 2, minSeconds: 0.5, maxStartups: Infinity, countDivisor: 1, sqrtFactor: 3 };
    // 4 s start-up, 100 s per worker left: floor 3 * sqrt(4 * 100) = 60 s, above 100 / 3
    expect(batchTargetSeconds({ remainingSeconds: 400, workers: 4, startupSeconds: 4, remainingItems: 10 }, policy)).toBe(60);
    // the same share with no start-up: just a third of it
    expect(batchTargetSeconds({ remainingSeconds: 400, workers: 4, startupSeconds: 0, remainingItems: 10 }, policy)).toBeCloseTo(33.33, 2);
  });

  it('with no start-up (or none measured yet) a batch is one item, the ideal queue; a large share is capped at maxStartups start-ups', () => {
    const load = { remainingSeconds: 4000, workers: 4, remainingItems: 100 };
    const target = batchTargetSeconds({ ...load, startupSeconds: 0 });
    expect(target).toBe(0);
    expect(takeCount([30, 0.1, 0.1], target, batchMaxItems({ ...load, startupSeconds: 0 }))).toBe(1);
    // 1000 s a worker left, 2 s start-up: share / 1.5 = 667 s, capped at 100 start-ups = 200 s
    expect(batchTargetSeconds({ ...load, startupSeconds: 2 })).toBe(200);
    // 0.1 s start-up: the floor 3 * sqrt(0.1 * 1000) = 30 s wins over the cap of 10 s
    expect(batchTargetSeconds({ ...load, startupSeconds: 0.1 })).toBeCloseTo(30, 6);
  });

  it('a batch takes the head item, then the next ones while within the target', () => {
    expect(takeCount([], 10)).toBe(0);
    expect(takeCount([50, 5, 4], 10)).toBe(1); // the head alone may exceed the target
    expect(takeCount([5, 4, 3, 2], 10)).toBe(2);
    expect(takeCount([5, 4, 1, 1], 10)).toBe(3);
    expect(takeCount([1, 1, 1], 100)).toBe(3);
    expect(takeCount([1, 1, 1], 100, 2)).toBe(2);
  });

  it("a batch holds at most a worker's share of the items left (stale estimates sit at the end)", () => {
    const load = { remainingSeconds: 10, workers: 4, startupSeconds: 0 };
    expect(batchMaxItems({ ...load, remainingItems: 400 })).toBe(100);
    expect(batchMaxItems({ ...load, remainingItems: 3 })).toBe(1);
    expect(batchMaxItems({ ...load, remainingItems: 0 })).toBe(1);
  });

  it("the item cap is at least 1, at most a worker's share, and grows with the items left", () => {
    const load = fc.record({
      remainingItems: fc.integer({ min: 0, max: 100_000 }),
      workers: fc.integer({ min: 0, max: 64 }),
      startupSeconds: fc.double({ min: 0, max: 60, noNaN: true }),
      remainingSeconds: fc.double({ min: 0, max: 1e5, noNaN: true }),
    });
    fc.assert(
      fc.property(load, fc.integer({ min: 0, max: 1000 }), (l, moreItems) => {
        const cap = batchMaxItems(l);
        expect(Number.isInteger(cap)).toBe(true);
        expect(cap).toBeGreaterThanOrEqual(1);
        expect(cap).toBeLessThanOrEqual(Math.max(1, Math.ceil(l.remainingItems / Math.max(1, l.workers))));
        expect(batchMaxItems({ ...l, remainingItems: l.remainingItems + moreItems })).toBeGreaterThanOrEqual(cap);
      }),
    );
  });

  it('start-up is the wall time a report does not account for, averaged towards recent batches', () => {
    expect(nextStartupSeconds(undefined, 5, 3)).toBe(2);
    expect(nextStartupSeconds(2, 10, 6)).toBe(3);
    expect(nextStartupSeconds(undefined, 1, 4)).toBe(0); // a report longer than the wall: no negative start-up
  });

  it('leases expire after their deadline; three heartbeats per lease; requeues up to the limit', () => {
    expect(leaseExpired(1000, 1000)).toBe(false);
    expect(leaseExpired(1000, 1001)).toBe(true);
    expect(heartbeatIntervalMs(30_000)).toBe(10_000);
    expect(shouldRequeue(1, 0)).toBe(false);
    expect(shouldRequeue(1, 2)).toBe(true);
    expect(shouldRequeue(3, 2)).toBe(false);
  });
});
