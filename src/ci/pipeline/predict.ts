/**
 * Plans the suite for every candidate shard count with the same files, timings and groups the
 * `plan` command uses, and hands the plans to the pipeline model. Pure: plain data in and out.
 */
import { planShards } from '../../plan/plan.js';
import type { GroupSpec, Plan, TimingRun } from '../../plan/types.js';
import { candidateShardCounts } from './candidates.js';
import { planPipeline, type PipelinePlan } from './model.js';
import type { StageInputs } from './stage-inputs.js';

export interface PredictInput {
  readonly files: readonly string[];
  readonly runs: readonly TimingRun[];
  readonly groups?: GroupSpec | undefined;
  readonly stages: StageInputs;
  readonly targetSeconds?: number | undefined;
  /** A fixed shard count: predict it instead of recommending one. */
  readonly shards?: number | undefined;
}

export interface Prediction {
  readonly pipeline: PipelinePlan;
  /** The shard plan of the recommended (or fixed) count. */
  readonly plan: Plan;
}

export function predictPipeline(input: PredictInput): Prediction {
  const plans = new Map<number, Plan>();
  for (const shards of candidateShardCounts(input.files.length, input.shards)) {
    plans.set(shards, planShards({ files: input.files, runs: input.runs, groups: input.groups, shards }));
  }
  const pipeline = planPipeline({
    candidates: [...plans.values()],
    ...input.stages,
    targetSeconds: input.targetSeconds,
    shards: input.shards,
  });
  const plan = plans.get(pipeline.recommendedShards);
  /* c8 ignore next */
  if (plan === undefined) throw new Error('predictPipeline: the recommended count was not planned');
  return { pipeline, plan };
}
