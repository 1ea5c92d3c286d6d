import { execa } from 'execa';
import type { Plan, ShardSlice } from '../plan/types.js';
import type { RunnerPreset } from '../runners/index.js';

export interface SliceSelection {
  /** Arguments that run the shard's slices, placed after its whole files. */
  readonly args: string[];
  /** The split files those arguments select from (the shard note lists them). */
  readonly files: string[];
  /** Planned tests the files no longer hold (`file::id`): not selected, and not missing either. */
  readonly dropped: string[];
  /** What the user should know (a file that could not be listed, a slice with nothing left). */
  readonly notes: string[];
}

/**
 * The command-line arguments for one shard's slices. Where the runner can list a file's tests
 * (enumeration), each slice runs its tests that the file still holds (a test history knows but
 * the file lost is simply not selected), and slice 1 also every test the file holds that no
 * other slice lists: a test added since the history was recorded runs exactly once. Without
 * enumeration a slice runs the tests it lists.
 */
export async function selectSlices(options: {
  readonly plan: Plan;
  readonly shard: number;
  readonly preset: RunnerPreset;
  /** The test command template (the user's, else the preset's) without the reporter. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<SliceSelection> {
  const { plan, preset } = options;
  const mine = plan.shards[options.shard - 1]?.slices ?? [];
  const select = preset.selectTests;
  if (mine.length === 0 || select === undefined) return { args: [], files: [], dropped: [], notes: [] };
  const args: string[] = [];
  const files: string[] = [];
  const dropped: string[] = [];
  const notes: string[] = [];
  for (const slice of mine) {
    const listed = await listTests(preset, slice.file, options);
    let tests: string[];
    if (listed === undefined) {
      tests = [...slice.tests];
      if (preset.listTests !== undefined) notes.push(`${slice.file}: could not list its tests; slice ${slice.slice} of ${slice.of} runs the ${tests.length} it was planned with`);
    } else if (slice.slice === 1) {
      const others = otherSlicesTests(plan, slice);
      tests = listed.filter((test) => !others.has(test));
    } else {
      const now = new Set(listed);
      tests = slice.tests.filter((test) => now.has(test));
    }
    if (listed !== undefined) {
      const now = new Set(listed);
      for (const test of slice.tests) if (!now.has(test)) dropped.push(`${slice.file}::${test}`);
    }
    if (tests.length === 0) {
      notes.push(`${slice.file}: slice ${slice.slice} of ${slice.of} has no tests left to run`);
      continue;
    }
    args.push(...select(slice.file, tests));
    files.push(slice.file);
  }
  return { args, files: [...new Set(files)], dropped, notes };
}

/** Tests of the file's other slices, on any shard of the plan. */
function otherSlicesTests(plan: Plan, slice: ShardSlice): Set<string> {
  const out = new Set<string>();
  for (const shard of plan.shards) {
    for (const other of shard.slices ?? []) if (other.file === slice.file && other.slice !== slice.slice) for (const test of other.tests) out.add(test);
  }
  return out;
}

async function listTests(preset: RunnerPreset, file: string, options: { command: readonly string[]; cwd: string; env: NodeJS.ProcessEnv }): Promise<string[] | undefined> {
  if (preset.listTests === undefined) return undefined;
  const [program, ...rest] = options.command;
  if (program === undefined) return undefined;
  const listing = [...preset.listTests.args(file)];
  const at = rest.indexOf('{files}');
  const argv = at === -1 ? [...rest, ...listing] : [...rest.slice(0, at), ...listing, ...rest.slice(at + 1)];
  const result = await execa(program, argv, { cwd: options.cwd, env: options.env, reject: false, stdin: 'ignore' });
  if (result.failed && typeof result.exitCode !== 'number') return undefined;
  const tests = preset.listTests.parse(String(result.stdout), file);
  // nothing listed (a collection error, or ids relative to another root than ours): run what was
  // planned instead, so that a test is never dropped silently; a lost one then fails loudly
  return tests.length === 0 ? undefined : tests;
}
