/**
 * Queue policy as plain functions of numbers: how large a batch to lease, how a batch is cut from
 * the head of the queue, how the runner's start-up per batch is learnt, and when a lease counts as
 * expired. The Redis scripts, the in-process queue and bench/queue.mjs all carry out these results.
 */

export interface BatchPolicy {
  /**
   * A batch is 1/divisor of a worker's fair share of what is left (guided self-scheduling): large
   * early, so the runner's start-up is paid rarely, and shrinking as the queue drains, so that the
   * workers finish together.
   */
  readonly divisor: number;
  /** Never smaller than this many start-ups: below that the start-up costs more than the balance gains. */
  readonly startupMultiple: number;
  /** Floor for a runner with no measurable start-up, in seconds (0: one item per batch). */
  readonly minSeconds: number;
  /**
   * A batch holds at most this many start-ups' worth of tests: a larger one saves less than
   * 1/maxStartups of its time in start-up and only risks the balance. With no start-up (or none
   * measured yet, as for a worker's first batch) a batch is one item: the ideal queue.
   */
  readonly maxStartups: number;
  /**
   * A batch holds at most 1/countDivisor of a worker's share of the items left, whatever their
   * estimates: the end of the queue is where the files with no or stale history sit, and a batch
   * of 200 "tiny" files that each really take seconds is the one that finishes last.
   */
  readonly countDivisor: number;
  /** Floor as a multiple of sqrt(start-up x share left per worker). */
  readonly sqrtFactor: number;
}

/** Tuned on the real histories with bench/queue.mjs (see the README's Queue mode section). */
export const DEFAULT_BATCH_POLICY: BatchPolicy = { divisor: 1.5, startupMultiple: 2, minSeconds: 0, maxStartups: 100, countDivisor: 1, sqrtFactor: 3 };

export interface QueueLoad {
  /** Estimated seconds of the items still waiting in the queue. */
  readonly remainingSeconds: number;
  /** Workers taking from the queue (at least 1 is assumed). */
  readonly workers: number;
  /** The runner's measured start-up per batch, in seconds (0 when not known yet). */
  readonly startupSeconds: number;
  /** Items still waiting in the queue. */
  readonly remainingItems: number;
}

/** The estimated seconds of tests the next batch should hold. */
export function batchTargetSeconds(load: QueueLoad, policy: BatchPolicy = DEFAULT_BATCH_POLICY): number {
  const workers = Math.max(1, load.workers);
  const share = Math.max(0, load.remainingSeconds) / (workers * policy.divisor);
  const startup = Math.max(0, load.startupSeconds);
  // the batch count that balances start-ups paid against the imbalance of the last batches grows
  // with sqrt(share / start-up): a slow start means fewer, larger batches (see bench/queue.mjs)
  const floor = Math.max(policy.minSeconds, startup * policy.startupMultiple, policy.sqrtFactor * Math.sqrt(startup * (Math.max(0, load.remainingSeconds) / workers)));
  const cap = policy.maxStartups === Infinity ? Infinity : startup * policy.maxStartups;
  return Math.max(Math.min(share, cap), floor);
}

/** The most items the next batch may hold (at least 1). */
export function batchMaxItems(load: QueueLoad, policy: BatchPolicy = DEFAULT_BATCH_POLICY): number {
  return Math.max(1, Math.ceil(Math.max(0, load.remainingItems) / (Math.max(1, load.workers) * policy.countDivisor)));
}

/**
 * How many items from the head of the queue (longest first) make the batch: always the first, then
 * the next ones while they fit within the target and the item cap. The same rule as reserve.lua.
 */
export function takeCount(headSeconds: readonly number[], targetSeconds: number, maxItems: number = Infinity): number {
  if (headSeconds.length === 0) return 0;
  let sum = headSeconds[0]!;
  let count = 1;
  while (count < headSeconds.length && count < maxItems && sum + headSeconds[count]! <= targetSeconds) {
    sum += headSeconds[count]!;
    count++;
  }
  return count;
}

/**
 * The start-up estimate after one more batch: its wall time minus the test time its report
 * measured is what the runner spent starting (and stopping). An average over the batches seen,
 * weighted to the recent ones, so one slow start does not make every later batch huge.
 */
export function nextStartupSeconds(previous: number | undefined, wallSeconds: number, testSeconds: number): number {
  const observed = Math.max(0, wallSeconds - Math.max(0, testSeconds));
  if (previous === undefined) return observed;
  return previous * 0.5 + observed * 0.5;
}

/** A lease is expired once its deadline has passed; a heartbeat moves the deadline. */
export function leaseExpired(deadlineMs: number, nowMs: number): boolean {
  return nowMs > deadlineMs;
}

/**
 * How often a worker renews its lease: three heartbeats per lease, so that two lost in a row
 * (a GC pause, a slow network) do not yet hand the batch to someone else.
 */
export function heartbeatIntervalMs(leaseMs: number): number {
  return Math.max(50, Math.floor(leaseMs / 3));
}

/** How long an idle worker waits before it looks again (leases may expire, failed items come back). */
export function pollIntervalMs(leaseMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(leaseMs / 10)));
}

/** Whether a failed item goes back to the queue for another attempt. */
export function shouldRequeue(failedAttempts: number, maxRequeues: number): boolean {
  return failedAttempts <= maxRequeues;
}
