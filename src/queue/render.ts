import type { QueueSnapshot } from './types.js';
import type { WorkerResult } from './worker.js';

/** `queue wait --json` / `queue status --json`. */
export interface QueueSummaryJson {
  readonly schemaVersion: 1;
  readonly queueId: string;
  /** Every item has a verdict. */
  readonly complete: boolean;
  /** Every item ran and passed (what `queue wait` exits 0 on). */
  readonly passedAll: boolean;
  readonly seeded: boolean;
  readonly items: number;
  readonly passed: number;
  readonly failed: number;
  readonly requeued: number;
  /** Items that passed after an earlier attempt failed (--max-requeues): their reports hold <flakyFailure>. */
  readonly flaky: number;
  /** Items with no verdict: still waiting, leased, or never run. */
  readonly lost: number;
  readonly expiredLeases: number;
  /** Workers that could not reach Redis at their start and ran their static shard (reported later). */
  readonly fallbacks: number;
  readonly pending: number;
  readonly leased: number;
  readonly workers: readonly { worker: number; name: string; items: number; batches: number; busySeconds: number; fallback?: string }[];
}

export function queueSummaryJson(queueId: string, s: QueueSnapshot): QueueSummaryJson {
  const verdicts = s.passed + s.failed;
  const complete = s.seeded && verdicts >= s.items;
  return {
    schemaVersion: 1,
    queueId,
    complete,
    passedAll: complete && s.failed === 0,
    seeded: s.seeded,
    items: s.items,
    passed: s.passed,
    failed: s.failed,
    requeued: s.requeued,
    flaky: s.flaky,
    lost: Math.max(0, s.items - verdicts),
    expiredLeases: s.expiredLeases,
    fallbacks: s.fallbacks,
    pending: s.pending,
    leased: s.leased,
    workers: s.workers.map((w) => ({
      worker: w.worker,
      name: w.name,
      items: w.items,
      batches: w.batches,
      busySeconds: w.busySeconds,
      ...(w.fallback === undefined ? {} : { fallback: w.fallback }),
    })),
  };
}

/** The text form of the same numbers, for stdout of `queue wait` / `queue status`. */
export function renderQueueSummary(summary: QueueSummaryJson): string {
  const out: string[] = [];
  if (!summary.seeded) {
    out.push(`queue ${summary.queueId}: not seeded (no worker reached this queue): incomplete`);
    return `${out.join('\n')}\n`;
  }
  const state = summary.passedAll ? 'complete, all passed' : summary.complete ? 'complete, with failures' : 'incomplete';
  out.push(
    `queue ${summary.queueId}: ${summary.items} items: ${summary.passed} passed, ${summary.failed} failed, ${summary.requeued} requeued, ${summary.lost} lost (${state})`,
  );
  if (summary.flaky > 0) out.push(`flaky: ${summary.flaky} item${summary.flaky === 1 ? '' : 's'} failed, then passed on another attempt (kept as <flakyFailure> in the reports)`);
  if (summary.expiredLeases > 0) out.push(`expired leases taken over: ${summary.expiredLeases}`);
  if (summary.fallbacks > 0) {
    const shards = summary.workers.filter((w) => w.fallback !== undefined).map((w) => `worker ${w.worker} ran static shard ${w.fallback}`);
    out.push(
      `QUEUE MODE WAS OFF for ${summary.fallbacks} worker${summary.fallbacks === 1 ? '' : 's'} (Redis unreachable at its start): ${shards.join(', ')}; ` +
        'each file counts once, from the report that gave its first verdict (the others dropped it)',
    );
  }
  if (!summary.complete) out.push(`without a verdict: ${summary.pending} waiting, ${summary.leased} leased`);
  if (summary.workers.length > 0) {
    out.push('worker  batches  items  busy      name');
    for (const w of summary.workers) {
      out.push(`${String(w.worker).padStart(6)}  ${String(w.batches).padStart(7)}  ${String(w.items).padStart(5)}  ${`${w.busySeconds.toFixed(1)} s`.padStart(8)}  ${w.name}${w.fallback === undefined ? '' : ` (static shard ${w.fallback})`}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** What one `run --queue` process did, for its stderr. */
export function renderWorkerLines(results: readonly WorkerResult[]): string[] {
  return results.map((r) => {
    let items = 0;
    let failed = 0;
    let late = 0;
    let requeued = 0;
    let busy = 0;
    for (const b of r.batches) {
      busy += b.outcome.wallSeconds;
      requeued += b.requeued.length;
      b.first.forEach((first, i) => {
        if (!first) late++;
        else {
          items++;
          if (b.outcome.results.filter((x) => !b.requeued.includes(x.id))[i]?.verdict === 'failed') failed++;
        }
      });
    }
    const parts = [`${r.batches.length} batch${r.batches.length === 1 ? '' : 'es'}`, `${items} items (${failed} failed)`, `busy ${busy.toFixed(1)} s`];
    if (requeued > 0) parts.push(`${requeued} requeued for another attempt`);
    if (late > 0) parts.push(`${late} late (already done by another worker)`);
    return `worker ${r.worker}: ${parts.join(', ')}${r.stopped ? ' (stopped)' : ''}`;
  });
}
