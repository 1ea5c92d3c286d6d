import { readFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createFileMatcher } from '../junit/match.js';
import { readReportFiles } from '../timings/read-report.js';
import { runShard, type RunShardOptions } from '../run/run-shard.js';
import { SHARD_META_SUFFIX, type ShardMeta } from '../run/shard-meta.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { dropSupersededCases } from './superseded.js';
import type { BatchOutcome, BatchRecord } from './worker.js';
import type { EarlierFailure, ItemResult, Lease, QueueItem } from './types.js';
import { failuresByItem, foldEarlierFailures } from './earlier-failures.js';

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

  const { results, testSeconds } = await itemVerdicts(lease.items, result.junit, result.exitCode, options.cwd);
  if (result.junit !== undefined) await noteQueueBatch(resolve(options.cwd, result.junit), { id: queueId, worker, batch: lease.batch });
  const failures = result.junit === undefined ? undefined : await failedTests(lease.items, results, resolve(options.cwd, result.junit), result.junit);
  return { results, wallSeconds: result.wallSeconds, testSeconds, exitCode: result.exitCode, junit: result.junit, failures };
}

/** The failed tests of the failed items, from the batch's report (undefined when none failed or it cannot be read). */
async function failedTests(items: readonly QueueItem[], results: readonly ItemResult[], absolute: string, name: string): Promise<Map<number, EarlierFailure[]> | undefined> {
  const failed = new Set(results.filter((r) => r.verdict === 'failed').map((r) => r.id));
  if (failed.size === 0) return undefined;
  try {
    const xml = await readFile(absolute, 'utf8');
    return failuresByItem(xml, name, items, createFileMatcher(items.flatMap((item) => item.files)), failed);
  } catch {
    return undefined;
  }
}

/**
 * Each item's verdict from a report, file by file; a file with no testcase, or every file when the
 * command failed without a failing testcase, is failed. Also the test seconds the report measured.
 */
export async function itemVerdicts(
  items: readonly QueueItem[],
  junit: string | undefined,
  exitCode: number,
  cwd: string,
): Promise<{ results: ItemResult[]; testSeconds: number }> {
  let status: Map<string, string> | undefined;
  let testSeconds = 0;
  if (junit !== undefined) {
    const report = await readReportFiles(resolve(cwd, junit), createFileMatcher(items.flatMap((item) => item.files)), junit);
    status = report.status;
    for (const seconds of report.seconds.values()) testSeconds += seconds;
  }
  const anyFailedFile = status !== undefined && [...status.values()].some((s) => s === 'failed' || s === 'error');
  const results: ItemResult[] = items.map((item) => {
    let passed: boolean;
    if (status === undefined || (exitCode !== 0 && !anyFailedFile)) passed = exitCode === 0;
    else passed = item.files.every((f) => status.get(f) === 'passed' || status.get(f) === 'skipped');
    return { id: item.id, verdict: passed ? 'passed' : 'failed' };
  });
  return { results, testSeconds };
}

/**
 * The batch's note says it came from a queue and which worker ran it, and carries the worker as
 * its shard number, so `record` keeps per worker what ran where and `merge` does not look for
 * numbered shards that a queue never has.
 */
async function noteQueueBatch(junitPath: string, queue: NonNullable<ShardMeta['queue']>): Promise<void> {
  const path = `${junitPath}${SHARD_META_SUFFIX}`;
  const meta = JSON.parse(await readFile(path, 'utf8')) as ShardMeta;
  const next: ShardMeta = { ...meta, index: queue.worker, total: queue.worker, queue };
  await writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
}

/**
 * A batch whose every verdict came late (another worker had run the same items after this one's
 * lease expired), or that was stopped midway (`.stopped`: another worker runs its items): its
 * report is moved aside, so a merge counts each testcase once.
 */
export async function setAsideLateReport(junitPath: string, suffix = '.late'): Promise<void> {
  await rename(junitPath, `${junitPath}${suffix}`).catch(() => undefined);
  await rename(`${junitPath}${SHARD_META_SUFFIX}`, `${junitPath}${suffix}${SHARD_META_SUFFIX}`).catch(() => undefined);
}

/**
 * After a batch is acknowledged (or given back), its report keeps only what counts here, so that
 * `merge` and `record` see every file once: a stopped batch's report is set aside (`.stopped`),
 * a report whose every verdict came late is set aside (`.late`), and otherwise the testcases of
 * files another worker gave the first verdict for, or that went back to the queue for another
 * attempt, are dropped from it (their files leave its note, listed as `queue.superseded`).
 * Returns one line for the worker's narration, or undefined when the report stays as it is.
 */
