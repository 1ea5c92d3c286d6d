/**
 * The trend model: plain, JSON-ready data computed from a history file by `computeTrends` and
 * drawn by the text, JSON and HTML renderers. Unknown numbers are `null` (not absent) so the JSON
 * document always has the same keys.
 */

export interface ShardTrend {
  readonly index: number;
  readonly files: number | null;
  readonly estimatedSeconds: number | null;
  readonly measuredSeconds: number | null;
  readonly wallSeconds: number | null;
  readonly passed: boolean | null;
}

export interface StageTime {
  readonly name: string;
  readonly measuredSeconds: number | null;
  readonly predictedSeconds: number | null;
}

export interface RunSplitTrend {
  readonly files: readonly { readonly file: string; readonly slices: number }[];
  readonly fileLevelSeconds: number;
  readonly slicedSeconds: number;
  /** How much sooner the plan's slowest shard was predicted to finish than with whole files, in percent. */
  readonly savedPercent: number | null;
}

export interface RunTrend {
  readonly id: string;
  /** ISO-8601, as recorded. */
  readonly time: string;
  readonly fingerprint: string | null;
  readonly shardCount: number;
  readonly fileCount: number;
  /** Sum of all files' seconds in the run. */
  readonly totalSeconds: number;
  readonly largestFileSeconds: number;
  /** max(total / N, largest file): no split of these files over N shards can finish sooner. */
  readonly lowerBoundSeconds: number;
  /** The slowest shard's test seconds (measured, else wall); null when no shard was measured. */
  readonly makespanSeconds: number | null;
  /** The slowest shard's wall time, overheads included, when `run` measured it. */
  readonly wallMakespanSeconds: number | null;
  /** makespan / lower bound; 1 is a perfect split of the test times. */
  readonly imbalance: number | null;
  /**
   * Slowest shard wall / mean shard wall, over the shards `run` measured (at least 2): how long the
   * other machines waited. 1 only when no machine idled, whatever the test times say.
   */
  readonly wallImbalance: number | null;
  /** The plan's slowest shard estimate. */
  readonly predictedMakespanSeconds: number | null;
  /** (measured - predicted) / predicted, in percent. */
  readonly predictionErrorPercent: number | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly failedFiles: readonly string[];
  /**
   * Files the run's plan split by test (each over `slices` commands or node-id lists), with the
   * slowest shard it predicted by whole files and with the slices: what the split bought.
   */
  readonly split: RunSplitTrend | null;
  readonly shards: readonly ShardTrend[];
  readonly stages: readonly StageTime[];
}

/** One number over the runs, oldest first, and how it moved. */
export interface MetricTrend {
  /** One value per run (null where the run did not have it), oldest first. */
  readonly values: readonly (number | null)[];
  readonly first: number | null;
  readonly latest: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** latest vs first, in percent. */
  readonly changePercent: number | null;
  /** Least-squares slope per run over the last `window` known values. */
  readonly recentSlopePerRun: number | null;
  /** latest vs the value `window - 1` known values earlier, in percent. */
  readonly recentChangePercent: number | null;
  /** Runs the recent figures cover. */
  readonly window: number;
  /** Direction of the recent change: beyond ±2% counts as a move. */
  readonly direction: 'up' | 'down' | 'flat' | 'unknown';
}

export interface RunMetrics {
  readonly totalSeconds: MetricTrend;
  readonly makespanSeconds: MetricTrend;
  readonly lowerBoundSeconds: MetricTrend;
  readonly imbalance: MetricTrend;
  readonly wallImbalance: MetricTrend;
  readonly predictedMakespanSeconds: MetricTrend;
  readonly predictionErrorPercent: MetricTrend;
  readonly fileCount: MetricTrend;
  readonly failedFileCount: MetricTrend;
}

export interface SlowFile {
  readonly file: string;
  /** The file's latest sample. */
  readonly seconds: number;
  readonly run: string;
  /** Median of the file's samples in the window. */
  readonly medianSeconds: number;
  readonly samples: number;
  /** Share of the latest run's total test seconds. */
  readonly share: number | null;
}

