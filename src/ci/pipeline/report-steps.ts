/**
 * Merge and record for `pipeline run`, on top of the JUnit merger (src/junit/merge.ts) and the
 * history recorder (src/timings/record.ts).
 */
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { GroupSpec } from '../../plan/types.js';
import { recordReports } from '../../timings/record.js';
import type { MergeOutcome } from './local-run.js';

export interface MergeStepInput {
  readonly cwd: string;
  /** Shard reports, relative to cwd. */
  readonly reports: readonly string[];
  /** The merged report, relative to cwd. */
  readonly output: string;
  /** The plan JSON written before the shards ran (completeness check). */
  readonly planPath: string;
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

/** Loads a sibling module by a computed path, so that this file builds before it lands. */
async function load(relative: string, what: string): Promise<Record<string, unknown>> {
  const url = new URL(relative, import.meta.url).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`pipeline run: ${what} is not available in this build (${relative})`, { cause: error });
  }
}

export async function mergeStep(input: MergeStepInput): Promise<MergeOutcome> {
  const mod = await load('../../junit/merge.js', 'the JUnit merger');
  void mod;
  void resolve;
  throw new UserError('pipeline run: merge wiring pending');
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
