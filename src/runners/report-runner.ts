import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { RUNNER_NAMES, runnerPreset, type RunnerPreset } from './index.js';
import { expandTimingPatterns } from '../timings/expand.js';

export interface ReportRunner {
  readonly preset: RunnerPreset;
  /** The report recognised, as given. */
  readonly report: string;
  /** The runner's config file found in the project root, if any. */
  readonly configFile: string | undefined;
}

/**
 * For `record` and `merge --record` when nothing names the test files (no --runner, no "runner"
 * or "tests" in the config, no file list): the preset whose own JUnit the reports are, among the
 * presets whose reports only the real file list keys (Playwright's name files relative to its
 * testDir). Undefined when no report is recognised or the reports cannot be read (the caller's
 * own reading then says why).
 */
export async function runnerOfReports(reports: readonly string[], cwd: string, root: string): Promise<ReportRunner | undefined> {
  const presets = RUNNER_NAMES.map((name) => runnerPreset(name)).filter((preset) => preset.ownReport !== undefined);
  if (presets.length === 0) return undefined;
  let sources: { source: string; absolute: string }[];
  try {
    sources = (await expandTimingPatterns(reports, cwd, { folderPatterns: ['**/*.xml'] })).sources;
  } catch {
    return undefined;
  }
  for (const { source, absolute } of sources) {
    const head = await readHead(absolute);
    const preset = head === undefined ? undefined : presets.find((p) => p.ownReport!.recognize(head));
    if (preset !== undefined) return { preset, report: source, configFile: preset.ownReport!.configFiles.find((file) => existsSync(join(root, file))) };
  }
  return undefined;
}

/** One line for stderr: what was recognised and what was done, or the fix when nothing could be. */
export function describeReportRunner(found: ReportRunner): { readonly kind: 'note' | 'warn'; readonly text: string } {
  const { preset, report, configFile } = found;
  const what = `${report} is ${preset.name}'s own JUnit, which ${preset.ownReport!.paths}`;
  if (configFile !== undefined) return { kind: 'note', text: `${what}: keyed by the test files --runner ${preset.name} finds (${configFile} is here)` };
  return {
    kind: 'warn',
    text: `${what}, and no ${preset.ownReport!.configFiles[0]} is here: recorded as it names them; pass --runner ${preset.name} (or "runner" in the config) from the folder of its config`,
  };
}

async function readHead(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
