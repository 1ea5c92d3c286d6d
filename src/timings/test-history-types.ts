/**
 * The per-test part of the history (its optional "tests" key): for each test file, each test id's
 * duration and result in the last K runs: one run list, then per test one array of milliseconds
 * aligned with it (null: the test did not run in that run). In memory it is this plain model; on
 * disk (history version 3) it is EncodedTestHistory, decoded only when a command reads it.
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

/**
 * The "tests" key on disk (history version 3): the run list in plain JSON, the rest one opaque
 * string, so that loading the history for a plan that never looks at single tests costs a string
 * scan, not 100,000 objects. `data` is base64 of a brotli-compressed JSON document
 * of columns (test-history-codec.ts): `{ files, shared, ids, ms, results }`.
 */
export interface EncodedTestHistory {
  readonly encoding: typeof TESTS_ENCODING;
  readonly runs: readonly string[];
  /** Test ids held (over all files), so a reader can tell the size without decoding. */
  readonly count: number;
  readonly data: string;
}

export const TESTS_ENCODING = 'columns+brotli+base64';
