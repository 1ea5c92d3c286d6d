/**
 * Plans the suite for every candidate shard count with the same files, timings and groups the
 * `plan` command uses, and hands the plans to the pipeline model. Pure: plain data in and out.
 */
import { estimateFiles } from '../../plan/estimate.js';
import { assignGroups } from '../../plan/groups.js';
import { orderRuns } from '../../plan/order-runs.js';
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
  /** The shard plan of the recommended (or fixed) count: the very plan `plan` prints for it. */
  readonly plan: Plan;
}

export function predictPipeline(input: PredictInput): Prediction {
  const groups = input.groups ?? { kind: 'none' };
  // Estimating back-tests rules over the whole history: do it once, not once per candidate. The
  // candidates are planned from one run holding the estimates (one sample predicts itself), and
  // the chosen count is planned again from the real runs, so its plan is exactly `plan`'s.
  const groupOf = assignGroups(input.files, groups);
  const { estimates } = estimateFiles(input.files, orderRuns(input.runs), (f) => groupOf.get(f));
  const estimated: TimingRun[] = [{ source: 'estimates', seconds: estimates }];
  const candidates = new Map<number, Plan>();
  for (const shards of candidateShardCounts(input.files.length, input.shards)) {
    candidates.set(shards, planShards({ files: input.files, runs: estimated, groups, shards }));
  }
  const model = (plans: Iterable<Plan>): PipelinePlan =>
    planPipeline({
      candidates: [...plans],
      ...input.stages,
      targetSeconds: input.targetSeconds,
      shards: input.shards,
    });
  const chosen = model(candidates.values()).recommendedShards;
  const plan = planShards({ files: input.files, runs: input.runs, groups, shards: chosen });
  candidates.set(chosen, plan);
  return { pipeline: model(candidates.values()), plan };
}
