import { leaseExpired, shouldRequeue, takeCount } from './policy.js';
import type { EarlierFailure, ItemResult, Lease, QueueBackend, QueueItem, QueueSnapshot, SeedInput, SeedResult, Verdict } from './types.js';

interface HeldLease {
  readonly worker: number;
  readonly items: number[];
  deadlineMs: number;
}

interface WorkerRecord {
  readonly name: string;
  items: number;
  batches: number;
  busySeconds: number;
  readonly fallback: string | undefined;
}

/**
 * The queue in one process (`run --parallel --queue` without a URL): the same steps as the Redis
 * scripts, each one synchronous and therefore atomic between the workers of this event loop.
 */
export class MemoryQueue implements QueueBackend {
  private seededWith: SeedInput | undefined;
  private items: QueueItem[] = [];
  private pending: number[] = [];
  private readonly leases = new Map<number, HeldLease>();
  private readonly done = new Map<number, { verdict: Verdict; worker: number }>();
  private readonly attempts = new Map<number, number>();
  private readonly failures = new Map<number, EarlierFailure[]>();
  private flaky = 0;
  private readonly workers: WorkerRecord[] = [];
  private batchSeq = 0;
  private remainingSeconds = 0;
  private requeued = 0;
  private expiredLeases = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  async seed(input: SeedInput): Promise<SeedResult> {
    if (this.seededWith !== undefined) return { seeded: false, fingerprint: this.seededWith.fingerprint };
    this.seededWith = input;
    this.batchSeq = (input.firstBatch ?? 1) - 1;
    this.items = input.items.map((item, id) => ({ id, files: [...item.files], seconds: item.seconds }));
    this.pending = this.items.map((item) => item.id);
    this.remainingSeconds = this.items.reduce((sum, item) => sum + item.seconds, 0);
    return { seeded: true, fingerprint: input.fingerprint };
  }

  async register(name: string, fallbackShard?: string): Promise<number> {
    this.workers.push({ name, items: 0, batches: 0, busySeconds: 0, fallback: fallbackShard });
    return this.workers.length;
  }

  async snapshot(): Promise<QueueSnapshot> {
    let passed = 0;
    for (const { verdict } of this.done.values()) if (verdict === 'passed') passed++;
    let leased = 0;
    for (const lease of this.leases.values()) leased += lease.items.length;
    return {
      seeded: this.seededWith !== undefined,
      fingerprint: this.seededWith?.fingerprint,
      items: this.items.length,
      passed,
      failed: this.done.size - passed,
      requeued: this.requeued,
      flaky: this.flaky,
      expiredLeases: this.expiredLeases,
      pending: this.pending.length,
      leased,
      remainingSeconds: Math.max(0, this.remainingSeconds),
      totalSeconds: this.items.reduce((sum, item) => sum + item.seconds, 0),
      fallbacks: this.workers.filter((w) => w.fallback !== undefined).length,
      workers: this.workers.map((w, i) => ({
        worker: i + 1,
        name: w.name,
        items: w.items,
        batches: w.batches,
        busySeconds: round(w.busySeconds),
        ...(w.fallback === undefined ? {} : { fallback: w.fallback }),
      })),
    };
  }

  async reserveLost(worker: number, leaseMs: number): Promise<Lease | undefined> {
    const now = this.nowMs();
    for (const [batch, lease] of [...this.leases].sort(([, a], [, b]) => a.deadlineMs - b.deadlineMs)) {
      if (!leaseExpired(lease.deadlineMs, now)) break;
      this.leases.delete(batch);
      this.expiredLeases++;
      const left = lease.items.filter((id) => !this.done.has(id));
      if (left.length === 0) continue;
      this.requeued += left.length;
      return { ...this.lease(worker, left, now + leaseMs), takenFrom: { batch, worker: lease.worker } };
    }
    return undefined;
  }

  async reserve(worker: number, targetSeconds: number, maxItems: number, leaseMs: number): Promise<Lease | undefined> {
    // items already done (a late verdict) are dropped from the head, never handed out again
    while (this.pending.length > 0 && this.done.has(this.pending[0]!)) this.pending.shift();
    const head = this.pending.slice(0, 200).filter((id) => !this.done.has(id));
    const count = takeCount(head.map((id) => this.items[id]!.seconds), targetSeconds, maxItems);
    if (count === 0) return undefined;
    const taken = head.slice(0, count);
    const takenSet = new Set(taken);
    this.pending = this.pending.filter((id) => !takenSet.has(id));
    for (const id of taken) this.remainingSeconds -= this.items[id]!.seconds;
    return this.lease(worker, taken, this.nowMs() + leaseMs);
  }

  async heartbeat(worker: number, batch: number, leaseMs: number): Promise<boolean> {
    const lease = this.leases.get(batch);
    if (lease === undefined || lease.worker !== worker) return false;
    lease.deadlineMs = this.nowMs() + leaseMs;
    return true;
  }

  async release(worker: number, batch: number): Promise<boolean> {
    const lease = this.leases.get(batch);
    if (lease === undefined || lease.worker !== worker) return false;
    lease.deadlineMs = -Infinity;
    return true;
  }

  async requeue(_worker: number, _batch: number, failedIds: readonly number[], failures?: ReadonlyMap<number, readonly EarlierFailure[]>): Promise<number[]> {
    const max = this.seededWith?.maxRequeues ?? 0;
    const back: number[] = [];
    for (const id of failedIds) {
      if (this.done.has(id) || this.items[id] === undefined) continue;
      const attempts = (this.attempts.get(id) ?? 0) + 1;
      this.attempts.set(id, attempts);
      if (!shouldRequeue(attempts, max)) continue;
      back.push(id);
      const kept = failures?.get(id);
      if (kept !== undefined && kept.length > 0) this.failures.set(id, [...(this.failures.get(id) ?? []), ...kept]);
    }
    this.pending.unshift(...back);
    for (const id of back) this.remainingSeconds += this.items[id]!.seconds;
    this.requeued += back.length;
    return back;
  }

  async acknowledge(worker: number, batch: number, results: readonly ItemResult[], busySeconds: number): Promise<boolean[]> {
    const record = this.workers[worker - 1];
    const first = results.map(({ id, verdict }) => {
      if (this.done.has(id) || this.items[id] === undefined) return false;
      this.done.set(id, { verdict, worker });
      if (verdict === 'passed' && (this.attempts.get(id) ?? 0) > 0) this.flaky++;
      if (record) record.items++;
      return true;
    });
    if (record) {
      record.batches++;
      record.busySeconds += busySeconds;
    }
    if (this.leases.get(batch)?.worker === worker) this.leases.delete(batch);
    return first;
  }

  async earlierFailures(ids: readonly number[]): Promise<Map<number, EarlierFailure[]>> {
    const found = new Map<number, EarlierFailure[]>();
    for (const id of ids) {
      const list = this.failures.get(id);
      if (list !== undefined) found.set(id, [...list]);
    }
    return found;
  }

  async close(): Promise<void> {}

  private lease(worker: number, ids: number[], deadlineMs: number): Lease {
    const batch = ++this.batchSeq;
    this.leases.set(batch, { worker, items: ids, deadlineMs });
    return { batch, items: ids.map((id) => this.items[id]!) };
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
