import type { RunnerPreset } from '../runners/index.js';
import { describeReportRunner, runnerOfReports } from '../runners/report-runner.js';
import type { LoadedConfig } from './config.js';
import { discoverFiles } from './discover.js';
import { note, warn } from './warn.js';

/**
 * When nothing names the test files (no --runner, no "runner" or "tests" in the config, no file
 * list): the preset whose own reports these are and whose config is in the project root, so that
 * `record` keys them as `--runner NAME` would (Playwright names files relative to its testDir).
 * Says on stderr what it recognised, or the fix when the runner's config is not here.
 */
export async function recognisedRunner(reports: readonly string[], cwd: string, root: string): Promise<RunnerPreset | undefined> {
  const found = await runnerOfReports(reports, cwd, root);
  if (found === undefined) return undefined;
  const line = describeReportRunner(found);
  (line.kind === 'note' ? note : warn)(line.text);
  return found.configFile === undefined ? undefined : found.preset;
}

/**
 * The files `merge --record` keys testcases by: the planned ones, else, for a recognised runner's
 * own reports, the files its pattern finds (and that preset, for test ids).
 */
export async function recordedFiles(input: {
  readonly planned: readonly string[] | undefined;
  readonly config: LoadedConfig;
  readonly reports: readonly string[];
  readonly cwd: string;
}): Promise<{ files: readonly string[] | undefined; runner: RunnerPreset | undefined }> {
  const { planned, config, cwd } = input;
  if (planned !== undefined || config.config.runner !== undefined || config.config.tests !== undefined) return { files: planned, runner: undefined };
  const runner = await recognisedRunner(input.reports, cwd, config.root);
  if (runner === undefined) return { files: undefined, runner: undefined };
  try {
    const found = await discoverFiles({ configTests: runner.testPatterns, cwd, root: config.root, testPattern: runner.testPatterns });
    return { files: found.files, runner };
  } catch {
    return { files: undefined, runner: undefined };
  }
}
