import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { runWorker, type BatchOutcome } from '../../src/queue/worker.js';
import type { Lease } from '../../src/queue/types.js';

const passAll = async (lease: Lease): Promise<BatchOutcome> => ({
  results: lease.items.map((i) => ({ id: i.id, verdict: 'passed' })),
  wallSeconds: 1,
  testSeconds: 1,
  exitCode: 0,
});

function seedItems(n: number) {
  return Array.from({ length: n }, (_, i) => ({ files: [`t${String(i).padStart(2, '0')}.test.js`], seconds: n - i }));
}

describe('the worker loop on the in-process queue', () => {
  it('4 workers run every item exactly once, batches shrinking as the queue drains', async () => {
    const queue = new MemoryQueue();
    await queue.seed({ items: seedItems(40), fingerprint: 'p', maxRequeues: 0 });
    const ran: number[] = [];
    const workers = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const worker = await queue.register('w');
        return runWorker({ queue, worker, leaseMs: 60_000, runBatch: async (lease) => { ran.push(...lease.items.map((i) => i.id)); return passAll(lease); } });
      }),
    );
    expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const sizes = workers.flatMap((w) => w.batches).sort((a, b) => a.lease.batch - b.lease.batch).map((b) => b.lease.items.reduce((s, i) => s + i.seconds, 0));
    expect(sizes[0]!).toBeGreaterThan(sizes[sizes.length - 1]!);
    expect(await queue.snapshot()).toMatchObject({ passed: 40, failed: 0, pending: 0, leased: 0 });
  });

  it('with a resident runner the first batch\'s one-time cost (the first imports) is not learnt as a per-batch start-up', async () => {
    const sizes = async (resident: boolean): Promise<number[]> => {
      const queue = new MemoryQueue();
      await queue.seed({ items: seedItems(40), fingerprint: 'p', maxRequeues: 0 });
      const worker = await queue.register('w');
      let first = true;
      const result = await runWorker({
        queue, worker, leaseMs: 60_000, resident,
        runBatch: async (lease) => {
          const tests = lease.items.reduce((s, i) => s + i.seconds, 0);
          // 30 s of one-time imports in the first batch, then 0.01 s a batch
          const wall = tests + (first ? 30 : 0.01);
          first = false;
          return { ...(await passAll(lease)), wallSeconds: wall, testSeconds: tests };
        },
      });
      return result.batches.map((b) => b.lease.items.length);
    };
    const [learnt, resident] = [await sizes(false), await sizes(true)];
    expect(learnt[1]).toBeGreaterThan(5); // a 30 s "start-up" makes the second batch large
    expect(resident[1]).toBe(1); // the resident runner's next batches stay small
    expect(resident.length).toBeGreaterThan(learnt.length);
  });

  it("takes over a dead worker's expired batch, and a worker never leaves while a live lease is out", async () => {
    const queue = new MemoryQueue();
    await queue.seed({ items: seedItems(3), fingerprint: 'p', maxRequeues: 0 });
    const dead = await queue.register('dead');
    await queue.reserve(dead, 2.5, 1, -1); // item 0 (3 s) leased by a worker that never beats
    const slow = await queue.register('slow');
    const waiter = await queue.register('waiter');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    let idles = 0;
    const slowRun = runWorker({
      queue, worker: slow, leaseMs: 60_000,
      runBatch: async (lease) => { events.push(`slow runs ${lease.items.map((i) => i.id).join(',')}`); await held; events.push('slow done'); return passAll(lease); },
    });
    const waiterRun = runWorker({
      queue, worker: waiter, leaseMs: 60_000,
      runBatch: async (lease) => { events.push(`waiter runs ${lease.items.map((i) => i.id).join(',')}`); return passAll(lease); },
      idle: async () => { idles++; if (idles === 3) release(); },
    });
    const [, w] = await Promise.all([slowRun, waiterRun]);
    expect(events[0]).toBe('slow runs 0'); // the expired lease first
    expect(events.slice(1, 3)).toEqual(['waiter runs 1', 'waiter runs 2']); // one item per batch at the end
    expect(events.at(-1)).toBe('slow done');
    expect(idles).toBeGreaterThanOrEqual(3); // the waiter waited for the live lease instead of leaving
    expect(w.stopped).toBe(false);
    expect(await queue.snapshot()).toMatchObject({ passed: 3, requeued: 1, expiredLeases: 1, pending: 0, leased: 0 });
  });

  it('--max-requeues 1: an item that fails once and passes on its second attempt counts as passed', async () => {
    const queue = new MemoryQueue();
    await queue.seed({ items: seedItems(2), fingerprint: 'p', maxRequeues: 1 });
    const worker = await queue.register('w');
    let attempts = 0;
    const result = await runWorker({
      queue, worker, leaseMs: 60_000,
      runBatch: async (lease) => ({
        results: lease.items.map((i) => ({ id: i.id, verdict: i.id === 1 && attempts++ === 0 ? 'failed' : 'passed' })),
        wallSeconds: 1, testSeconds: 1, exitCode: 0,
      }),
    });
    expect(result.batches.flatMap((b) => b.requeued)).toEqual([1]);
    expect(await queue.snapshot()).toMatchObject({ passed: 2, failed: 0, requeued: 1 });
  });
});
