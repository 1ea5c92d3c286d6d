import type { ShardSlice } from '../plan/types.js';
import type { RunnerPreset } from '../runners/index.js';

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

/** The arguments that run exactly this slice's tests (its known ones), or undefined when the runner cannot say it among files. */
export function sliceArgs(preset: RunnerPreset | undefined, slice: ShardSlice): string[] | undefined {
  if (!selectsAmongFiles(preset) || slice.tests.length === 0) return undefined;
  return [...preset!.selectTests!(slice.file, slice.tests)];
}
