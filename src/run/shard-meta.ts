/**
 * `split-tests run --junit PATH` writes `PATH.split-tests.json` beside each shard's report, so that
 * `merge` and `record` know the shard, the plan it came from, its planned files and its wall time
 * without the test runner's cooperation.
 */
export const SHARD_META_SUFFIX = '.split-tests.json';

export interface ShardMeta {
  readonly schemaVersion: 1;
  /** 1-based. */
  readonly index: number;
  readonly total: number;
  readonly fingerprint: string;
  readonly files: readonly string[];
  readonly estimatedSeconds: number;
  readonly wallSeconds: number;
  readonly exitCode: number;
  /** ISO-8601. */
  readonly startedAt: string;
  /** True when split-tests wrote the JUnit itself because the command left none. */
  readonly syntheticReport?: boolean | undefined;
  /** Planned tests of split files that the file no longer holds (`file::id`), so merge does not miss them. */
  readonly droppedTests?: readonly string[] | undefined;
  /** `run --rerun-failed`: the report whose failed tests this shard reran (`record` folds such a report into the run it reran). */
  readonly rerunOf?: { readonly report: string } | undefined;
  /** The plan split these files by test: how many slices each, and what the plan predicted for it against whole files. */
  readonly split?: SplitSummary | undefined;
  /**
   * Queue mode, Redis unreachable at the start: this worker ran its static shard instead. Not
   * `reported` (Redis never answered, or the queue was seeded from another plan): `merge` counts
   * the files the queue's own reports also hold from those, so none is counted twice.
   */
  readonly queueFallback?: { readonly id: string; readonly reported: boolean } | undefined;
  /** Queue mode: the report of one batch; `index`/`total` then carry the worker (see src/queue). */
  readonly queue?:
    | {
        readonly id: string;
        readonly worker: number;
        readonly batch: number;
        /** Files whose testcases were dropped from this report: their verdict counts in another batch's. */
        readonly superseded?: readonly string[] | undefined;
      }
    | undefined;
}

/** Which files a plan split by test and what it predicted that bought (the plan's `slicing`, cut down). */
export interface SplitSummary {
  readonly files: readonly { readonly file: string; readonly slices: number }[];
  /** The plan's slowest shard with whole files, and with the split files' slices. */
  readonly fileLevelSeconds: number;
  readonly slicedSeconds: number;
}
