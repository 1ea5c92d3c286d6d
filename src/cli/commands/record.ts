import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_HISTORY_PATH } from '../../config/types.js';
import { UserError } from '../../errors.js';
import { recordReports } from '../../timings/record.js';
import { loadConfig } from '../config.js';
import { discoverFiles } from '../discover.js';
import { groupSpec } from '../resolve-plan.js';
import { recognisedRunner } from '../report-files.js';
import { presetTestId, selectedRunner } from '../runner-option.js';
import { note, warn } from '../warn.js';

interface RecordArgs {
  reports?: string[];
  history?: string;
  runId?: string;
  tests?: string[];
  filesFrom?: string;
  config?: string;
  groupByDir?: number;
  json?: boolean;
  runner?: string;
}

/** `split-tests record <reports...>`: add one run's JUnit reports to the timing history. */
export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record [reports..]',
  describe: "Add a run's JUnit reports (files, folders, globs) to the timing history",
  builder: (y: Argv<object>) =>
    y
      .positional('reports', { type: 'string', array: true, describe: 'JUnit reports of the run: files, folders or globs' })
      .option('history', {
        type: 'string',
        requiresArg: true,
        describe: `History file (default: "history" in the config, else ${DEFAULT_HISTORY_PATH})`,
      })
      .option('run-id', {
        type: 'string',
        requiresArg: true,
        describe: "The run's id (default: the CI's pipeline/workflow/build id, else the time)",
      })
      .option('tests', {
        type: 'string',
        array: true,
        nargs: 1,
        requiresArg: true,
        describe: 'Test file globs to map testcases to (default: "tests" of the config); repeatable',
      })
      .option('files-from', { type: 'string', requiresArg: true, describe: "Test files to map testcases to, one per line ('-' for stdin)" })
      .option('config', { type: 'string', requiresArg: true, describe: 'Config file (default: split-tests.config.json)' })
      .option('runner', { type: 'string', requiresArg: true, describe: 'Test runner preset whose test file pattern finds the files to map testcases to (default: "runner" in the config)' })
      .option('group-by-dir', { type: 'number', requiresArg: true, describe: 'Record seconds per group of the first DEPTH folders' })
      .option('json', { type: 'boolean', describe: 'Print the recorded run as one JSON document' }) as unknown as Argv<RecordArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const reports = (args.reports ?? []).filter((r) => r !== '');
    if (reports.length === 0) {
      throw new UserError('record: no reports given', { hint: 'e.g. split-tests record "reports/*.xml" --history .split-tests/history.json' });
    }
    if (args.runId !== undefined && args.runId.trim() === '') {
      throw new UserError('--run-id: empty id', { hint: 'pass a non-empty id, or leave the flag out to use the CI run id' });
    }
    const config = await loadConfig({ cwd, path: args.config });
    // the flag is relative to where the user stands, the config's path to the config's folder
    const historyPath =
      args.history !== undefined ? resolve(cwd, args.history) : resolve(config.root, config.config.history ?? DEFAULT_HISTORY_PATH);
    const shown = args.history ?? config.config.history ?? DEFAULT_HISTORY_PATH;
    // a runner preset's pattern finds the files when the config names none (playwright names cases
    // after the file relative to its testDir, which only the real file list resolves)
    let runner = selectedRunner(args, config);
    const namedFiles = config.config.tests !== undefined || (args.tests ?? []).length > 0 || args.filesFrom !== undefined;
    // nothing names the files: a runner whose own reports only its file list keys (playwright) is recognised by its reports
    if (runner === undefined && !namedFiles) runner = await recognisedRunner(reports, cwd, config.root);
    const files = await testFiles(args, config.config.tests ?? runner?.testPatterns, config.root, cwd, runner?.testPatterns);
    // one of a preset's patterns matching nothing is normal
    const fileWarnings = config.config.tests === undefined && runner !== undefined ? files.warnings.filter((w) => !w.startsWith('test glob ')) : files.warnings;
    const result = await recordReports({
      reports,
      historyPath,
      historyLabel: shown,
      runId: args.runId,
      env: process.env,
      files: files.files,
      groups: groupSpec({ groupByDir: args.groupByDir }, config),
      limits: { runs: config.config.historyRuns, runsPerFile: config.config.historyRunsPerFile },
      cwd,
      testId: runner === undefined ? undefined : presetTestId(runner),
    });
    for (const message of [...fileWarnings, ...result.warnings]) warn(message);
    const { run } = result;
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({
          schemaVersion: 1,
          history: shown,
          runIdSource: result.runIdSource,
          reports: result.reports,
          unmappedCases: result.unmappedCases,
          contention: result.contention,
          runsKept: result.history.runs.length,
          run,
          ...(result.rerun !== undefined ? { rerun: result.rerun } : {}),
          warnings: result.warnings,
        })}\n`,
      );
    }
    if (result.rerun !== undefined) {
      const { flaky, failing, unmatched } = result.rerun;
      const also = unmatched > 0 ? `; ${unmatched} had not failed there` : '';
      note(`recorded a rerun of run ${run.id}: ${flaky} test${flaky === 1 ? '' : 's'} flaky there (failed, then passed on the rerun), ${failing} failed again${also}, into ${shown}`);
      return;
    }
    const shards = run.shards.length;
    const corrected = result.contention.length > 0 ? `, ${result.contention.length} shard${result.contention.length === 1 ? '' : 's'} corrected for parallel contention` : '';
    const failed = run.failedFiles.length > 0 ? `, ${run.failedFiles.length} failed` : '';
    note(
      `recorded run ${run.id}: ${run.fileCount} file${run.fileCount === 1 ? '' : 's'}, ${run.totalSeconds.toFixed(1)}s` +
        `${shards > 0 ? ` over ${shards} shard${shards === 1 ? '' : 's'}` : ''}${failed}${corrected} into ${shown} (${result.history.runs.length} run${result.history.runs.length === 1 ? '' : 's'} kept)`,
    );
  },
};

/**
 * The test files that testcases are mapped to, so that the history is keyed by real paths even for
 * producers that only give class names. Without flags or config `tests`, none: each case's own
 * location names its file. Config globs that match nothing are a warning here: recording must not
 * fail because the tests moved.
 */
async function testFiles(
  args: RecordArgs,
  configTests: readonly string[] | undefined,
  root: string,
  cwd: string,
  testPattern?: readonly string[],
): Promise<{ files?: string[] | undefined; warnings: string[] }> {
  const fromFlags = (args.tests !== undefined && args.tests.length > 0) || args.filesFrom !== undefined;
  if (!fromFlags && (configTests === undefined || configTests.length === 0)) return { warnings: [] };
  try {
    const found = await discoverFiles({ globs: args.tests, filesFrom: args.filesFrom, configTests, cwd, root, stdin: process.stdin, testPattern });
    return { files: found.files, warnings: found.warnings };
  } catch (error) {
    if (fromFlags || !(error instanceof UserError)) throw error;
    return { warnings: [`${error.message}; testcases are mapped by their own file or suite names`] };
  }
}
