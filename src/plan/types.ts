/**
 * Plain data of the planner. Nothing here touches the world; see DESIGN.md "Concepts".
 */

/** One past run's observed seconds per test file (keys already normalised test-file paths). */
export interface TimingRun {
  /** Where the run came from (a path, or `history:<run id>`); orders undated runs. */
  readonly source: string;
  /** ISO-8601 time of the run when the source carries one. */
  readonly timestamp?: string | undefined;
  readonly seconds: ReadonlyMap<string, number>;
  /** The run's shards with their measured wall time, when the run was recorded with shard notes. */
  readonly shards?: readonly ShardWall[] | undefined;
  /**
   * Per test file, the seconds of its own suite in the report (its import and setup included where
   * the runner counts them; see walls.ts), corrected for contention like `seconds`.
   */
  readonly fileWalls?: ReadonlyMap<string, number> | undefined;
  /** Per test file, its tests' seconds in this run (test id -> seconds), where the source has them. */
  readonly tests?: ReadonlyMap<string, ReadonlyMap<string, number>> | undefined;
}

/** One shard of a past run as CI waited for it: its wall time and the files that ran on it. */
export interface ShardWall {
  readonly index: number;
  readonly wallSeconds: number;
  /** Files that ran on the shard; their test seconds are the run's `seconds`. */
  readonly files: readonly string[];
}

/** How files form feature groups; a group stays on one shard unless it exceeds a fair share. */
export type GroupSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'dir'; readonly depth: number }
  | { readonly kind: 'globs'; readonly groups: readonly { readonly name: string; readonly patterns: readonly string[] }[] };

export interface PlanRequest {
  /** Test files, any order; normalised paths. */
  readonly files: readonly string[];
  readonly shards: number;
  /** Past runs, any order: the planner orders them by timestamp, else by source. */
  readonly runs: readonly TimingRun[];
  readonly groups?: GroupSpec | undefined;
  /** Let a large feature group spread over as many shards as balance wants (default: compact). */
  readonly spreadGroups?: boolean | undefined;
  /**
   * What the runner can do, as plain data (the planner never knows runner names): with
   * `selectTests`, a file larger than the balance allows may be cut into slices of its tests.
   */
  readonly slicing?: SlicingRequest | undefined;
}

/** What the runner's test selection allows the planner (plain data and a pure key function). */
export interface SlicingRequest {
  readonly selectTests: boolean;
  /**
   * The selection is an option over the whole command (`-t`, `--grep`): each slice then runs in a
   * command of its own and pays the runner's start-up again (the walls model's fixed cost per
   * command, else DEFAULT_SLICE_COMMAND_SECONDS).
   */
  readonly commandPerSlice?: boolean | undefined;
  /**
   * A file's known tests as groups the selection keeps apart (every id in one group, twins a
   * selection cannot tell apart together): a group stays in one slice. Default: one id a group.
   */
  readonly selectionGroups?: ((file: string, tests: readonly string[]) => string[][]) | undefined;
}

/** One slice of a split file on a shard (DESIGN.md "Test-level slices"). */
export interface ShardSlice {
  readonly file: string;
  /** 1-based; slice 1 also runs every test of the file that the other slices do not list. */
  readonly slice: number;
  readonly of: number;
  /** Test ids, sorted by code units. */
  readonly tests: string[];
  /** Its share of the file's tests plus the file's overhead paid again. */
  readonly estimatedSeconds: number;
}

/** Which files were cut and what it bought. */
export interface SlicingSummary {
  readonly files: { readonly file: string; readonly slices: number; readonly tests: number; readonly estimatedSeconds: number }[];
  /** Slowest shard of the best plan by whole files, and of this plan (both with the fixed shard cost). */
  readonly fileLevelSeconds: number;
  readonly slicedSeconds: number;
  /**
   * The start-up each slice's own command was charged (slices that run in commands of their own),
   * and where the figure came from: the walls model's fixed cost, or an assumed one.
   */
  readonly commandSeconds?: number | undefined;
  readonly commandSecondsFrom?: 'walls' | 'assumed' | undefined;
  /** The runner preset whose ids the slices' tests are (set by `plan`, for `merge --plan`). */
  readonly runner?: string | undefined;
}

export interface ShardPlan {
  /** 1-based. */
  readonly index: number;
  /** Sorted by code units. */
  readonly files: string[];
  /** The predicted wall time: tests plus overhead (only tests when walls are not modelled). */
  readonly estimatedSeconds: number;
  /** Sum of the files' estimated testcase seconds. */
  readonly estimatedTestSeconds: number;
  /** Per-file overhead plus the fixed per-shard cost (0 when walls are not modelled). */
  readonly estimatedOverheadSeconds: number;
  /** Feature groups with at least one file on this shard, sorted. */
  readonly groups: string[];
  /** The estimate of each file (tests plus its overhead), parallel to `files` (seconds, rounded to ms). */
  readonly fileSeconds: number[];
  /** Slices of split files on this shard (present on every shard when the plan split a file). */
  readonly slices?: ShardSlice[] | undefined;
}

export interface Plan {
  readonly schemaVersion: 1;
  readonly shardCount: number;
  readonly shards: ShardPlan[];
  readonly estimatedTotalSeconds: number;
  /** max(total / N, largest item) on the estimates. */
  readonly lowerBoundSeconds: number;
  /** Hex digest of the inputs that decide the plan (files, estimates, shard count, groups). */
  readonly fingerprint: string;
  /** Files that had no history and were estimated from their group or from all files. */
  readonly estimatedFiles: number;
  /** The estimation rule chosen for this history (e.g. "last", "median-5"), or "none". */
  readonly estimator: string;
  /** Groups that had to be spread over more than one shard, sorted. */
  readonly splitGroups: string[];
  /** How shard walls were predicted (see walls.ts). */
  readonly walls: WallSummary;
  /** Set when one item is larger than a fair share, so that it alone decides the lower bound. */
  readonly boundBy?: BoundBy | undefined;
  /** Set when a wider spread of large groups than the compact one would lower the slowest shard. */
  readonly spread?: SpreadNote | undefined;
  /** Set when files were cut into slices of their tests. */
  readonly slicing?: SlicingSummary | undefined;
}

export interface WallSummary {
  /** False without wall data: shard estimates are sums of test seconds. */
  readonly modelled: boolean;
  /** Fixed cost of a shard (runner start-up), seconds. */
  readonly fixedSeconds: number;
  /** False when every recorded shard had about as many files: the fixed cost is then counted per file. */
  readonly separated: boolean;
  /** Overhead of a file beyond its testcases, for files without a figure of their own. */
  readonly perFileSeconds: number;
  /** Files whose own overhead the history supports. */
  readonly filesWithOwnOverhead: number;
  /** How many of those their own reports measured (the file's suite time beyond its testcases). */
  readonly filesWithReportedOverhead: number;
  /** Shard walls the fit used, and how many of them it set aside as slowed for an outside reason. */
  readonly observations: number;
  readonly outliers: number;
}

export interface BoundBy {
  readonly kind: 'file' | 'group';
  /** The file's path or the group's name. */
  readonly name: string;
  readonly seconds: number;
}

export interface SpreadNote {
  /** Whether --spread-groups was given (the plan then uses the wider spread). */
  readonly allowed: boolean;
  /** Slowest shard with groups kept compact and with the wider spread. */
  readonly compactSeconds: number;
  readonly spreadSeconds: number;
}
