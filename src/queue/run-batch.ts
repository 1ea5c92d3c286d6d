import { rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createFileMatcher } from '../junit/match.js';
import { readReportFiles } from '../timings/read-report.js';
import { runShard, type RunShardOptions } from '../run/run-shard.js';
import { SHARD_META_SUFFIX, type ShardMeta } from '../run/shard-meta.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import type { BatchOutcome } from './worker.js';
import type { ItemResult, Lease } from './types.js';

export interface BatchRunOptions extends Omit<RunShardOptions, 'index' | 'total' | 'files' | 'estimatedSeconds' | 'output'> {
  readonly queueId: string;
  /** Where the child's stdout goes (`stderr` when our stdout carries JSON). */
  readonly stdout: 'stdout' | 'stderr';
  /** Prefix every line of the child's output with the worker and batch (several run at once here). */
  readonly prefixed: boolean;
}

/**
 * Runs one leased batch through the shard runner (so timeouts, signals, process handling and the
 * report checks are the same as a static shard's): `{shard}` is the batch number, unique in the
 * queue, so every batch writes its own report. Verdicts come from the report, file by file; a file
 * with no testcase, or every file when the command failed without a failing testcase, is failed.
 */
export async function runQueueBatch(lease: Lease, worker: number, options: BatchRunOptions): Promise<BatchOutcome> {
  const files = lease.items.flatMap((item) => item.files);
  const estimatedSeconds = Math.round(lease.items.reduce((sum, item) => sum + item.seconds, 0) * 1000) / 1000;
  const { queueId, stdout, prefixed, ...common } = options;
  const result = await runShard({
    ...common,
    index: lease.batch,
    total: lease.batch,
    files,
    estimatedSeconds,
    output: { mode: prefixed ? 'prefixed' : 'inherit', stdout, prefix: `[w${worker} b${lease.batch}] ` },
    narrate: (line) => options.narrate(line.replace(`shard ${lease.batch}/${lease.batch}`, `worker ${worker} batch ${lease.batch}`)),
  });

  let status: Map<string, string> | undefined;
  let testSeconds = 0;
  if (result.junit !== undefined) {
    const absolute = resolve(options.cwd, result.junit);
    const report = await readReportFiles(absolute, createFileMatcher(files), result.junit);
    status = report.status;
    for (const seconds of report.seconds.values()) testSeconds += seconds;
    await noteQueueBatch(absolute, { id: queueId, worker, batch: lease.batch });
  }
  const anyFailedFile = status !== undefined && [...status.values()].some((s) => s === 'failed' || s === 'error');
  const results: ItemResult[] = lease.items.map((item) => {
    let passed: boolean;
    if (status === undefined || (result.exitCode !== 0 && !anyFailedFile)) passed = result.exitCode === 0;
    else passed = item.files.every((f) => status.get(f) === 'passed' || status.get(f) === 'skipped');
    return { id: item.id, verdict: passed ? 'passed' : 'failed' };
  });
  return { results, wallSeconds: result.wallSeconds, testSeconds, exitCode: result.exitCode, junit: result.junit };
}

/**
 * The batch's note says it came from a queue and which worker ran it, and carries the worker as
 * its shard number, so `record` keeps per worker what ran where and `merge` does not look for
 * numbered shards that a queue never has.
 */
async function noteQueueBatch(junitPath: string, queue: NonNullable<ShardMeta['queue']>): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const path = `${junitPath}${SHARD_META_SUFFIX}`;
  const meta = JSON.parse(await readFile(path, 'utf8')) as ShardMeta;
  const next: ShardMeta = { ...meta, index: queue.worker, total: queue.worker, queue };
  await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
}

/**
 * A batch whose every verdict came late (another worker had run the same items after this one's
 * lease expired): its report is moved aside (`.late`), so a merge counts each testcase once.
 */
export async function setAsideLateReport(junitPath: string): Promise<void> {
  await rename(junitPath, `${junitPath}.late`).catch(() => undefined);
  await rename(`${junitPath}${SHARD_META_SUFFIX}`, `${junitPath}.late${SHARD_META_SUFFIX}`).catch(() => undefined);
}
