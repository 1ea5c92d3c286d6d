import type { JUnitCase } from '../junit/types.js';

/** A test as a runner knows it: its file and its id within that file (what `selectTests` takes). */
export interface TestRef {
  readonly file: string;
  readonly test: string;
}

/** Arguments and environment a preset adds to a command. Values may hold `{junit}`, `{shard}`, `{total}`. */
export interface CommandAdditions {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * A runner kept alive between queue batches, so that its start-up (interpreter, plugins, config,
 * the app's imports) is paid once per worker rather than once per batch: the ci-queue way.
 *
 * The driver speaks JSON lines over file descriptor 3 (its number is in SPLIT_TESTS_FEED_FD), a
 * socket both ways; its stdout and stderr are the runner's output as usual:
 *   driver → split-tests  {"type":"ready"}                      once loaded, before any batch
 *   split-tests → driver  {"type":"batch","batch":7,"args":[…],"env":{…},"junit":"/abs/report.xml"}
 *                         args: the runner's arguments for this batch (files and report included,
 *                         as the command line would have them); env: variables to set for it
 *   driver → split-tests  {"type":"done","batch":7,"exitCode":0}
 *                         after the batch's JUnit report is written; exitCode as the runner's own
 *                         command line would have exited for these arguments
 *   split-tests closes fd 3 (end of input) → the driver exits 0.
 * A driver that exits or dies mid-batch fails that batch as a crashed command would; the next
 * batch starts a new driver.
 */
export interface ResidentLaunch {
  /** The driver's command line: the same for every batch of one run, started once per worker. */
  readonly command: readonly string[];
  /** This batch's arguments for the runner. */
  readonly args: readonly string[];
}

/**
 * What split-tests knows about one test runner (DESIGN.md "Runner presets"). A capability the
 * runner lacks is `undefined`: callers ask for the capability, never for the runner's name.
 */
export interface RunnerPreset {
  readonly name: string;
  /** The runner's own test file globs, relative to the project root or to a directory argument. */
  readonly testPatterns: readonly string[];
  /** The command that runs a shard's files; `{files}` is where they go. */
  readonly command: readonly string[];
  /**
   * What makes the runner write a JUnit report to `junit` with the test file on every testcase:
   * arguments placed before the files, and environment variables.
   */
  readonly junitReporter: (junit: string) => CommandAdditions;
  /**
   * The arguments that take the place of `file` on the command line to run only these of its
   * tests (ids as `testOf` returns them), matched exactly: never a test whose name merely starts
   * with or contains a selected one.
   */
  readonly selectTests?: ((file: string, tests: readonly string[]) => readonly string[]) | undefined;
  /** The arguments that take the place of `file` to run every test of it except these. */
  readonly excludeTests?: ((file: string, tests: readonly string[]) => readonly string[]) | undefined;
  /**
   * Present when the runner's name filter cannot tell some different ids apart (jest compiles
   * -t case-insensitively: selecting "Foo" also runs "foo"). Given a file's known test ids, the
   * groups (two or more ids each) whose members `selectTests` of one may also run and
   * `excludeTests` of one may also skip. Callers keep a group together (one slice: see
   * `selectionGroups` in twins.ts) and, in a selective run's report, ignore the testcases they
   * did not ask for rather than count them again. Undefined: every id is selected on its own.
   */
  readonly indistinguishable?: ((tests: readonly string[]) => string[][]) | undefined;
  /**
   * How to ask the runner which tests a file holds now, by test id (enumeration, for the slice
   * that runs "every other test" of a split file): arguments in place of the files, and a parser
   * of the runner's stdout.
   */
  readonly listTests?: { readonly args: (file: string) => readonly string[]; readonly parse: (stdout: string, file: string) => string[] } | undefined;
  /**
   * Present when the runner's own JUnit names test files other than by their path from the
   * project root (Playwright: from its testDir), so that only the real file list (this preset's
   * pattern) keys its reports: how to tell such a report by its opening text (the first 4 KiB),
   * what it does to the paths (for messages), and the runner's config files, whose presence in
   * the project root says the report is this project's.
   */
  readonly ownReport?:
    | { readonly recognize: (head: string) => boolean; readonly paths: string; readonly configFiles: readonly string[] }
    | undefined;
  /** How a file is named on the runner's command line (default: as it is). */
  readonly fileArg?: ((file: string) => string) | undefined;
  /**
   * Present when the runner can be kept alive across queue batches (see ResidentLaunch): given one
   * batch's command line as it would run (files and report path expanded), the driver to start once
   * per worker and the arguments this batch sends it. Undefined for a command line the driver cannot
   * take (a wrapper script, another launcher): batches then run as commands of their own.
   */
  readonly resident?: ((argv: readonly string[]) => ResidentLaunch | undefined) | undefined;
  /** The file and test id of a testcase in a report written through `junitReporter`. */
  readonly testOf: (testcase: JUnitCase) => TestRef | undefined;
}
