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
}

export interface ShardPlan {
  /** 1-based. */
  readonly index: number;
  /** Sorted by code units. */
  readonly files: string[];
  readonly estimatedSeconds: number;
  /** Feature groups with at least one file on this shard, sorted. */
  readonly groups: string[];
  /** The estimate of each file, parallel to `files` (seconds, rounded to ms). */
  readonly fileSeconds: number[];
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
}
