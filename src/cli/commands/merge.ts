import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_HISTORY_PATH } from '../../config/types.js';
import { ExitCode, UserError, isUserError } from '../../errors.js';
import { checkCompleteness, plannedFiles, type Completeness } from '../../junit/completeness.js';
import type { PlannedSlice, SliceCompleteness } from '../../junit/slice-completeness.js';
import { expandReportInputs } from '../../junit/inputs.js';
import { formatSeconds, type MergeResult } from '../../junit/merge.js';
import { mergeReportsInWorker } from '../../junit/merge-worker.js';
import { readShardNotes } from '../../junit/shard-notes.js';
import { trimUnreportedFallbacks } from '../../queue/fallback-merge.js';
import { findPlaceholderReports } from '../../run/placeholder-report.js';
import { parseFileList } from '../discover.js';
import { note, warn } from '../warn.js';

interface MergeArgs {
  reports?: string[];
  output?: string;
  plan?: string;
  filesFrom?: string;
  json?: boolean;
  strict?: boolean;
  record?: boolean;
  history?: string;
  runId?: string;
  allowFailures?: boolean;
}

const LIST_LIMIT = 20;

interface PlannedFromPlan {
  readonly files: string[];
  readonly fingerprint?: string | undefined;
  /** Slices of split files (their files are in `files` too: each must have testcases). */
  readonly slices: PlannedSlice[];
  /** The runner preset the plan named its slices' test ids with. */
  readonly runner?: string | undefined;
}

/** `plan --json` output: `shards[].files` (and its fingerprint). */
async function readPlanFile(path: string): Promise<PlannedFromPlan> {
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`--plan ${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(error)})`}`, {
      hint: "write it with 'split-tests plan --shards N --json > plan.json'",
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--plan ${path}: not JSON (${(error as Error).message})`, { hint: "write it with 'split-tests plan --shards N --json > plan.json'" });
  }
  const shards = (value as { shards?: unknown } | null)?.shards;
  if (!Array.isArray(shards) || !shards.every((s) => Array.isArray((s as { files?: unknown } | null)?.files) && (s as { files: unknown[] }).files.every((f) => typeof f === 'string'))) {
    throw new UserError(`--plan ${path}: expected "shards": [{ "files": [...] }, ...]`, { hint: "write it with 'split-tests plan --shards N --json > plan.json'" });
  }
  const fingerprint = (value as { fingerprint?: unknown }).fingerprint;
  const slices = shards.flatMap((s) => {
    const list = (s as { slices?: unknown }).slices;
    if (list === undefined) return [];
    const ok = Array.isArray(list) && list.every((x) => typeof x?.file === 'string' && Number.isInteger(x?.slice) && Number.isInteger(x?.of) && Array.isArray(x?.tests) && x.tests.every((t: unknown) => typeof t === 'string'));
    if (!ok) throw new UserError(`--plan ${path}: expected "slices": [{ "file", "slice", "of", "tests": [...] }, ...]`, { hint: "write it with 'split-tests plan --shards N --json > plan.json'" });
    return list as PlannedSlice[];
  });
  const files = [...shards.flatMap((s) => (s as { files: string[] }).files), ...new Set(slices.map((slice) => slice.file))];
  const runner = (value as { slicing?: { runner?: unknown } }).slicing?.runner;
  return { files, fingerprint: typeof fingerprint === 'string' ? fingerprint : undefined, slices, ...(typeof runner === 'string' ? { runner } : {}) };
}

