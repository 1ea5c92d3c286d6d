import { compareCodeUnits } from '../paths.js';
import { LETTER_STATUS, STATUS_LETTER, type RunTests, type TestHistory, type TestSample, type TestStatus } from './test-history-types.js';
import type { CaseStatus } from '../junit/types.js';

/**
 * Folds one run's tests into the per-test history (pure). The run becomes the newest column (or,
 * recorded again under the same id, e.g. one `record` per shard, its tests overlay that column,
 * so recording the same report twice changes nothing); the last `keep` columns are kept, and a
 * test that ran in none of them is dropped, so the size stays bounded by tests x K.
 */
export function addTestRun(previous: TestHistory | undefined, runId: string, tests: RunTests, keep: number): TestHistory {
  const before = previous ?? { runs: [], files: {} };
  const existing = before.runs.indexOf(runId);
  const runs = existing >= 0 ? [...before.runs] : [...before.runs, runId];
  const column = existing >= 0 ? existing : runs.length - 1;
  const drop = Math.max(0, runs.length - keep);

  // null-prototype records: a test id such as "__proto__" is a key like any other
  const files = record<Record<string, (number | null)[]>>();
  const results = record<Record<string, string>>();
  const width = runs.length;
  const fileNames = new Set([...Object.keys(before.files), ...tests.keys()]);
  for (const file of [...fileNames].sort(compareCodeUnits)) {
    const old = before.files[file] ?? {};
    const oldResults = before.results?.[file];
    const now = tests.get(file);
    const ids = now === undefined ? Object.keys(old) : [...new Set([...Object.keys(old), ...now.keys()])];
    for (const id of ids) {
      const prior = old[id];
      const ms: (number | null)[] = new Array<number | null>(width);
      for (let i = 0; i < width; i++) ms[i] = prior?.[i] ?? null;
      const sample = now?.get(id);
      if (sample) ms[column] = roundTestMilliseconds(sample.seconds * 1000);
      const kept = drop > 0 ? ms.slice(drop) : ms;
      if (!kept.some((x) => x !== null)) continue;
      (files[file] ??= record())[id] = kept;
      // letters only for a test with a result other than passed, kept or new (most tests have none)
      const oldLetters = oldResults?.[id];
      if (oldLetters === undefined && (sample === undefined || sample.status === 'passed')) continue;
      let letters = '';
      for (let i = drop; i < width; i++) {
        if (i === column && sample) letters += overlaidLetter(oldLetters?.[i], sample.status);
        else letters += oldLetters?.[i] ?? (ms[i] === null ? '-' : 'p');
      }
      if (/[^p-]/.test(letters)) (results[file] ??= record())[id] = letters;
    }
  }
  return { runs: runs.slice(drop), files, ...(Object.keys(results).length > 0 ? { results } : {}) };
}

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * A test's duration as the history keeps it: whole milliseconds below 100 ms, two significant
 * digits above (1234 ms is kept as 1200), i.e. within 5% (on average ~1.5%), below the run-to-run
 * noise of a single test. Per-test times only weigh tests against each other when a file is
 * split; the exact file totals are in the history's "files". Fewer distinct values are what lets
 * 100,000 tests x 10 runs compress to a few MB (bench/test-history.mjs). Idempotent.
 */
export function roundTestMilliseconds(ms: number): number {
  const whole = Math.round(ms);
  if (whole < 100) return whole;
  const step = 10 ** (String(whole).length - 2);
  return Math.round(whole / step) * step;
}

/**
 * A run recorded again (a retried CI job under the same run id): a test that had failed in it and
 * now passed failed, then passed on the same code within the run, so it is flaky (k), as after
 * `--retries` (see src/report/flakiest.ts for the one rule). Otherwise the new result stands.
 */
function overlaidLetter(before: string | undefined, status: TestStatus): string {
  const failedBefore = before === 'f' || before === 'e' || before === 'k';
  return failedBefore && (status === 'passed' || status === 'flaky') ? 'k' : STATUS_LETTER[status];
}

/** A testcase's per-test result: one that passed after failing first (flakyFailure/flakyError) is flaky. */
export function caseTestStatus(c: { readonly status: CaseStatus; readonly flaky?: true | undefined }): TestStatus {
  return c.status === 'passed' && c.flaky === true ? 'flaky' : c.status;
}

/** Adds a testcase to one run's tests: a test id seen twice in a run adds up, the worse result wins. */
export function addTestSample(into: Map<string, Map<string, TestSample>>, file: string, test: string, sample: TestSample): void {
  let byTest = into.get(file);
  if (!byTest) into.set(file, (byTest = new Map()));
  const seen = byTest.get(test);
  const seconds = Number.isFinite(sample.seconds) && sample.seconds > 0 ? sample.seconds : 0;
  byTest.set(test, seen ? { seconds: seen.seconds + seconds, status: worse(seen.status, sample.status) } : { seconds, status: sample.status });
}

