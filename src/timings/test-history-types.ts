/**
 * The per-test part of the history file (its optional "tests" key): for each test file, each test
 * id's duration and result in the last K runs. Kept as columns, not as sample objects, so that
 * 100,000 testcases x 10 runs stay a few MB: one run list, then per test one array of
 * milliseconds aligned with it (null: the test did not run in that run).
 */
export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';

export interface TestHistory {
  /** Run ids (RunSummary.id), oldest first; every test's array is aligned with this list. */
  readonly runs: readonly string[];
  /** Per test file, per test id (what the runner preset maps a testcase to): milliseconds per run. */
  readonly files: Readonly<Record<string, Readonly<Record<string, readonly (number | null)[]>>>>;
  /**
   * Results other than "passed", per file and test: one letter per run (p passed, f failed,
   * e error, s skipped, k flaky, - did not run). A test missing here passed whenever it ran.
   */
  readonly results?: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined;
}

/** One testcase as one run measured it (summed when a test id repeats in the run). */
export interface TestSample {
  readonly seconds: number;
  readonly status: TestStatus;
}

/** One run's tests: file -> test id -> sample. */
export type RunTests = ReadonlyMap<string, ReadonlyMap<string, TestSample>>;

export const STATUS_LETTER: Readonly<Record<TestStatus, string>> = { passed: 'p', failed: 'f', error: 'e', skipped: 's', flaky: 'k' };
export const LETTER_STATUS: Readonly<Record<string, TestStatus>> = { p: 'passed', f: 'failed', e: 'error', s: 'skipped', k: 'flaky' };
