/**
 * `record` of a `run --rerun-failed` (its shard notes say `rerunOf`): each of its tests failed in
 * an earlier run, so one that passes now failed and then passed on the same code. It is flaky in
 * the run it failed in (letter k there), the same verdict `--retries` gives inside one run. The
 * rerun adds no run of its own: its reports hold only the failed tests, whose file times would
 * teach the planner that those files are nearly free. Pure.
 */
import type { RunTests, TestHistory } from './test-history-types.js';

const FAILED = new Set(['f', 'e']);

/**
 * The run a rerun belongs to: `preferred` (the --run-id, or the CI's run id: a rerun job in the
 * same pipeline) when the history has it, else the newest run in which one of the rerun's tests
 * failed or errored (the run whose report was rerun); undefined when none did.
 */
export function rerunOriginal(tests: TestHistory | undefined, rerun: RunTests, preferred: string | undefined): string | undefined {
  if (tests === undefined) return undefined;
  if (preferred !== undefined && tests.runs.includes(preferred)) return preferred;
  let newest = -1;
  for (const [file, byTest] of rerun) {
    for (const test of byTest.keys()) {
      const letters = tests.results?.[file]?.[test];
      if (letters === undefined) continue;
      for (let i = letters.length - 1; i > newest; i--) {
        if (FAILED.has(letters[i]!)) {
          newest = i;
          break;
        }
      }
    }
  }
  return newest < 0 ? undefined : tests.runs[newest];
}

export interface RerunMarks {
  readonly tests: TestHistory;
  /** Tests now flaky in the run (`file::test`): failed there, passed on the rerun. */
  readonly flaky: string[];
  /** Rerun tests that failed again (they stay failed in the run). */
  readonly failing: number;
  /** Rerun tests that had not failed in that run (nothing to mark). */
  readonly unmatched: number;
}

/** Marks k in `run`'s column for every rerun test that passed and had failed or errored there. */
export function markRerunFlaky(tests: TestHistory, run: string, rerun: RunTests): RerunMarks {
  const column = tests.runs.indexOf(run);
  const results: Record<string, Record<string, string>> = {};
  for (const [file, byTest] of Object.entries(tests.results ?? {})) results[file] = { ...byTest };
  const flaky: string[] = [];
  let failing = 0;
  let unmatched = 0;
  for (const [file, byTest] of rerun) {
    for (const [test, sample] of byTest) {
      if (sample.status === 'skipped') continue; // a test the filter left out, or skipped now: no verdict
      const letters = results[file]?.[test];
      if (column < 0 || letters === undefined || !FAILED.has(letters[column]!)) {
        unmatched++;
        continue;
      }
      if (sample.status === 'failed' || sample.status === 'error') {
        failing++;
        continue;
      }
      results[file]![test] = `${letters.slice(0, column)}k${letters.slice(column + 1)}`;
      flaky.push(`${file}::${test}`);
    }
  }
  return { tests: { ...tests, results }, flaky, failing, unmatched };
}
