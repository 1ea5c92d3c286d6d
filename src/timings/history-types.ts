/**
 * The history file (DESIGN.md "History file"): `.split-tests/history.json` by default.
 * Bounded: the last K samples per file and the last M run summaries, both oldest first.
 */
import type { TestHistory } from './test-history-types.js';

/**
 * Version 2 added the optional per-test "tests" key; version 3 stores it encoded (EncodedTestHistory)
 * so that a plan does not pay for it. Versions 1 and 2 still read, and are written as 3 next time.
 */
export const HISTORY_VERSION = 3;
export const READABLE_HISTORY_VERSIONS: readonly number[] = [1, 2, 3];

export interface HistorySample {
  /** RunSummary.id this sample came from. */
  readonly run: string;
  readonly seconds: number;
  /** Worst status of the file's testcases in that run. */
  readonly status?: 'passed' | 'failed' | 'error' | 'skipped' | undefined;
  /** The shard (1-based) the file ran on, when its report had a shard note: ties it to that shard's wall. */
  readonly shard?: number | undefined;
  /**
   * The seconds of the file's own suite in its report, when it had one (jest-junit counts the
   * file's import and setup in it): with `seconds`, what the file cost beyond its tests (walls.ts).
   */
  readonly wallSeconds?: number | undefined;
}

export interface ShardSummary {
  readonly index: number;
  readonly files?: number | undefined;
  readonly estimatedSeconds?: number | undefined;
  /** Sum of the shard's (contention-corrected) file seconds. */
  readonly measuredSeconds?: number | undefined;
  /** Wall time of the shard's test command, when `run` measured it. */
  readonly wallSeconds?: number | undefined;
  readonly passed?: boolean | undefined;
}

export interface RunSummary {
  readonly id: string;
  /** ISO-8601. */
  readonly time: string;
  readonly fingerprint?: string | undefined;
  readonly shardCount?: number | undefined;
  readonly shards: readonly ShardSummary[];
  /** Sum of all files' seconds in the run. */
  readonly totalSeconds: number;
  readonly fileCount: number;
  readonly largestFileSeconds: number;
  /** Files new since the previous run / gone since it (relative to the previous summary). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly failedFiles: readonly string[];
  /** Seconds per feature group, when groups were known at record time. */
  readonly groups?: Readonly<Record<string, number>> | undefined;
  /** Measured seconds of pipeline stages (build, tests, package, merge, deploy). */
  readonly stages?: Readonly<Record<string, number>> | undefined;
  /** Predicted seconds of pipeline stages, when `pipeline run` planned them. */
  readonly predictedStages?: Readonly<Record<string, number>> | undefined;
  /** Files the run's plan split by test, and its slowest shard predicted with whole files and with the slices. */
  readonly split?: RunSplit | undefined;
}

export interface RunSplit {
  readonly files: readonly { readonly file: string; readonly slices: number }[];
  readonly fileLevelSeconds: number;
  readonly slicedSeconds: number;
}

export interface History {
  readonly version: 1 | 2 | typeof HISTORY_VERSION;
  /** Per test file, its last K samples, oldest first. */
  readonly files: Readonly<Record<string, readonly HistorySample[]>>;
  /** The last M run summaries, oldest first. */
  readonly runs: readonly RunSummary[];
  /**
   * Per-test durations and results of the last K runs (absent in version 1 and before any testcase
   * was recorded). Read from a version 3 file, its files and results are decoded on first access.
   */
  readonly tests?: TestHistory | undefined;
}
