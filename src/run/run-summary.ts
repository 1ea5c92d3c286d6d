import { outcomeLabel } from './exit-status.js';
import type { ShardRunResult } from './run-shard.js';

/** `run --json`: one document for scripts. */
export interface RunSummaryJson {
  readonly schemaVersion: 1;
  readonly fingerprint: string;
  readonly shardCount: number;
  readonly exitCode: number;
  readonly passed: boolean;
  /** Wall time of the whole command, seconds. */
  readonly wallSeconds: number;
  /** Slowest shard wall / mean shard wall over the shards that ran (1 when no machine idled); null with fewer than 2. */
  readonly wallImbalance: number | null;
  readonly shards: readonly {
    readonly index: number;
    readonly total: number;
    readonly files: readonly string[];
    readonly estimatedSeconds: number;
    readonly wallSeconds: number;
    readonly startedAt: string;
    readonly status: 'passed' | 'failed' | 'timeout' | 'signal' | 'cancelled' | 'no-report' | 'empty';
    readonly exitCode: number;
    readonly signal?: string;
    readonly junit?: string;
    readonly syntheticReport?: boolean;
  }[];
}

export function runSummaryJson(
  results: readonly ShardRunResult[],
  context: { fingerprint: string; shardCount: number; exitCode: number; wallSeconds: number },
): RunSummaryJson {
  return {
    schemaVersion: 1,
    fingerprint: context.fingerprint,
    shardCount: context.shardCount,
    exitCode: context.exitCode,
    passed: context.exitCode === 0,
    wallSeconds: context.wallSeconds,
    wallImbalance: wallImbalance(results.filter(ran).map((r) => r.wallSeconds)),
    shards: results.map((r) => {
      const o = r.outcome;
      const status =
        o.kind === 'exited' ? (o.exitCode === 0 ? 'passed' : 'failed') : o.kind === 'empty' ? 'empty' : o.kind;
      return {
        index: r.index,
        total: r.total,
        files: [...r.files],
        estimatedSeconds: r.estimatedSeconds,
        wallSeconds: r.wallSeconds,
        startedAt: r.startedAt,
        status,
        exitCode: r.exitCode,
        ...('signal' in o ? { signal: o.signal } : {}),
        ...(r.junit === undefined ? {} : { junit: r.junit }),
        ...(r.syntheticReport === undefined ? {} : { syntheticReport: r.syntheticReport }),
      };
    }),
  };
}

/**
 * The table printed on stderr after `run --parallel`:
 *
 *   shard  files  estimated  measured  result
 *   1/4        6     10.2 s    11.0 s  passed
 *   ...
 *   all       24     38.4 s    12.3 s  wall, 4 shards, 2 at a time
 */
export function renderRunSummary(
  results: readonly ShardRunResult[],
  context: {
    wallSeconds: number;
    concurrency: number;
    lowerBoundSeconds?: number | undefined;
    /** False when the plan had no timings: its "seconds" are file counts, not worth showing. */
    estimated?: boolean | undefined;
  },
): string {
  const seconds = (s: number): string => `${s.toFixed(1)} s`;
  const estimated = context.estimated !== false;
  const rows: string[][] = [['shard', 'files', 'estimated', 'measured', 'result']];
  for (const r of results) {
    rows.push([
      `${r.index}/${r.total}`,
      String(r.files.length),
      estimated ? seconds(r.estimatedSeconds) : '-',
      r.outcome.kind === 'empty' ? '-' : seconds(r.wallSeconds),
      outcomeLabel(r.outcome) + (r.syntheticReport && r.outcome.kind !== 'empty' ? ', synthetic JUnit' : ''),
    ]);
  }
  const files = results.reduce((n, r) => n + r.files.length, 0);
  const estimatedTotal = results.reduce((s, r) => s + r.estimatedSeconds, 0);
  const failed = results.filter((r) => r.exitCode !== 0).length;
  rows.push([
    'all',
    String(files),
    estimated ? seconds(estimatedTotal) : '-',
    seconds(context.wallSeconds),
    `${failed === 0 ? 'passed' : `${failed} of ${results.length} shards failed`}; wall time, ${context.concurrency} at a time`,
  ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  // text columns left-aligned, numbers right-aligned
  const align = (cell: string, c: number): string =>
    c === 0 || c === 4 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!);
  const lines = rows.map((row) => row.map(align).join('  ').trimEnd());
  const slowest = Math.max(0, ...results.map((r) => r.estimatedSeconds));
  if (estimated && context.lowerBoundSeconds !== undefined) {
    lines.push(`predicted makespan ${seconds(slowest)} (lower bound ${seconds(context.lowerBoundSeconds)})`);
  }
  const measured = results.filter(ran);
  const imbalance = wallImbalance(measured.map((r) => r.wallSeconds));
  if (imbalance !== null) {
    const walls = measured.map((r) => r.wallSeconds);
    const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
    const predicted = estimated ? wallImbalance(measured.map((r) => r.estimatedSeconds)) : null;
    lines.push(
      `shard walls: slowest ${seconds(Math.max(...walls))} / mean ${seconds(mean)} = ${imbalance.toFixed(2)} ` +
        `(1.00 when no machine waits for another)${predicted !== null ? `; predicted ${predicted.toFixed(2)}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A shard that ran its command (not an empty one): its wall time is a measurement. */
function ran(r: ShardRunResult): boolean {
  return r.outcome.kind !== 'empty';
}

/** Slowest / mean over the shards' walls: how long the fastest machines idled, as a ratio. */
export function wallImbalance(walls: readonly number[]): number | null {
  if (walls.length < 2) return null;
  const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
  return mean > 0 ? Math.round((Math.max(...walls) / mean) * 1000) / 1000 : null;
}
