import type { RunnerPreset } from './types.js';

export interface PresetCommand {
  /** The command template for `run` (`{files}`, `{junit}`, `{shard}`, `{total}` still in place). */
  readonly command: string[];
  /** Variables for the child, placeholders still in place. */
  readonly env: Record<string, string>;
}

/**
 * The command `run` starts with a preset: the user's own command when there is one, else the
 * preset's, plus what makes the runner write its JUnit report to `--junit` with a file on every
 * testcase. A command that already writes that report (it names `{junit}` or the --junit path)
 * gets nothing added. The reporter's arguments go before the files: runners read options there.
 */
export function commandWithPreset(preset: RunnerPreset, given: readonly string[] | undefined, junit: string | undefined): PresetCommand {
  const base = given !== undefined && given.length > 0 ? [...given] : [...preset.command];
  if (junit === undefined || base.some((arg) => arg.includes('{junit}') || arg.includes(junit))) return { command: base, env: {} };
  const reporter = preset.junitReporter('{junit}');
  const at = base.indexOf('{files}');
  const command = at === -1 ? [...base, ...reporter.args, '{files}'] : [...base.slice(0, at), ...reporter.args, ...base.slice(at)];
  return { command, env: { ...reporter.env } };
}
