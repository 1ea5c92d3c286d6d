import { UserError } from '../errors.js';
import { cucumberJs } from './cucumber-js.js';
import { jest } from './jest.js';
import { mocha } from './mocha.js';
import { node } from './node.js';
import { playwright } from './playwright.js';
import { pytest } from './pytest.js';
import { rspec } from './rspec.js';
import type { RunnerPreset } from './types.js';
import { vitest } from './vitest.js';

export type { CommandAdditions, RunnerPreset, TestRef } from './types.js';

/** Every preset by name: the only place that knows there are several. */
const PRESETS: ReadonlyMap<string, RunnerPreset> = new Map(
  [vitest, jest, playwright, mocha, node, cucumberJs, pytest, rspec].map((preset) => [preset.name, preset]),
);

export const RUNNER_NAMES: readonly string[] = [...PRESETS.keys()];

/** The preset called `name`; `from` names where the name came from (a flag or the config) in the error. */
export function runnerPreset(name: string, from = '--runner'): RunnerPreset {
  const preset = PRESETS.get(name);
  if (preset === undefined) {
    throw new UserError(`${from} ${JSON.stringify(name)}: unknown runner; known runners: ${RUNNER_NAMES.join(', ')}`, {
      hint: `e.g. ${from === '--runner' ? '--runner vitest' : '"runner": "vitest"'}`,
    });
  }
  return preset;
}
