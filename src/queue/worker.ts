import { batchMaxItems, batchTargetSeconds, DEFAULT_BATCH_POLICY, heartbeatIntervalMs, nextStartupSeconds, pollIntervalMs, type BatchPolicy } from './policy.js';
import type { EarlierFailure, ItemResult, Lease, QueueBackend } from './types.js';

/** What running one batch gave: a verdict per item, and times for the start-up estimate. */
export interface BatchOutcome {
  readonly results: readonly ItemResult[];
  readonly wallSeconds: number;
  /** Test seconds the batch's report measured (0 when unknown: all the wall counts as start-up). */
  readonly testSeconds: number;
  readonly exitCode: number;
  /** The batch's report (relative to cwd), when it has one. */
  readonly junit?: string | undefined;
  /** The failed tests of each failed item, kept with the item if it goes back to the queue. */
  readonly failures?: ReadonlyMap<number, readonly EarlierFailure[]> | undefined;
}

export interface BatchRecord {
  readonly lease: Lease;
  readonly outcome: BatchOutcome;
  /** Items put back for another attempt after failing here. */
  readonly requeued: readonly number[];
  /** Per acknowledged result: whether this worker's verdict was the first. */
  readonly first: readonly boolean[];
  /** The worker was stopped mid-batch: nothing acknowledged, the batch given back to the queue. */
  readonly released?: boolean | undefined;
  /** Failures of earlier attempts at the items acknowledged here (requeued by other workers). */
  readonly earlier?: ReadonlyMap<number, readonly EarlierFailure[]> | undefined;
}

export interface WorkerOptions {
  readonly queue: QueueBackend;
  readonly worker: number;
  readonly leaseMs: number;
  readonly runBatch: (lease: Lease, worker: number) => Promise<BatchOutcome>;
  readonly policy?: BatchPolicy | undefined;
  /**
   * Workers expected to join (the CI's parallel job count): until they have registered, batches
   * are sized for them, so the first worker to arrive does not take a third of the queue.
   */
  readonly expectedWorkers?: number | undefined;
  /** Resolves after ms (setTimeout in production; tests may step a fake clock). */
  readonly idle?: ((ms: number) => Promise<void>) | undefined;
  /** Stops taking new batches (the current one finishes and is acknowledged). */
  readonly stopSignal?: AbortSignal | undefined;
  readonly narrate?: ((line: string) => void) | undefined;
  /**
   * The runner stays up between batches (a resident runner): its first batch also pays one-time
   * costs (the application's first imports), so the per-batch cost is learnt from the later ones.
   */
  readonly resident?: boolean | undefined;
  /** Called after each batch is acknowledged or released (e.g. to set a late report aside). */
  readonly acknowledged?: ((record: BatchRecord) => Promise<void>) | undefined;
}

export interface WorkerResult {
  readonly worker: number;
  readonly batches: readonly BatchRecord[];
  /** True when the worker stopped on stopSignal rather than on an empty queue. */
  readonly stopped: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker: takes over expired leases first (a dead worker's batch is never stranded), else leases
 * a batch sized by the policy, runs it with a heartbeat, requeues failed items that have attempts
 * left, acknowledges the rest. Leaves only when nothing is waiting and nothing is leased.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerResult> {
  const { queue, worker, leaseMs } = options;
  const policy = options.policy ?? DEFAULT_BATCH_POLICY;
  const idle = options.idle ?? sleep;
  const batches: BatchRecord[] = [];
  let startupSeconds: number | undefined;
  for (;;) {
    if (options.stopSignal?.aborted) return { worker, batches, stopped: true };
    let lease = await queue.reserveLost(worker, leaseMs);
    if (lease !== undefined) {
      options.narrate?.(`worker ${worker}: took over batch ${lease.takenFrom?.batch ?? '?'} of worker ${lease.takenFrom?.worker ?? '?'} (its lease expired): ${lease.items.length} items`);
    } else {
      const load = await queue.snapshot();
      const queueLoad = {
        remainingSeconds: load.remainingSeconds,
        remainingItems: load.pending,
        workers: Math.max(load.workers.length, options.expectedWorkers ?? 1),
        startupSeconds: startupSeconds ?? 0,
      };
      lease = await queue.reserve(worker, batchTargetSeconds(queueLoad, policy), batchMaxItems(queueLoad, policy), leaseMs);
      if (lease === undefined) {
        const now = await queue.snapshot();
        if (now.pending === 0 && now.leased === 0) return { worker, batches, stopped: false };
        await idle(pollIntervalMs(leaseMs));
        continue;
      }
    }
    const outcome = await withHeartbeat(queue, worker, lease.batch, leaseMs, () => options.runBatch(lease, worker), options.narrate);
    if (options.stopSignal?.aborted) {
      // a stopped batch's verdicts say nothing about its tests: another worker runs them
      await queue.release(worker, lease.batch);
      const record: BatchRecord = { lease, outcome, requeued: [], first: [], released: true };
      batches.push(record);
      await options.acknowledged?.(record);
      return { worker, batches, stopped: true };
    }
    if (!(options.resident === true && batches.length === 0)) startupSeconds = nextStartupSeconds(startupSeconds, outcome.wallSeconds, outcome.testSeconds);
    const failed = outcome.results.filter((r) => r.verdict === 'failed').map((r) => r.id);
    const requeued = await queue.requeue(worker, lease.batch, failed, outcome.failures);
    const back = new Set(requeued);
    const results = outcome.results.filter((r) => !back.has(r.id));
    // read before the acknowledgement, which may be the item's last step in the queue
    const earlier = await queue.earlierFailures(results.map((r) => r.id));
    const first = await queue.acknowledge(worker, lease.batch, results, outcome.wallSeconds);
    const record: BatchRecord = { lease, outcome, requeued, first, ...(earlier.size > 0 ? { earlier } : {}) };
    batches.push(record);
    await options.acknowledged?.(record);
  }
}

/**
 * Runs `work` while renewing the lease. A failed heartbeat (Redis lost) is kept and rethrown once
 * the batch is done: the batch's report is still written, and the worker still fails.
 */
async function withHeartbeat<T>(
  queue: QueueBackend,
  worker: number,
  batch: number,
  leaseMs: number,
  work: () => Promise<T>,
  narrate: ((line: string) => void) | undefined,
): Promise<T> {
  let failure: unknown;
  let warned = false;
  let beating = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      if (failure !== undefined) return;
      try {
        const held = await queue.heartbeat(worker, batch, leaseMs);
        if (!held && !warned) {
          warned = true;
          narrate?.(`worker ${worker}: the lease of batch ${batch} expired and was taken over; its verdicts count only where they come first`);
        }
      } catch (error) {
        failure = error;
      }
    });
  }, heartbeatIntervalMs(leaseMs));
  try {
    const result = await work();
    await beating;
    if (failure !== undefined) throw failure;
    return result;
  } finally {
    clearInterval(timer);
  }
}
