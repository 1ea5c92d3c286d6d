/**
 * The flakiest tests and files: from the history's per-test results (letter k: passed on a rerun
 * after failing first), how many runs each test and each file was flaky in, and the last such run.
 * Pure: the same history gives the same lists.
 */
import { compareCodeUnits } from '../paths.js';
import type { RunSummary } from '../timings/history-types.js';
import type { TestHistory } from '../timings/test-history-types.js';
import type { FlakiestFile, FlakiestTest } from './types.js';

export interface Flakiest {
  readonly tests: FlakiestTest[];
  readonly files: FlakiestFile[];
}

/**
 * `inWindow` says which run ids the report covers (--last); `runById` gives a last-seen run its
 * time. Ordered by flaky runs (most first), then the most recent last-seen, then name; `top` rows.
 */
export function flakiest(
  tests: TestHistory | undefined,
  inWindow: (run: string) => boolean,
  runById: ReadonlyMap<string, RunSummary>,
  top: number,
): Flakiest {
  if (tests?.results === undefined) return { tests: [], files: [] };
  const runs = tests.runs;
  const foundTests: (FlakiestTest & { lastIndex: number })[] = [];
  const foundFiles: (FlakiestFile & { lastIndex: number })[] = [];
  for (const file of Object.keys(tests.results).sort(compareCodeUnits)) {
    const byTest = tests.results[file] ?? {};
    const fileRuns = new Set<number>();
    let fileTests = 0;
    for (const test of Object.keys(byTest).sort(compareCodeUnits)) {
      const letters = byTest[test] ?? '';
      let count = 0;
      let lastIndex = -1;
      for (let i = 0; i < letters.length && i < runs.length; i++) {
        if (letters[i] !== 'k' || !inWindow(runs[i]!)) continue;
        count++;
        lastIndex = i;
        fileRuns.add(i);
      }
      if (count === 0) continue;
      fileTests++;
      foundTests.push({ file, test, flakyRuns: count, lastSeenRun: runs[lastIndex]!, lastSeenTime: runById.get(runs[lastIndex]!)?.time ?? null, lastIndex });
    }
    if (fileRuns.size === 0) continue;
    const lastIndex = Math.max(...fileRuns);
    foundFiles.push({ file, flakyRuns: fileRuns.size, flakyTests: fileTests, lastSeenRun: runs[lastIndex]!, lastSeenTime: runById.get(runs[lastIndex]!)?.time ?? null, lastIndex });
  }
  const order = <T extends { flakyRuns: number; lastIndex: number; file: string }>(key: (x: T) => string) => (a: T, b: T): number =>
    b.flakyRuns - a.flakyRuns || b.lastIndex - a.lastIndex || compareCodeUnits(key(a), key(b));
  foundTests.sort(order((x) => `${x.file}\u0000${x.test}`));
  foundFiles.sort(order((x) => x.file));
  return {
    tests: foundTests.slice(0, top).map(({ lastIndex: _, ...t }) => t),
    files: foundFiles.slice(0, top).map(({ lastIndex: _, ...f }) => f),
  };
}
