/** A testcase as read from any producer's JUnit XML. */
export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface JUnitCase {
  readonly name: string;
  readonly classname?: string | undefined;
  /** The `file` attribute of the testcase, else of the nearest enclosing testsuite that has one. */
  readonly file?: string | undefined;
  /** Names of the enclosing testsuites, outermost first. */
  readonly suites: readonly string[];
  readonly seconds: number;
  readonly status: CaseStatus;
  /** Passed after failing first: a flakyFailure/flakyError child (Surefire; run --retries). */
  readonly flaky?: true | undefined;
}

/** What a test file's identity can be guessed from. */
export interface CaseLocation {
  readonly file?: string | undefined;
  readonly classname?: string | undefined;
  readonly suites?: readonly string[] | undefined;
  readonly name?: string | undefined;
}
