import { basename } from 'node:path';
import { runnerPreset, type RunnerPreset } from '../runners/index.js';
import type { JUnitCase } from '../junit/types.js';
import { defaultTestId, type TestIdOf } from '../timings/test-ids.js';
import type { LoadedConfig } from './config.js';
import type { CommonArgs } from './options.js';

/** `--runner NAME`, else "runner" of the config: its preset, or undefined when neither names one. */
export function selectedRunner(args: Pick<CommonArgs, 'runner'>, config: LoadedConfig): RunnerPreset | undefined {
  if (args.runner !== undefined) return runnerPreset(String(args.runner), '--runner');
  const fromConfig = config.config.runner;
  if (fromConfig === undefined) return undefined;
  return runnerPreset(fromConfig, `${config.path === undefined ? 'config' : basename(config.path)} "runner"`);
}

/** A testcase's id in the per-test history as the preset maps it (what its selectTests takes). */
export function presetTestId(preset: RunnerPreset): TestIdOf {
  return (file: string, c: JUnitCase) => preset.testOf(c)?.test ?? defaultTestId(file, c);
}
