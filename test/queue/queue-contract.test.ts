import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { RedisQueue } from '../../src/queue/redis-queue.js';
import { queueKeys } from '../../src/queue/scripts/index.js';
import type { QueueBackend } from '../../src/queue/types.js';
import { startRedis, type TestRedis } from './redis-server.js';

// The same atomic steps, checked on the in-process queue and on the Lua scripts of a real Redis.
let server: TestRedis;
const clients: Redis[] = [];
let ids = 0;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.stop();
});

function redisClient(): Redis {
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

const backends: [string, () => { make: () => QueueBackend; id: string }][] = [
  ['in-process', () => {
    const queue = new MemoryQueue();
    return { make: () => queue, id: 'mem' };
  }],
  ['redis', () => {
    const id = `contract-${++ids}`;
    return { make: () => new RedisQueue(redisClient(), id, 600), id };
  }],
];

const items = [
  { files: ['a.test.js'], seconds: 8 },
  { files: ['b.test.js'], seconds: 4 },
  { files: ['c.test.js'], seconds: 3 },
  { files: ['d.test.js'], seconds: 1 },
];

describe.each(backends)('queue steps (%s)', (_, open) => {
  it('exactly one of 20 simultaneous workers seeds; the others see its plan', async () => {
    const { make } = open();
    const queues = Array.from({ length: 20 }, make);
    const results = await Promise.all(queues.map((q, i) => q.seed({ items, fingerprint: `plan-${i}`, maxRequeues: 0 })));
    const seeders = results.filter((r) => r.seeded);
    expect(seeders).toHaveLength(1);
    expect(new Set(results.map((r) => r.fingerprint))).toEqual(new Set([seeders[0]!.fingerprint]));
    const snapshot = await queues[0]!.snapshot();
    expect(snapshot).toMatchObject({ seeded: true, items: 4, pending: 4, totalSeconds: 16, remainingSeconds: 16 });
  });

  it('leases longest first within the target, acknowledges once, and is done when all are', async () => {
    const q = open().make();
    await q.seed({ items, fingerprint: 'p', maxRequeues: 0 });
    const w1 = await q.register('one');
    const w2 = await q.register('two');
    const first = await q.reserve(w1, 5, 100, 60_000);
    expect(first!.items.map((i) => i.files[0])).toEqual(['a.test.js']); // the head alone may exceed the target
    const capped = await q.reserve(w2, 7, 1, 60_000);
    expect(capped!.items.map((i) => i.id)).toEqual([1]); // at most 1 item, whatever the seconds
    const second = await q.reserve(w2, 7, 100, 60_000);
    expect(second!.items.map((i) => i.id)).toEqual([2, 3]);
    expect(await q.acknowledge(w2, second!.batch, [{ id: 2, verdict: 'passed' }, { id: 3, verdict: 'failed' }], 1)).toEqual([true, true]);
    expect(await q.acknowledge(w2, capped!.batch, [{ id: 1, verdict: 'passed' }], 0.5)).toEqual([true]);
    expect(await q.acknowledge(w1, first!.batch, [{ id: 0, verdict: 'passed' }], 2.5)).toEqual([true]);
    expect(await q.reserve(w1, 100, 100, 60_000)).toBeUndefined();
    const s = await q.snapshot();
    expect(s).toMatchObject({ passed: 3, failed: 1, pending: 0, leased: 0, requeued: 0 });
    expect(s.workers).toEqual([
      { worker: w1, name: 'one', items: 1, batches: 1, busySeconds: 2.5 },
      { worker: w2, name: 'two', items: 3, batches: 2, busySeconds: 1.5 },
    ]);
  });

  it('an expired lease goes to another worker; the late report of the first counts only where it comes first', async () => {
    const q = open().make();
    await q.seed({ items: items.slice(0, 2), fingerprint: 'p', maxRequeues: 0 });
    const dead = await q.register('dead');
    const alive = await q.register('alive');
    // a lease of -1 ms is expired as soon as it is taken: a worker that died at once
    const lost = await q.reserve(dead, 100, 100, -1);
    expect(lost!.items).toHaveLength(2);
    expect(await q.reserve(alive, 100, 100, 60_000)).toBeUndefined();
    const taken = await q.reserveLost(alive, 60_000);
    expect(taken!.takenFrom).toEqual({ batch: lost!.batch, worker: dead });
    expect(taken!.items.map((i) => i.id)).toEqual([0, 1]);
    expect(await q.heartbeat(dead, lost!.batch, 60_000)).toBe(false);
    expect(await q.heartbeat(alive, taken!.batch, 60_000)).toBe(true);
    // the "dead" worker comes back and reports item 0 first; the taker's verdict for it is late
    expect(await q.acknowledge(dead, lost!.batch, [{ id: 0, verdict: 'passed' }], 1)).toEqual([true]);
    expect(await q.acknowledge(alive, taken!.batch, [{ id: 0, verdict: 'failed' }, { id: 1, verdict: 'passed' }], 1)).toEqual([false, true]);
    expect(await q.reserveLost(alive, 60_000)).toBeUndefined();
    expect(await q.snapshot()).toMatchObject({ passed: 2, failed: 0, requeued: 2, expiredLeases: 1, pending: 0, leased: 0 });
  });

  it("a stopped worker's batch is given back at once; a fallback worker is counted and named", async () => {
    const q = open().make();
    await q.seed({ items: items.slice(0, 2), fingerprint: 'p', maxRequeues: 0, firstBatch: 5 });
    const stopped = await q.register('stopped');
    const other = await q.register('other');
    const held = await q.reserve(stopped, 100, 100, 60_000);
    expect(held!.batch).toBe(5); // numbered above the static shards
    expect(await q.release(other, held!.batch)).toBe(false);
    expect(await q.release(stopped, held!.batch)).toBe(true);
    const taken = await q.reserveLost(other, 60_000);
    expect(taken).toMatchObject({ batch: 6, takenFrom: { batch: 5, worker: stopped } });
    const fallback = await q.register('ci-job-7 (static shard)', '2/4');
    const s = await q.snapshot();
    expect(s.fallbacks).toBe(1);
    expect(s.workers.find((w) => w.worker === fallback)).toMatchObject({ name: 'ci-job-7 (static shard)', fallback: '2/4' });
    expect(s.workers.find((w) => w.worker === other)!.fallback).toBeUndefined();
  });

  it('a failed item goes back for --max-requeues more attempts, then its failure stands', async () => {
    const q = open().make();
    await q.seed({ items: items.slice(3), fingerprint: 'p', maxRequeues: 1 });
    const w = await q.register('w');
    const one = await q.reserve(w, 100, 100, 60_000);
    expect(await q.requeue(w, one!.batch, [0])).toEqual([0]);
    await q.acknowledge(w, one!.batch, [], 1);
    const two = await q.reserve(w, 100, 100, 60_000);
    expect(two!.items.map((i) => i.id)).toEqual([0]);
    expect(await q.requeue(w, two!.batch, [0])).toEqual([]);
    expect(await q.acknowledge(w, two!.batch, [{ id: 0, verdict: 'failed' }], 1)).toEqual([true]);
    expect(await q.snapshot()).toMatchObject({ passed: 0, failed: 1, requeued: 1, flaky: 0, pending: 0, leased: 0 });
  });

  it('a requeued item keeps the failed tests of each attempt for the worker that runs it last; passing then counts it flaky', async () => {
    const q = open().make();
    await q.seed({ items: items.slice(2), fingerprint: 'p', maxRequeues: 2 });
    const w = await q.register('w');
    const f1 = { classname: 'c', name: 'test "a" & <b>', failure: '<failure message="boom 1">trace</failure>' };
    const f2 = { classname: 'c', name: 'test "a" & <b>', failure: '<failure message="boom 2"/>' };
    const one = await q.reserve(w, 0, 1, 60_000);
    expect(await q.earlierFailures([0])).toEqual(new Map());
    expect(await q.requeue(w, one!.batch, [0], new Map([[0, [f1]]]))).toEqual([0]);
    await q.acknowledge(w, one!.batch, [], 1);
    const two = await q.reserve(w, 0, 1, 60_000);
    expect(two!.items.map((i) => i.id)).toEqual([0]);
    expect(await q.requeue(w, two!.batch, [0], new Map([[0, [f2]]]))).toEqual([0]);
    await q.acknowledge(w, two!.batch, [], 1);
    const three = await q.reserve(w, 0, 1, 60_000);
    // both attempts' failures, oldest first; an item with none is left out
    expect(await q.earlierFailures([0, 1])).toEqual(new Map([[0, [f1, f2]]]));
    expect(await q.acknowledge(w, three!.batch, [{ id: 0, verdict: 'passed' }], 1)).toEqual([true]);
    const rest = await q.reserve(w, 100, 100, 60_000);
    await q.acknowledge(w, rest!.batch, rest!.items.map((i) => ({ id: i.id, verdict: 'passed' as const })), 1);
    expect(await q.snapshot()).toMatchObject({ passed: 2, failed: 0, requeued: 2, flaky: 1 });
  });
});

describe('queue keys on Redis', () => {
  it('are namespaced by queue id and expire after --queue-ttl', async () => {
    const client = redisClient();
    const a = new RedisQueue(client, 'pipeline-a', 120);
    const b = new RedisQueue(client, 'pipeline-b', 120);
    await a.seed({ items, fingerprint: 'a', maxRequeues: 0 });
    expect((await b.snapshot()).seeded).toBe(false);
    expect((await b.seed({ items: items.slice(0, 1), fingerprint: 'b', maxRequeues: 0 })).seeded).toBe(true);
    expect((await a.snapshot()).items).toBe(4);
    expect((await b.snapshot()).items).toBe(1);
    for (const key of queueKeys('pipeline-a').slice(0, 4)) {
      const ttl = await client.ttl(key);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
  });
});