async function readFilesFrom(from: string): Promise<string[]> {
  if (from === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return parseFileList(Buffer.concat(chunks).toString('utf8'));
  }
  try {
    return parseFileList(await readFile(resolve(from), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`--files-from ${from}: ${code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(error)})`}`, {
      hint: 'pass a file with one planned test path per line, or - for stdin',
      cause: error,
    });
  }
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LIST_LIMIT).map((i) => `  ${i}`);
  if (items.length > LIST_LIMIT) shown.push(`  ... and ${items.length - LIST_LIMIT} more`);
  return shown.join('\n');
}

function summarise(result: MergeResult, output: string, completeness: Completeness, unmappable = false): void {
  const t = result.totals;
  for (const r of result.repeatedReports) warn(`${r.path} repeats ${r.of} byte for byte (a report copied twice?): its testcases are counted once`);
  for (const w of result.warnings) warn(w);
  note(
    `merged ${result.reports.length} report${result.reports.length === 1 ? '' : 's'} into ${output}: ${t.tests} tests, ${t.failures} failures, ${t.errors} errors, ${t.skipped} skipped, ${formatSeconds(t.time)}s`,
  );
  if (completeness.source !== undefined && !unmappable && completeness.missingFiles.length === 0 && completeness.missingShards.length === 0) {
    note(`complete: all ${completeness.plannedFiles} planned files have testcases (planned files from ${completeness.source})`);
  }
  if (completeness.source === undefined) {
    note('completeness not checked: pass --plan plan.json or --files-from FILE (or merge reports written by split-tests run)');
  }
  for (const p of completeness.noReport) {
    process.stderr.write(`split-tests: shard ${p.shard} wrote no JUnit report: ${p.report} holds split-tests' placeholders for its ${p.files.length} files, which do not count as run\n`);
  }
  if (completeness.missingFiles.length > 0) {
    process.stderr.write(
      `split-tests: incomplete: ${completeness.missingFiles.length} of ${completeness.plannedFiles} planned files have no testcase in the reports:\n${listed(completeness.missingFiles)}\n` +
        '  hint: a file that holds no tests (a base class or helper module its name makes look like a test) never has one: leave it out with "ignore" in split-tests.config.json\n',
    );
  }
  if (completeness.missingShards.length > 0) {
    process.stderr.write(`split-tests: incomplete: no report from shard${completeness.missingShards.length === 1 ? '' : 's'} ${completeness.missingShards.join(', ')}\n`);
  }
  if (completeness.fingerprintMismatch) {
    warn(
      `reports come from different plans (nodes planned with different inputs can skip or double-run files):\n${completeness.fingerprints
        .map((g) => `  ${g.fingerprint}: ${g.reports.join(', ')}`)
        .join('\n')}`,
    );
  }
  if (result.duplicates.length > 0) {
    const lines = result.duplicates.map((d) => `${d.classname ?? d.suites.join(' > ')} :: ${d.name} (x${d.count} in ${d.reports.join(', ')})`);
    warn(`${result.duplicates.length} testcase${result.duplicates.length === 1 ? '' : 's'} appear more than once:\n${listed(lines)}`);
  }
}

/** Reads the merged report back and checks the split files' tests against the plan's slices. */
async function checkPlannedSlices(
  slices: readonly PlannedSlice[],
  output: string,
  planned: readonly string[],
  notes: readonly { meta: { droppedTests?: readonly string[] | undefined } }[],
  cwd: string,
  runnerName: string | undefined,
): Promise<SliceCompleteness> {
  const { readJUnitFile } = await import('../../junit/read.js');
  const { createFileMatcher } = await import('../../junit/match.js');
  const { checkSlices } = await import('../../junit/slice-completeness.js');
  const { presetTestId, selectedRunner } = await import('../runner-option.js');
  const { defaultTestId } = await import('../../timings/test-ids.js');
  const { loadConfig } = await import('../config.js');
  const config = await loadConfig({ cwd });
  // the plan's runner names the slices' tests; else the config's
  const runner = selectedRunner(runnerName === undefined ? {} : { runner: runnerName }, config);
  const testId = runner === undefined ? defaultTestId : presetTestId(runner);
  const split = new Set(slices.map((s) => s.file));
  const match = createFileMatcher(planned);
  const ran = new Map<string, Map<string, number>>();
  await readJUnitFile(resolve(cwd, output), (c) => {
    const file = match(c);
    if (file === undefined || !split.has(file)) return;
    let byTest = ran.get(file);
    if (!byTest) ran.set(file, (byTest = new Map()));
    const id = testId(file, c);
    byTest.set(id, (byTest.get(id) ?? 0) + 1);
  });
  return checkSlices(slices, ran, new Set(notes.flatMap((n) => n.meta.droppedTests ?? [])));
}

function summariseSlices(check: SliceCompleteness): void {
  if (check.missingTests.length === 0 && check.duplicateTests.length === 0) {
    note(`split files complete: their ${check.slices} slices ran every planned test once`);
  }
  if (check.missingTests.length > 0) {
    process.stderr.write(`split-tests: incomplete: ${check.missingTests.length} planned test${check.missingTests.length === 1 ? '' : 's'} of split files did not run:\n${listed(check.missingTests)}\n`);
  }
  if (check.duplicateTests.length > 0) {
    warn(`${check.duplicateTests.length} test${check.duplicateTests.length === 1 ? '' : 's'} of split files ran in more than one slice:\n${listed(check.duplicateTests.map((d) => `${d.test} (x${d.count})`))}`);
  }
}

/** `split-tests merge <reports...> --output merged.xml`: exact merge plus a completeness check. */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge [reports..]',
  describe: 'Merge JUnit reports (files, folders, globs) into one, with exact totals, and check nothing planned is missing',
  builder: (y: Argv<object>) =>
    y
      .positional('reports', { type: 'string', array: true, describe: 'JUnit XML reports: files, folders (their *.xml) or globs' })
      .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Merged report to write (written atomically)' })
      .option('plan', { type: 'string', requiresArg: true, describe: "Plan JSON ('plan --json'): every planned file must have testcases" })
      .option('files-from', { type: 'string', requiresArg: true, describe: "Planned test files, one per line ('-' for stdin): each must have testcases" })
      .option('allow-failures', { type: 'boolean', describe: 'Exit 0 even when testcases failed or errored (missing files still exit 1)' })
      .option('strict', { type: 'boolean', describe: 'Also fail (exit 1) on duplicated testcases, reports copied twice, and reports from different plans' })
      .option('record', { type: 'boolean', describe: 'Also add the reports to the timing history (as split-tests record)' })
      .option('history', { type: 'string', requiresArg: true, describe: `History file for --record (default ${DEFAULT_HISTORY_PATH})` })
      .option('run-id', { type: 'string', requiresArg: true, describe: "The run's id for --record (default: the CI's run id)" })
      .option('json', { type: 'boolean', describe: 'Print one JSON document (totals, missing files, duplicates, fingerprints) on stdout' })
      .epilogue(
        'Totals: every testsuite\'s tests, failures, errors and skipped are counted from the testcases under it; its time is the ' +
          "producer's own (e.g. pytest's includes collection) or, where it has none, the sum of its testcases. The merged root's five " +
          'totals, time included, are sums over every testcase. A time that is not a decimal number is warned about and counted as 0. ' +
          'Characters XML forbids are written as U+FFFD, so the merged report is always well-formed XML. ' +
          'Exit codes: 0 merged; 1 a testcase failed or errored (unless --allow-failures) or a planned file has no testcase; 2 bad input.',
      ) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const inputsGiven = (args.reports ?? []).filter((r) => r !== '');
    if (args.output === undefined || args.output.trim() === '') {
      throw new UserError('merge: --output is required', { hint: 'e.g. split-tests merge "reports/*.xml" --output merged.xml' });
    }
    if (inputsGiven.length === 0) throw new UserError('merge: no reports given', { hint: 'e.g. split-tests merge reports/ --output merged.xml' });
    if (args.plan !== undefined && args.filesFrom !== undefined) {
      throw new UserError('merge: --plan and --files-from both name the planned files; pass one', { hint: 'keep --plan when you have the plan JSON' });
    }
    if ((args.history !== undefined || args.runId !== undefined) && !args.record) {
      throw new UserError(`merge: ${args.history !== undefined ? '--history' : '--run-id'} only applies with --record`, { hint: 'add --record to record the merged reports' });
    }

    const inputs = await expandReportInputs(inputsGiven, { cwd, exclude: [args.output] });
    for (const w of inputs.warnings) warn(w);
    if (inputs.paths.length === 0) {
      throw new UserError(`merge: no JUnit reports found in ${inputsGiven.map((r) => `'${r}'`).join(' ')}`, { hint: 'pass report files, their folder, or a quoted glob like "reports/**/*.xml"' });
    }

    const plan = args.plan !== undefined ? await readPlanFile(args.plan) : undefined;
    const listedFiles = args.filesFrom !== undefined ? await readFilesFrom(args.filesFrom) : undefined;
    const { notes, warnings: noteWarnings } = await readShardNotes(inputs.paths);
    for (const w of noteWarnings) warn(w);
    const explicit = plan?.files ?? listedFiles;
    const planned = plannedFiles({ plannedFiles: explicit, notes });
    const source = plan ? 'plan' : listedFiles ? 'files-from' : 'shard-notes';
    // a fallback shard that never reached its queue: the files the queue also ran count from the queue's reports
    const trim = await trimUnreportedFallbacks(notes, inputs.paths, (path) => relative(cwd, path) || path);
    for (const line of trim.lines) warn(line);
    const reportPaths = trim.paths;
    try {

      let result = await mergeReportsInWorker({ inputs: reportPaths, output: args.output, files: planned });
      const placeholders = await findPlaceholderReports(reportPaths);
      let completeness = checkCompleteness({ plannedFiles: explicit, planFingerprint: plan?.fingerprint, notes, casesByFile: result.casesByFile, placeholders }, source);
      // node:test's own reports name no file: their "missing" files and "duplicates" would be false.
      // Looked for only then, so a normal merge never reads its reports twice.
      let locationless: string[] = [];
      if (result.duplicates.length > 0 || completeness.missingFiles.length > 0) {
        const { findLocationlessReports } = await import('../../junit/locationless.js');
        locationless = await findLocationlessReports(reportPaths.map((path) => ({ path, label: relative(cwd, path) || path })));
        if (locationless.length > 0) {
          result = { ...result, duplicates: [] };
          completeness = { ...completeness, missingFiles: [] };
        }
      }

      // split files: complete when their slices together ran every planned test, each once
      const sliceCheck = plan !== undefined && plan.slices.length > 0 ? await checkPlannedSlices(plan.slices, args.output, planned ?? [], notes, cwd, plan.runner) : undefined;
      const incomplete = completeness.missingFiles.length > 0 || completeness.missingShards.length > 0 || (sliceCheck?.missingTests.length ?? 0) > 0;
      const strictFailure = Boolean(args.strict) && (result.duplicates.length > 0 || result.repeatedReports.length > 0 || completeness.fingerprintMismatch);

      // --record: the timings engineer's recordReports adds these reports as one run of the history.
      // A record that fails (a held lock) must not hide what the merge found: the merged report is
      // already written, so the summary is printed first and the record error after it.
      let recorded: { historyPath: string; runId: string; files: number } | undefined;
      let recordError: unknown;
      if (args.record) {
        try {
          const { recordReports } = await import('../../timings/record.js');
          const { loadConfig } = await import('../config.js');
          // as `record` does: the flag is relative to cwd, the config's "history" to the config's folder
          const config = await loadConfig({ cwd });
          const historyPath = args.history ?? config.config.history ?? DEFAULT_HISTORY_PATH;
          const { recordedFiles } = await import('../report-files.js');
          const keyed = await recordedFiles({ planned, config, reports: reportPaths, cwd });
          const record = await recordReports({
            reports: reportPaths,
            historyPath: args.history !== undefined ? resolve(cwd, args.history) : resolve(config.root, historyPath),
            historyLabel: historyPath,
            limits: { runs: config.config.historyRuns, runsPerFile: config.config.historyRunsPerFile },
            runId: args.runId,
            env: process.env,
            files: keyed.files,
            cwd,
            // tests named as the config's runner preset names them (what slices select)
            testId: await (async () => {
              const { presetTestId, selectedRunner } = await import('../runner-option.js');
              const runner = selectedRunner({}, config) ?? keyed.runner;
              return runner === undefined ? undefined : presetTestId(runner);
            })(),
          });
          for (const w of record.warnings) warn(w);
          recorded = { historyPath, runId: record.run.id, files: record.run.fileCount };
          if (!args.json) note(`recorded run ${record.run.id} in ${historyPath}`);
        } catch (error) {
          if (!isUserError(error)) throw error;
          recordError = error;
        }
      }

      if (args.json) {
        const doc = {
          schemaVersion: 1,
          output: args.output,
          reports: result.reports.map((r) => ({ path: r.path, testcases: r.cases, timestamp: r.timestamp ?? null })),
          totals: { ...result.totals, time: Number(formatSeconds(result.totals.time)) },
          // null: nothing said what was planned (no --plan, --files-from or shard notes), so nothing was checked
          complete: completeness.source === undefined ? null : !incomplete,
          plannedFilesSource: completeness.source ?? null,
          plannedFiles: completeness.plannedFiles,
          missingFiles: completeness.missingFiles,
          missingShards: completeness.missingShards,
          noReportShards: completeness.noReport.map((p) => ({ shard: p.shard, report: p.report, files: p.files.length })),
          unmatchedTestcases: planned !== undefined ? result.unmatchedCases : null,
          duplicates: result.duplicates,
          ...(sliceCheck !== undefined ? { slices: sliceCheck } : {}),
          repeatedReports: result.repeatedReports,
          warnings: result.warnings,
          fingerprints: completeness.fingerprints,
          fingerprintMismatch: completeness.fingerprintMismatch,
          recorded: recorded ?? null,
          recordError: recordError instanceof UserError ? recordError.message : null,
        };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      }
      if (locationless.length > 0) {
        const { locationlessMessage } = await import('../../junit/locationless.js');
        process.stderr.write(`split-tests: ${completeness.source === undefined ? '' : 'completeness cannot be checked: '}${locationlessMessage(locationless)}\n`);
      }
      summarise(result, args.output, completeness, locationless.length > 0);
      if (sliceCheck !== undefined) summariseSlices(sliceCheck);
      const failedTests = result.totals.failures + result.totals.errors;
      if (failedTests > 0) {
        if (args.allowFailures) note(`${failedTests} testcase${failedTests === 1 ? '' : 's'} failed or errored; exit 0 because of --allow-failures`);
        else process.stderr.write(`split-tests: failed: ${failedTests} testcase${failedTests === 1 ? '' : 's'} failed or errored (exit 1; --allow-failures to exit 0)\n`);
      }
      if (recordError instanceof UserError) {
        process.stderr.write(`split-tests: --record failed (the merged report was written): ${recordError.message}\n`);
        if (recordError.hint) process.stderr.write(`hint: ${recordError.hint}\n`);
      }
      const failed = incomplete || strictFailure || (failedTests > 0 && !args.allowFailures);
      // a completeness check asked for and impossible with these reports is bad input, not a pass
      const unmappable = locationless.length > 0 && completeness.source !== undefined;
      process.exitCode = recordError instanceof UserError ? recordError.exitCode : unmappable ? ExitCode.usage : failed ? ExitCode.failed : ExitCode.ok;
    } finally {
      await trim.cleanup();
    }
  },
};