export async function settleBatchReport(record: BatchRecord, cwd: string): Promise<string | undefined> {
  const junit = record.outcome.junit;
  if (junit === undefined) return undefined;
  const absolute = resolve(cwd, junit);
  if (record.released === true) {
    await setAsideLateReport(absolute, '.stopped');
    return `stopped midway, given back to the queue; report set aside as ${junit}.stopped`;
  }
  const acknowledged = record.outcome.results.filter((r) => !record.requeued.includes(r.id));
  if (record.requeued.length === 0 && acknowledged.length > 0 && record.first.every((f) => !f)) {
    await setAsideLateReport(absolute);
    return `every item was already done by another worker; report set aside as ${junit}.late`;
  }
  const superseded = new Set([...record.requeued, ...acknowledged.filter((_, i) => record.first[i] === false).map((r) => r.id)]);
  const dropped = await dropSuperseded(record, absolute, junit, superseded);
  const folded = await foldEarlier(record, absolute, junit, superseded);
  const lines = [dropped, folded].filter((line): line is string => line !== undefined);
  return lines.length === 0 ? undefined : lines.join('; ');
}

/**
 * Failures of earlier attempts at this batch's items (another worker's, before a requeue) go into
 * its report as <flakyFailure> (passed here) or <rerunFailure> (failed again) children.
 */
async function foldEarlier(record: BatchRecord, absolute: string, junit: string, superseded: ReadonlySet<number>): Promise<string | undefined> {
  const earlier = record.earlier;
  if (earlier === undefined) return undefined;
  const counted = new Map([...earlier].filter(([id]) => !superseded.has(id)));
  if (counted.size === 0) return undefined;
  let xml: string;
  try {
    xml = await readFile(absolute, 'utf8');
  } catch {
    return undefined;
  }
  const files = record.lease.items.flatMap((item) => item.files);
  try {
    const result = foldEarlierFailures(xml, junit, record.lease.items, createFileMatcher(files), counted);
    if (result.flaky + result.failedAgain === 0) return undefined;
    await writeFileAtomic(absolute, result.xml);
    const parts = [result.flaky > 0 ? `${result.flaky} flaky (failed on an earlier attempt, passed here: <flakyFailure>)` : '', result.failedAgain > 0 ? `${result.failedAgain} failed again (<rerunFailure>)` : ''];
    return `${parts.filter((p) => p !== '').join(', ')} in ${junit}`;
  } catch (error) {
    return `could not add the earlier attempts' failures to ${junit} (${(error as Error).message})`;
  }
}

async function dropSuperseded(record: BatchRecord, absolute: string, junit: string, superseded: ReadonlySet<number>): Promise<string | undefined> {
  if (superseded.size === 0) return undefined;
  const files = record.lease.items.flatMap((item) => item.files);
  const dropFiles = new Set(record.lease.items.filter((item) => superseded.has(item.id)).flatMap((item) => item.files));
  let xml: string;
  try {
    xml = await readFile(absolute, 'utf8');
  } catch {
    return undefined;
  }
  let kept: string;
  let dropped: number;
  try {
    ({ xml: kept, dropped } = dropSupersededCases(xml, junit, createFileMatcher(files), dropFiles));
  } catch (error) {
    // a report the byte-level edit cannot follow (a `<testcase` inside CDATA): kept whole, and said so
    return `could not drop the testcases of ${[...dropFiles].join(', ')} from ${junit} (${(error as Error).message}); a merge will list them twice`;
  }
  await writeFileAtomic(absolute, kept);
  const line = `${dropped} testcase${dropped === 1 ? '' : 's'} of ${dropFiles.size} file${dropFiles.size === 1 ? '' : 's'} dropped from ${junit} (their verdict counts in another batch)`;
  const metaPath = `${absolute}${SHARD_META_SUFFIX}`;
  const meta = await readFile(metaPath, 'utf8').then((text) => JSON.parse(text) as ShardMeta, () => undefined);
  if (meta === undefined) return line;
  const next: ShardMeta = {
    ...meta,
    files: meta.files.filter((f) => !dropFiles.has(f)),
    ...(meta.queue === undefined ? {} : { queue: { ...meta.queue, superseded: [...dropFiles] } }),
  };
  await writeFileAtomic(metaPath, `${JSON.stringify(next, null, 2)}\n`);
  return line;
}
