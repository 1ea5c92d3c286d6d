import type { JUnitCase } from '../junit/types.js';
import type { RunnerPreset, TestRef } from '../runners/types.js';

/** One rerun command: some tests of one file (name filters are global, so one file per command). */
export interface RerunBatch {
  readonly file: string;
  readonly tests: readonly string[];
}

/** The key a test is known by across attempts. */
export const testKey = (ref: TestRef): string => `${ref.file}\u0000${ref.test}`;

/** A failed or errored testcase. */
export const isFailing = (c: Pick<JUnitCase, 'status'>): boolean => c.status === 'failed' || c.status === 'error';

/**
 * The failing tests of a report as the preset names them, each once, in report order; `unknown`
 * counts failing testcases the preset cannot name (they cannot be rerun, so the shard fails).
 */
export function failingTests(cases: readonly JUnitCase[], preset: Pick<RunnerPreset, 'testOf'>): { tests: TestRef[]; unknown: number } {
  const tests: TestRef[] = [];
  const seen = new Set<string>();
  let unknown = 0;
  for (const c of cases) {
    if (!isFailing(c)) continue;
    const ref = preset.testOf(c);
    if (ref === undefined) {
      unknown++;
      continue;
    }
    const key = testKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    tests.push(ref);
  }
  return { tests, unknown };
}

/** The tests grouped by file, files in first-seen order. */
export function rerunBatches(tests: readonly TestRef[]): RerunBatch[] {
  const byFile = new Map<string, string[]>();
  for (const { file, test } of tests) {
    const list = byFile.get(file) ?? [];
    if (list.length === 0) byFile.set(file, list);
    list.push(test);
  }
  return [...byFile].map(([file, list]) => ({ file, tests: list }));
}

/**
 * Why `--retries` cannot run with these settings, or undefined: it needs a preset that selects
 * tests, a report to read the failures from, and `{junit}` in the command or in the preset's
 * reporter variables (jest, playwright), so that each rerun writes its own report.
 */
export function retriesProblem(
  runner: RunnerPreset | undefined,
  junit: string | undefined,
  command: readonly string[],
  commandEnv: Readonly<Record<string, string>> | undefined,
): { message: string; hint: string } | undefined {
  const selection = selectionProblem('--retries', runner);
  if (selection !== undefined) return selection;
  if (junit === undefined) return { message: '--retries needs --junit: the failed tests are read from the report', hint: 'e.g. --junit reports/junit-{shard}.xml' };
  if (!namesJunit(command, commandEnv)) {
    return {
      message: '--retries: the command must write its report to {junit}, not a fixed path (each rerun writes its own)',
      hint: "use {junit} in the command, or leave out the command to use the preset's",
    };
  }
  return undefined;
}

/** Whether the command (or the preset's reporter variables) writes its report to `{junit}`, so each rerun can write its own. */
export function namesJunit(command: readonly string[], commandEnv: Readonly<Record<string, string>> | undefined): boolean {
  return [...command, ...Object.values(commandEnv ?? {})].some((value) => value.includes('{junit}'));
}

/** `flag` needs a preset that selects single tests: why not, or undefined. */
export function selectionProblem(flag: string, runner: RunnerPreset | undefined): { message: string; hint: string } | undefined {
  if (runner?.selectTests !== undefined) return undefined;
  const why = runner === undefined ? 'no --runner given' : `the ${runner.name} preset cannot select single tests`;
  return { message: `${flag} needs --runner with test selection (${why})`, hint: `e.g. --runner vitest, or drop ${flag}` };
}
