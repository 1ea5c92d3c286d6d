/**
 * `split-tests.config.json`, or the `"split-tests"` key of package.json. Every key is optional;
 * precedence is flag > environment > config file > default.
 */
export interface SplitTestsConfig {
  /** Test file globs (fast-glob syntax), relative to the config file's folder. */
  readonly tests?: readonly string[];
  /** Globs never to treat as tests; node_modules is always ignored. */
  readonly ignore?: readonly string[];
  /** Timing sources: JUnit XML, JSON maps, history files (globs allowed). */
  readonly timings?: readonly string[];
  /** An unreadable or malformed timing source fails the plan (exit 2) instead of being skipped with a warning. */
  readonly strictTimings?: boolean;
  /** Feature groups: group name to globs. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /** Group by the first DEPTH folders of each path (when `groups` is not given). */
  readonly groupByDir?: number;
  /** Let a large feature group spread over more than ceil(group / fair share) + 1 shards. */
  readonly spreadGroups?: boolean;
  /** Default shard count for `plan` and `run --parallel`. */
  readonly shards?: number;
  /** Test runner preset (src/runners): vitest, jest, playwright, mocha, node, cucumber-js, pytest, rspec. */
  readonly runner?: string;
  /** History file; default `.split-tests/history.json`. */
  readonly history?: string;
  /** Samples kept per file (K); default 10. */
  readonly historyRunsPerFile?: number;
  /** Run summaries kept (M); default 50. */
  readonly historyRuns?: number;
  readonly run?: {
    /** The test command, e.g. ["npx", "vitest", "run", "--reporter=junit", "--outputFile=reports/{shard}.xml", "{files}"]. */
    readonly command?: readonly string[];
    /** Where the command writes its JUnit report; `{shard}` expands to K. */
    readonly junit?: string;
    readonly timeoutSeconds?: number;
    readonly concurrency?: number;
    /** Reruns of failed tests (`--retries`). */
    readonly retries?: number;
  };
  readonly pipeline?: {
    /** Shell command lines the user names; run with the user's shell, as CI systems do. */
    readonly build?: string;
    readonly package?: string;
    readonly deploy?: string;
    /** What the package step makes, handed to deploy by `pipeline init`'s templates (default ["out/"]). */
    readonly packagePaths?: readonly string[];
    /** Target for the test stage, e.g. "10m", "90s". */
    readonly target?: string;
    /** Per node overhead: checkout, install, boot. */
    readonly nodeOverheadSeconds?: number;
    readonly buildSeconds?: number;
    readonly packageSeconds?: number;
    readonly mergeSeconds?: number;
    readonly deploySeconds?: number;
  };
}

export const DEFAULT_HISTORY_PATH = '.split-tests/history.json';
export const DEFAULT_HISTORY_RUNS_PER_FILE = 10;
export const DEFAULT_HISTORY_RUNS = 50;
