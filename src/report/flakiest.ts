/**
 * Flaky tests and files, by one rule (FLAKY_RULE): flaky in a run means failed, then passed on the
 * same code within that run. The per-test history keeps it as letter k: a test that passed on a
 * `run --retries` rerun (<flakyFailure> children), or passed when the run was recorded again (a
 * retried CI job under the same run id), or passed in a recorded `run --rerun-failed` of that
 * run's report. A file is flaky in a run when one of its tests is, or, in a history without
 * per-test results, when its samples of that run go from failed to passed. Two runs that merely
 * disagree are no evidence: the code may have changed between them. Pure.
 */
import { compareCodeUnits } from '../paths.js';
import type { HistorySample, RunSummary } from '../timings/history-types.js';
import type { TestHistory } from '../timings/test-history-types.js';
import type { FlakiestFile, FlakiestTest, FlakyFile } from './types.js';

/** The rule, as the report states it (text, HTML, and the JSON's `flakyRule`). */
export const FLAKY_RULE =
  'failed, then passed on the same code in the same run (a --retries rerun, the run recorded again, or a recorded run --rerun-failed of its report); a file is flaky in a run when one of its tests is';

export interface FlakyInput {
  /** The per-test history (letters), if any. */
  readonly tests: TestHistory | undefined;
  /** Per file, its samples in the report's window, in recorded order. */
  readonly samples: ReadonlyMap<string, readonly HistorySample[]>;
  /** Whether a run id is in the report's window (--last). */
  readonly inWindow: (run: string) => boolean;
  /** The history's run summaries by id, oldest first (a run's place and time). */
  readonly runById: ReadonlyMap<string, RunSummary>;
  /** Rows in the flakiest lists. */
  readonly top: number;
}

export interface Flakiest {
  /** The flakiest tests and files, at most `top` each. */
  readonly tests: FlakiestTest[];
  readonly files: FlakiestFile[];
  /** Every flaky file with the runs it failed and passed in, flakiest first (the report's `flaky`). */
  readonly flaky: FlakyFile[];
}

/** One file in one run. */
interface RunOutcome {
  failedAtFirst: boolean;
  /** Still failed at the end of the run. */
  endedFailed: boolean;
  flaky: boolean;
  /** From per-test results (they win over the file's samples for how the run ended). */
  perTest: boolean;
}

export function flakiest(input: FlakyInput): Flakiest {
  const { tests, inWindow, runById } = input;
  const place = new Map([...runById.keys()].map((id, i) => [id, i]));
  const rank = (run: string): number => place.get(run) ?? -1;
  const byFile = new Map<string, Map<string, RunOutcome>>();
  const outcome = (file: string, run: string): RunOutcome => {
    let runs = byFile.get(file);
    if (!runs) byFile.set(file, (runs = new Map()));
    let o = runs.get(run);
    if (!o) runs.set(run, (o = { failedAtFirst: false, endedFailed: false, flaky: false, perTest: false }));
    return o;
  };

  const foundTests: (FlakiestTest & { last: number })[] = [];
  const flakyTestsOf = new Map<string, number>();
  const columns = tests?.runs ?? [];
  for (const file of Object.keys(tests?.files ?? {}).sort(compareCodeUnits)) {
    const byTest = tests!.files[file] ?? {};
    for (const test of Object.keys(byTest).sort(compareCodeUnits)) {
      const ms = byTest[test] ?? [];
      const letters = tests!.results?.[file]?.[test];
      let count = 0;
      let last = '';
      for (let i = 0; i < columns.length; i++) {
        const run = columns[i]!;
        const letter = letters?.[i] ?? (ms[i] === null || ms[i] === undefined ? '-' : 'p');
        if (letter === '-' || !inWindow(run)) continue;
        const o = outcome(file, run);
        if (!o.perTest) {
          o.perTest = true;
          o.endedFailed = false;
        }
        if (letter === 'f' || letter === 'e') o.failedAtFirst = o.endedFailed = true;
        if (letter !== 'k') continue;
        o.failedAtFirst = o.flaky = true;
        count++;
        last = run;
      }
      if (count === 0) continue;
      flakyTestsOf.set(file, (flakyTestsOf.get(file) ?? 0) + 1);
      foundTests.push({ file, test, flakyRuns: count, lastSeenRun: last, lastSeenTime: runById.get(last)?.time ?? null, last: rank(last) });
    }
  }
  // a history without per-test results: the file's own samples of one run, failed then passed
  for (const [file, list] of input.samples) {
    for (const [i, s] of list.entries()) {
      if (!inWindow(s.run)) continue;
      const o = outcome(file, s.run);
      const failed = s.status === 'failed' || s.status === 'error';
      if (failed) o.failedAtFirst = true;
      if (s.status === 'passed' && list.slice(0, i).some((p) => p.run === s.run && (p.status === 'failed' || p.status === 'error'))) o.flaky = true;
      if (!o.perTest && s.status !== undefined && s.status !== 'skipped') o.endedFailed = failed;
    }
  }

  const files: { file: string; flakyRuns: string[]; failed: number; passed: number; lastFailed: string | null }[] = [];
  for (const [file, runs] of byFile) {
    const ordered = [...runs].sort(([a], [b]) => rank(a) - rank(b) || compareCodeUnits(a, b));
    const flakyRuns = ordered.filter(([, o]) => o.flaky).map(([run]) => run);
    if (flakyRuns.length === 0) continue;
    const failedRuns = ordered.filter(([, o]) => o.failedAtFirst).map(([run]) => run);
    files.push({ file, flakyRuns, failed: failedRuns.length, passed: ordered.filter(([, o]) => !o.endedFailed).length, lastFailed: failedRuns.at(-1) ?? null });
  }
  const newest = (f: (typeof files)[number]): number => rank(f.flakyRuns.at(-1)!);
  files.sort((a, b) => b.flakyRuns.length - a.flakyRuns.length || newest(b) - newest(a) || compareCodeUnits(a.file, b.file));
  foundTests.sort((a, b) => b.flakyRuns - a.flakyRuns || b.last - a.last || compareCodeUnits(`${a.file}\u0000${a.test}`, `${b.file}\u0000${b.test}`));
  return {
    tests: foundTests.slice(0, input.top).map(({ last: _, ...t }) => t),
    files: files.slice(0, input.top).map((f) => {
      const last = f.flakyRuns.at(-1)!;
      return { file: f.file, flakyRuns: f.flakyRuns.length, flakyTests: flakyTestsOf.get(f.file) ?? 0, lastSeenRun: last, lastSeenTime: runById.get(last)?.time ?? null };
    }),
    flaky: files.map((f) => ({ file: f.file, failures: f.failed, passes: f.passed, evidence: 'same-run', runs: f.flakyRuns, lastFailedRun: f.lastFailed })),
  };
}