const RANK: Readonly<Record<TestStatus, number>> = { skipped: 0, passed: 1, flaky: 2, failed: 3, error: 4 };

function worse(a: TestStatus, b: TestStatus): TestStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** Samples per test that an estimate looks at: recent enough to follow drift, enough to damp a spike. */
const ESTIMATE_WINDOW = 5;

/**
 * Per-test estimates in seconds: the median of each test's last 5 measured runs. Tests are short
 * and noisy (a GC pause doubles a 20 ms test), and a split only needs their relative sizes, so a
 * plain recent median serves; the file's own estimate (the back-tested rule) stays the total.
 * A file's tests are those of the newest run that measured any of them (as for other timing
 * sources, testEstimatesOf): a test older runs knew was renamed or deleted, and a slice listing
 * it would make the runner fail on an id that no longer exists.
 */
export function testEstimates(history: TestHistory): Map<string, Map<string, number>> {
  // no sorting here: the planner orders tests itself; this runs over every test of a large suite
  const out = new Map<string, Map<string, number>>();
  const window: number[] = [];
  for (const file in history.files) {
    const byTest = new Map<string, number>();
    const tests = history.files[file] ?? {};
    let newest = -1;
    for (const id in tests) {
      const ms = tests[id] ?? [];
      for (let i = ms.length - 1; i > newest; i--) {
        if (ms[i] !== null && ms[i] !== undefined) {
          newest = i;
          break;
        }
      }
    }
    for (const id in tests) {
      const ms = tests[id] ?? [];
      if (ms[newest] === null || ms[newest] === undefined) continue;
      window.length = 0;
      for (let i = ms.length - 1; i >= 0 && window.length < ESTIMATE_WINDOW; i--) {
        const x = ms[i];
        if (x !== null && x !== undefined) window.push(x);
      }
      byTest.set(id, median(window) / 1000);
    }
    if (byTest.size > 0) out.set(file, byTest);
  }
  return out;
}

/** Each test's result per run, oldest first (undefined where it did not run), for reruns and flaky reports. */
export function testResults(history: TestHistory, file: string, test: string): (TestStatus | undefined)[] {
  const ms = history.files[file]?.[test];
  if (!ms) return [];
  const letters = history.results?.[file]?.[test];
  return ms.map((x, i) => {
    const letter = letters?.[i];
    if (letter !== undefined) return LETTER_STATUS[letter];
    return x === null ? undefined : 'passed';
  });
}

function median(values: readonly number[]): number {
  const sorted = values.length === 1 ? values : [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Checks the "tests" key of a parsed history file; `bad` throws the history's one-line error.
 * Every array must be as long as "runs", so that a column always means the same run.
 */
export function validateTestHistory(value: unknown, bad: (what: string) => never): TestHistory {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('"tests" must be an object');
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.runs) || !v.runs.every((r) => typeof r === 'string')) bad('"tests".runs must be an array of run ids');
  const width = (v.runs as unknown[]).length;
  if (typeof v.files !== 'object' || v.files === null || Array.isArray(v.files)) bad('"tests".files must be an object');
  for (const [file, tests] of Object.entries(v.files as Record<string, unknown>)) {
    if (typeof tests !== 'object' || tests === null || Array.isArray(tests)) bad(`"tests".files.${JSON.stringify(file)} must map test ids to arrays`);
    for (const [id, ms] of Object.entries(tests as Record<string, unknown>)) {
      if (!Array.isArray(ms) || ms.length !== width || !ms.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x) && x >= 0))) {
        bad(`"tests".files.${JSON.stringify(file)}.${JSON.stringify(id)} must be ${width} milliseconds (or null), one per run in "tests".runs`);
      }
    }
  }
  if (v.results !== undefined) {
    if (typeof v.results !== 'object' || v.results === null || Array.isArray(v.results)) bad('"tests".results must be an object');
    for (const [file, tests] of Object.entries(v.results as Record<string, unknown>)) {
      if (typeof tests !== 'object' || tests === null) bad(`"tests".results.${JSON.stringify(file)} must be an object`);
      for (const [id, letters] of Object.entries(tests as Record<string, unknown>)) {
        if (typeof letters !== 'string' || letters.length !== width || !/^[pfesk-]*$/.test(letters)) {
          bad(`"tests".results.${JSON.stringify(file)}.${JSON.stringify(id)} must be ${width} letters of p, f, e, s, k or -`);
        }
      }
    }
  }
  return value as TestHistory;
}
