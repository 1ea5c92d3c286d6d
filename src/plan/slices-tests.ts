import { compareCodeUnits } from '../paths.js';
import type { TimingRun } from './types.js';

/** Runs per test that an estimate looks at (as the history's own per-test estimate does). */
const WINDOW = 5;

/**
 * Each file's tests as the newest run that measured its tests saw them, each estimated by the
 * median of its seconds in the last five such runs. A test only older runs knew was renamed or
 * deleted: it is not selected (the designated slice still runs whatever the file holds now).
 * `runs` oldest first (orderRuns); ids sorted by code units, so the result is canonical.
 */
export function testEstimatesOf(runs: readonly TimingRun[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const newest = new Map<string, ReadonlyMap<string, number>>();
  const samples = new Map<string, Map<string, number[]>>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const tests = runs[r]!.tests;
    if (tests === undefined) continue;
    for (const [file, byTest] of tests) {
      if (!newest.has(file)) {
        newest.set(file, byTest);
        samples.set(file, new Map([...byTest.keys()].map((id) => [id, []])));
      }
      const lists = samples.get(file)!;
      for (const [id, seconds] of byTest) {
        const list = lists.get(id);
        if (list !== undefined && list.length < WINDOW && Number.isFinite(seconds) && seconds >= 0) list.push(seconds);
      }
    }
  }
  for (const file of [...samples.keys()].sort(compareCodeUnits)) {
    const byTest = new Map<string, number>();
    const lists = samples.get(file)!;
    for (const id of [...lists.keys()].sort(compareCodeUnits)) byTest.set(id, median(lists.get(id)!));
    out.set(file, byTest);
  }
  return out;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
