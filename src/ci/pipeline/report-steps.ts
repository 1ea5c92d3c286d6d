/**
 * Merge and record for `pipeline run`, on top of the JUnit merger (src/junit/merge.ts) and the
 * history recorder (src/timings/record.ts).
 */
import { resolve } from 'node:path';
import { checkCompleteness } from '../../junit/completeness.js';
import { createFileMatcher } from '../../junit/match.js';
import { mergeReports } from '../../junit/merge.js';
import { readShardNotes } from '../../junit/shard-notes.js';
import type { GroupSpec } from '../../plan/types.js';
import { recordReports } from '../../timings/record.js';
import type { MergeOutcome } from './local-run.js';

export interface MergeStepInput {
  readonly cwd: string;
  /** Shard reports, relative to cwd. */
  readonly reports: readonly string[];
  /** The merged report, relative to cwd. */
  readonly output: string;
  /** Every file the plan gave a shard: each must have reported at least one testcase. */
  readonly plannedFiles: readonly string[];
  readonly fingerprint: string;
  readonly narrate: (line: string) => void;
}

export interface RecordStepInput {
  readonly cwd: string;
  readonly reports: readonly string[];
  readonly historyPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly files: readonly string[];
  readonly groups: GroupSpec;
  readonly stages: Readonly<Record<string, number>>;
  readonly predictedStages: Readonly<Record<string, number>>;
  readonly runId?: string | undefined;
  readonly narrate: (line: string) => void;
}

/**
 * The shards' reports into one, then the completeness check: a planned file with no testcase (a
 * shard that died, a runner that skipped a file) fails the merge, so nothing deploys on a partial
 * run. Reports from another plan, or duplicated testcases, are told but do not fail it.
 */
export async function mergeStep(input: MergeStepInput): Promise<MergeOutcome> {
  const reports = input.reports.map((r) => resolve(input.cwd, r));
  const { notes, warnings } = await readShardNotes(reports);
  for (const warning of warnings) input.narrate(`warning: ${warning}`);
  const merged = await mergeReports({
    inputs: reports,
    output: resolve(input.cwd, input.output),
    match: createFileMatcher(input.plannedFiles),
    name: 'split-tests pipeline run',
  });
  const check = checkCompleteness(
    { plannedFiles: input.plannedFiles, planFingerprint: input.fingerprint, notes, casesByFile: merged.casesByFile },
    'plan',
  );
  const { totals } = merged;
  for (const w of [...merged.repeatedReports.map((r) => `${r.path} repeats ${r.of} byte for byte: counted once`), ...merged.warnings]) input.narrate(`warning: ${w}`);
  input.narrate(
    `merge: ${totals.tests} testcases from ${merged.reports.length} reports into ${input.output} ` +
      `(${totals.failures} failed, ${totals.errors} errors, ${totals.skipped} skipped)`,
  );
  if (check.fingerprintMismatch) {
    input.narrate(`warning: the reports come from ${check.fingerprints.length} different plans; files may have run twice or not at all`);
  }
  if (merged.duplicates.length > 0) {
    input.narrate(`warning: ${merged.duplicates.length} testcase${merged.duplicates.length === 1 ? '' : 's'} reported more than once`);
  }
  if (check.missingFiles.length > 0) {
    const shown = check.missingFiles.slice(0, 5).join(', ');
    input.narrate(
      `merge: ${check.missingFiles.length} of ${check.plannedFiles} planned files have no testcase in any report: ` +
        `${shown}${check.missingFiles.length > 5 ? ', ...' : ''}`,
    );
  }
  return { exitCode: check.missingFiles.length > 0 ? 1 : 0, failedTests: totals.failures + totals.errors };
}

export async function recordStep(input: RecordStepInput): Promise<void> {
  const result = await recordReports({
    reports: [...input.reports],
    cwd: input.cwd,
    historyPath: input.historyPath,
    runId: input.runId,
    env: input.env,
    files: input.files,
    stages: { ...input.stages },
    predictedStages: { ...input.predictedStages },
    groups: input.groups,
  });
  for (const warning of result.warnings) input.narrate(`warning: ${warning}`);
  input.narrate(`record: run ${result.run.id} added to the history (${result.history.runs.length} run${result.history.runs.length === 1 ? '' : 's'} kept)`);
}
