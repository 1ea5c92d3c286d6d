import { readJUnitFile } from '../junit/read.js';
import type { JUnitCase } from '../junit/types.js';
import type { RunnerPreset } from '../runners/types.js';
import { rerunCommands, selectionShape, type RerunCommand } from './rerun-commands.js';
import { failingTests, namesJunit, rerunBatches, selectionProblem, type RerunBatch } from './retries.js';

export interface FailedInReport {
  /** The failed tests by file, files in report order. */
  readonly batches: RerunBatch[];
  /** Every test id of each file in the report, failed or not (what a shared name filter must not select). */
  readonly known: ReadonlyMap<string, readonly string[]>;
  /** Failed testcases the preset cannot name (no file): not rerun. */
  readonly unknown: number;
}

/** The tests that failed or errored in an earlier (merged) report, as the preset names them. */
export async function failedInReport(path: string, preset: RunnerPreset): Promise<FailedInReport> {
  const cases: JUnitCase[] = [];
  const known = new Map<string, Set<string>>();
  await readJUnitFile(path, (c) => {
    if (c.status === 'failed' || c.status === 'error') cases.push(c);
    const ref = preset.testOf(c);
    if (ref === undefined) return;
    let tests = known.get(ref.file);
    if (!tests) known.set(ref.file, (tests = new Set()));
    tests.add(ref.test);
  });
  const { tests, unknown } = failingTests(cases, preset);
  return { batches: rerunBatches(tests), known: new Map([...known].map(([file, ids]) => [file, [...ids]])), unknown };
}

/** The commands that rerun exactly the failed tests of a shard's files (see rerunCommands). */
export function shardRerunCommands(preset: RunnerPreset, failed: FailedInReport, files: readonly string[]): RerunCommand[] {
  const byFile = new Map(failed.batches.map((b) => [b.file, b]));
  const batches = files.flatMap((file) => {
    const batch = byFile.get(file);
    return batch === undefined ? [] : [batch];
  });
  return rerunCommands(preset, batches, failed.known);
}

/**
 * Why `--rerun-failed` cannot run with these settings, or undefined: it needs a preset that selects
 * tests, and, where a shard may take several commands (a name filter over the whole run), a
 * command that writes its report to `{junit}` (in an argument, or the preset's reporter variables),
 * so that each command writes its own report before they are combined into the shard's.
 */
export function rerunFailedProblem(
  runner: RunnerPreset | undefined,
  junit: string | undefined,
  command: readonly string[],
  commandEnv: Readonly<Record<string, string>> | undefined,
): { message: string; hint: string } | undefined {
  const selection = selectionProblem('--rerun-failed', runner);
  if (selection !== undefined) return selection;
  if (junit === undefined || selectionShape(runner!) === 'among-files') return undefined;
  if (namesJunit(command, commandEnv)) return undefined;
  return {
    message: `--rerun-failed with the ${runner!.name} preset: the command must write its report to {junit}, not a fixed path (a shard may rerun its tests in several commands, each writing its own report)`,
    hint: "use {junit} in the command, or leave out the command to use the preset's",
  };
}
