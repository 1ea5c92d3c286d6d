import { compareCodeUnits } from '../paths.js';

/** A slice as `plan --json` lists it (the parts completeness needs). */
export interface PlannedSlice {
  readonly file: string;
  readonly slice: number;
  readonly of: number;
  readonly tests: readonly string[];
}

export interface SliceCompleteness {
  /** Planned tests of split files that no report holds, as `file::id`, sorted. */
  readonly missingTests: string[];
  /** Tests of split files that ran more than once (in two slices), with how often, sorted. */
  readonly duplicateTests: { readonly test: string; readonly count: number }[];
  /** Slices planned (all split files). */
  readonly slices: number;
}

/**
 * Completeness at the level the plan was made, for split files (pure): a split file is complete
 * when its slices together ran every planned test (a planned test the run found the file no
 * longer holds, `dropped`, is not missing), and a test that ran twice ran in two slices.
 * `ran` counts each split file's testcases by test id in the merged reports.
 */
export function checkSlices(slices: readonly PlannedSlice[], ran: ReadonlyMap<string, ReadonlyMap<string, number>>, dropped: ReadonlySet<string> = new Set()): SliceCompleteness {
  const missingTests: string[] = [];
  const planned = new Map<string, Set<string>>();
  for (const slice of slices) {
    let tests = planned.get(slice.file);
    if (!tests) planned.set(slice.file, (tests = new Set()));
    for (const test of slice.tests) tests.add(test);
  }
  const duplicateTests: { test: string; count: number }[] = [];
  for (const [file, tests] of planned) {
    const seen = ran.get(file);
    for (const test of tests) if ((seen?.get(test) ?? 0) === 0 && !dropped.has(`${file}::${test}`)) missingTests.push(`${file}::${test}`);
    for (const [test, count] of seen ?? []) if (count > 1) duplicateTests.push({ test: `${file}::${test}`, count });
  }
  return {
    missingTests: missingTests.sort(compareCodeUnits),
    duplicateTests: duplicateTests.sort((a, b) => compareCodeUnits(a.test, b.test)),
    slices: slices.length,
  };
}
