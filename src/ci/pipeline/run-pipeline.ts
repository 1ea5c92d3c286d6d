/**
 * The world behind `pipeline run`: the user's steps through their shell, the shards through the
 * runner (never a shell), then whatever merges and records the reports. The graph and its gating
 * are runLocalPipeline's; this file only connects it to processes and the clock.
 */
import type { Plan } from '../../plan/types.js';
import { expandShardTemplate } from '../../run/expand-command.js';
import { combinedExitCode, runShards } from '../../run/run-parallel.js';
import type { ShardRunResult } from '../../run/run-shard.js';
import { runLocalPipeline, type LocalRunCommands, type LocalRunResult, type MergeOutcome } from './local-run.js';
import type { PipelinePlan } from './model.js';
import { runShellStep } from './shell-step.js';

export interface PipelineRunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly plan: Plan;
  readonly pipeline: PipelinePlan;
  /** The test command (argv, `{files}`, `{shard}`, `{junit}` expanded by the runner). */
  readonly command: readonly string[];
  /** Each shard's JUnit path, with `{shard}`; relative to cwd. */
  readonly junit: string;
  readonly concurrency: number;
  readonly timeoutSeconds?: number | undefined;
  readonly commands: LocalRunCommands;
  /** Our stream for the children's stdout: stderr when our stdout carries JSON. */
  readonly stdout: 'stdout' | 'stderr';
  readonly cancelSignal?: AbortSignal | undefined;
  /** Why the run was stopped, once it was (see LocalRunEffects.stopped). */
  readonly stopped?: (() => string | undefined) | undefined;
  readonly narrate: (line: string) => void;
  /** Merges the shards' reports (paths relative to cwd) and checks every planned file reported. */
  readonly merge: (reports: readonly string[]) => Promise<MergeOutcome>;
  /** Adds the run to the history with the measured and predicted stage seconds. */
  readonly record: (reports: readonly string[], stages: Readonly<Record<string, number>>) => Promise<void>;
}

export interface PipelineRunOutcome {
  readonly result: LocalRunResult;
  readonly shards: readonly ShardRunResult[];
  /** The shards' JUnit reports, relative to cwd, in shard order. */
  readonly reports: readonly string[];
}

export async function runPipelineLocally(options: PipelineRunOptions): Promise<PipelineRunOutcome> {
  const { plan } = options;
  const reports = plan.shards.map((s) => expandShardTemplate(options.junit, s.index, plan.shardCount));
  let shardResults: ShardRunResult[] = [];
  const result = await runLocalPipeline(options.commands, {
    // wall clock, because the runner stamps each shard's start as an ISO time
    now: () => Date.now() / 1000,
    narrate: options.narrate,
    stopped: () => options.stopped?.(),
    runStep: (name, command) =>
      runShellStep({
        name,
        command,
        cwd: options.cwd,
        env: options.env,
        stdout: options.stdout,
        cancelSignal: options.cancelSignal,
      }),
    runTests: async () => {
      shardResults = await runShards({
        shards: plan.shards.map((s) => ({ index: s.index, files: s.files, estimatedSeconds: s.estimatedSeconds })),
        total: plan.shardCount,
        concurrency: options.concurrency,
        stdout: options.stdout,
        command: options.command,
        fingerprint: plan.fingerprint,
        cwd: options.cwd,
        env: options.env,
        junit: options.junit,
        timeoutSeconds: options.timeoutSeconds,
        cancelSignal: options.cancelSignal,
        narrate: options.narrate,
      });
      return {
        exitCode: combinedExitCode(shardResults),
        shards: shardResults.map((r) => ({
          name: `shard ${r.index}/${r.total}`,
          startSeconds: Date.parse(r.startedAt) / 1000,
          durationSeconds: r.wallSeconds,
        })),
      };
    },
    merge: () => options.merge(reports),
    record: (stages) => options.record(reports, stages),
  });
  return { result, shards: shardResults, reports };
}

/** The predicted seconds per stage name, as the history stores them next to the measured ones. */
export function predictedStageSeconds(pipeline: PipelinePlan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stage of pipeline.stages) out[stage.name] = Math.round(stage.durationSeconds * 100) / 100;
  return out;
}
