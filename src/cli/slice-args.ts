import type { ShardSlice, SlicingRequest } from '../plan/types.js';
import type { RunnerPreset } from '../runners/index.js';
import { selectionGroups } from '../runners/twins.js';

/**
 * Whether a preset names selected tests as plain arguments that can stand among file arguments in
 * one invocation (pytest's node ids `path::test`), rather than as an option that filters the whole
 * run (`-t`, `--grep`): only then can one command run whole files and slices side by side. Asked
 * of the preset's behaviour, never of its name.
 */
export function selectsAmongFiles(preset: RunnerPreset | undefined): boolean {
  if (preset?.selectTests === undefined) return false;
  return preset.selectTests('a', ['b']).every((arg) => !arg.startsWith('-'));
}

/**
 * What the planner may cut, from what the preset can do: a runner that selects tests and can run
 * "every other test of the file" (by exclusion, or by listing the file's tests) lets a heavy file
 * be split. Selections that stand among files share the shard's one command; any other runs each
 * slice in a command of its own, which the planner charges its start-up.
 */
export function slicingOf(preset: RunnerPreset | undefined): SlicingRequest | undefined {
  if (preset?.selectTests === undefined) return undefined;
  if (selectsAmongFiles(preset)) return preset.listTests === undefined && preset.excludeTests === undefined ? undefined : { selectTests: true };
  if (preset.excludeTests === undefined) return undefined;
  // tests the runner's pattern cannot tell apart (jest's case-insensitive -t) stay in one slice
  return { selectTests: true, commandPerSlice: true, selectionGroups: (_file, tests) => selectionGroups(preset, tests) };
}

/** The arguments that run exactly this slice's tests (its known ones), or undefined when the runner cannot say it among files. */
export function sliceArgs(preset: RunnerPreset | undefined, slice: ShardSlice): string[] | undefined {
  if (!selectsAmongFiles(preset) || slice.tests.length === 0) return undefined;
  return [...preset!.selectTests!(slice.file, slice.tests)];
}