export interface Regression {
  readonly file: string;
  /** Median of the samples before the change. */
  readonly baselineSeconds: number;
  /** Median of the samples since the change. */
  readonly recentSeconds: number;
  readonly deltaSeconds: number;
  /** null when the baseline was 0 s. */
  readonly deltaPercent: number | null;
  /** The first run of the slower level. */
  readonly sinceRun: string;
  readonly sinceTime: string | null;
  /** Runs since the change (samples at the slower level). */
  readonly runsSince: number;
  readonly baselineSamples: number;
}

/** A file flaky in at least one run of the report (the one rule: FLAKY_RULE in flakiest.ts). */
export interface FlakyFile {
  readonly file: string;
  /** Runs where it failed at first (flaky ones included), and runs where it passed in the end. */
  readonly failures: number;
  readonly passes: number;
  /** Always 'same-run' (failed, then passed within one run); 'same-fingerprint' (two runs of one plan) is no longer evidence. */
  readonly evidence: 'same-run' | 'same-fingerprint';
  /** Runs it was flaky in, oldest first. */
  readonly runs: readonly string[];
  readonly lastFailedRun: string | null;
}

/** A test flaky in at least one run (history letter k). */
export interface FlakiestTest {
  readonly file: string;
  /** The test id within the file (as the history keeps it). */
  readonly test: string;
  /** Runs in the report where it was flaky. */
  readonly flakyRuns: number;
  readonly lastSeenRun: string;
  readonly lastSeenTime: string | null;
}

/** A file flaky in at least one run. */
export interface FlakiestFile {
  readonly file: string;
  /** Runs in the report where at least one of its tests was flaky. */
  readonly flakyRuns: number;
  /** Its tests that were flaky in at least one of those runs. */
  readonly flakyTests: number;
  readonly lastSeenRun: string;
  readonly lastSeenTime: string | null;
}

export interface GroupTrend {
  readonly name: string;
  readonly latestSeconds: number | null;
  /** Share of the latest run's total test seconds. */
  readonly latestShare: number | null;
  readonly seconds: MetricTrend;
  /** Share of each run's total, oldest first. */
  readonly share: MetricTrend;
}

export interface StageTrend {
  readonly name: string;
  readonly measured: MetricTrend;
  readonly predicted: MetricTrend;
}

export interface TrendOptions {
  /** Only the last N runs (and the samples from them). */
  readonly last?: number | undefined;
  /** Runs the "recent" slope and change cover; default 5. */
  readonly trendWindow?: number | undefined;
  /** Samples at the slower level needed before a slowdown counts; default 3. */
  readonly regressionMinRuns?: number | undefined;
  /** Samples before the change needed as a baseline; default 2. */
  readonly regressionMinBaseline?: number | undefined;
  /** Minimum slowdown in seconds; default 0.5. */
  readonly regressionMinSeconds?: number | undefined;
  /** Minimum slowdown relative to the baseline; default 0.2 (20%). */
  readonly regressionMinRatio?: number | undefined;
  /** Rows in the slowest-files list; default 10. */
  readonly topFiles?: number | undefined;
}

export interface Trends {
  /** Runs in the report (after `last`) and in the history. */
  readonly runCount: number;
  readonly historyRunCount: number;
  /** Test files with samples in the window. */
  readonly fileCount: number;
  readonly runs: readonly RunTrend[];
  readonly metrics: RunMetrics;
  readonly latest: RunTrend | null;
  readonly slowestFiles: readonly SlowFile[];
  /** Files the slowest list was chosen from: those the latest run measured (all, for an old history). */
  readonly currentFileCount: number;
  readonly regressions: readonly Regression[];
  /** What flaky means in this report: one rule for `flaky`, `flakiestTests` and `flakiestFiles`. */
  readonly flakyRule: string;
  /** Every flaky file, flakiest first. */
  readonly flaky: readonly FlakyFile[];
  /** The flakiest tests and files (flaky runs, last seen), flakiest first; at most topFiles each. */
  readonly flakiestTests: readonly FlakiestTest[];
  readonly flakiestFiles: readonly FlakiestFile[];
  readonly groups: readonly GroupTrend[];
  readonly stages: readonly StageTrend[];
  /** The thresholds that were applied, so a reader can tell what "slower" meant. */
  readonly settings: {
    readonly trendWindow: number;
    readonly regressionMinRuns: number;
    readonly regressionMinBaseline: number;
    readonly regressionMinSeconds: number;
    readonly regressionMinRatio: number;
    readonly topFiles: number;
  };
}
