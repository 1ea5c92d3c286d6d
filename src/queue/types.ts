/** The data a queue holds and hands out; shared by the Redis and the in-process queue. */

/** One unit of work: a test file (or a piece of a feature group), estimated seconds from the plan. */
export interface QueueItem {
  /** Position in the seeded order (0 = longest estimate). */
  readonly id: number;
  readonly files: readonly string[];
  readonly seconds: number;
}

export interface SeedInput {
  /** Longest estimate first. */
  readonly items: readonly Omit<QueueItem, 'id'>[];
  /** The plan's fingerprint: every worker plans, only the first seeds; the others compare. */
  readonly fingerprint: string;
  /** Failed attempts an item may be requeued for (`--max-requeues`). */
  readonly maxRequeues: number;
  /**
   * The first batch's number (default 1). Above the static shard count, so that the report of a
   * worker that fell back to its static shard K never has the name of batch K's report.
   */
  readonly firstBatch?: number | undefined;
}

export interface SeedResult {
  /** True for exactly one caller: the one whose items are in the queue. */
  readonly seeded: boolean;
  /** The fingerprint of the plan in the queue (this caller's when it seeded). */
  readonly fingerprint: string;
}

/** A batch leased to one worker until its deadline (moved by heartbeats). */
export interface Lease {
  /** Unique within the queue, from 1: names the batch's report (`{shard}`). */
  readonly batch: number;
  readonly items: readonly QueueItem[];
  /** The batch whose expired lease this one took over, if any. */
  readonly takenFrom?: { readonly batch: number; readonly worker: number } | undefined;
}

export type Verdict = 'passed' | 'failed';

export interface ItemResult {
  readonly id: number;
  readonly verdict: Verdict;
}

/**
 * The failed tests of one failed attempt at an item, kept in the queue when the item goes back for
 * another attempt: the worker that gives its final verdict folds them into its own report, as
 * `<flakyFailure>` children when its run passed, `<rerunFailure>` when it failed too (the Surefire
 * convention `run --retries` uses), so a requeue never hides a failure.
 */
export interface EarlierFailure {
  readonly classname: string;
  readonly name: string;
  /** The raw `<failure>`/`<error>` element (its text cut to a few KiB). */
  readonly failure: string;
}

export interface WorkerStats {
  /** From 1, in the order workers joined. */
  readonly worker: number;
  readonly name: string;
  /** Items this worker gave the first verdict for. */
  readonly items: number;
  readonly batches: number;
  readonly busySeconds: number;
  /** The static shard (K/N) this worker ran because it could not reach the queue at the start. */
  readonly fallback?: string | undefined;
}

/** What `queue status` / `queue wait` print; the same fields in JSON. */
export interface QueueSnapshot {
  readonly seeded: boolean;
  readonly fingerprint?: string | undefined;
  readonly items: number;
  readonly passed: number;
  readonly failed: number;
  /** Items put back into the queue: from expired leases and for another attempt after a failure. */
  readonly requeued: number;
  /** Items that passed after an earlier attempt failed (requeued with --max-requeues): flaky. */
  readonly flaky: number;
  /** Leases that expired (a worker died or stalled) and were taken over by another worker. */
  readonly expiredLeases: number;
  /** Items waiting in the queue. */
  readonly pending: number;
  /** Items in live or expired leases. */
  readonly leased: number;
  readonly remainingSeconds: number;
  readonly totalSeconds: number;
  /** Workers that ran their static shard (Redis unreachable at their start) and reported later. */
  readonly fallbacks: number;
  readonly workers: readonly WorkerStats[];
}

/**
 * The atomic steps of the queue. Each is one state change that either happens whole or not at all
 * (one Lua script on Redis; one synchronous step in the in-process queue).
 */
export interface QueueBackend {
  /** Seeds the queue if nobody has yet. */
  seed(input: SeedInput): Promise<SeedResult>;
  /**
   * Joins as a worker; returns its number (from 1). `fallbackShard` (K/N): this worker could not
   * reach the queue at the start and ran its static shard; it joins to report those verdicts.
   */
  register(name: string, fallbackShard?: string): Promise<number>;
  snapshot(): Promise<QueueSnapshot>;
  /** Takes over one expired lease (its items not yet done), if there is one. */
  reserveLost(worker: number, leaseMs: number): Promise<Lease | undefined>;
  /** Leases items from the head of the queue: the first, then the next while within the target and maxItems. */
  reserve(worker: number, targetSeconds: number, maxItems: number, leaseMs: number): Promise<Lease | undefined>;
  /** Moves the lease's deadline; false when the lease is no longer this worker's. */
  heartbeat(worker: number, batch: number, leaseMs: number): Promise<boolean>;
  /** Gives a batch back at once (its worker was stopped): the next worker takes it over. False when no longer this worker's. */
  release(worker: number, batch: number): Promise<boolean>;
  /**
   * Puts failed items with attempts left back in the queue; returns the ids it put back. `failures`
   * (per item id) are kept with each item put back, for the worker that runs it last.
   */
  requeue(worker: number, batch: number, failedIds: readonly number[], failures?: ReadonlyMap<number, readonly EarlierFailure[]>): Promise<number[]>;
  /** The failures kept from earlier attempts at these items (only items that have some). */
  earlierFailures(ids: readonly number[]): Promise<Map<number, EarlierFailure[]>>;
  /**
   * Records verdicts and releases the lease. Per result: true when this was the item's first
   * verdict, false when another worker already gave one (this worker was thought dead and reports
   * late): that bit is what makes every item done exactly once.
   */
  acknowledge(worker: number, batch: number, results: readonly ItemResult[], busySeconds: number): Promise<boolean[]>;
  close(): Promise<void>;
}
