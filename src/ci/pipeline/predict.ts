/**
 * Plans the suite for every candidate shard count with the same files, timings and groups the
 * `plan` command uses, and hands the plans to the pipeline model. Pure: plain data in and out.
 */
import { estimateFiles } from '../../plan/estimate.js';
import { assignGroups } from '../../plan/groups.js';
import { orderRuns } from '../../plan/order-runs.js';
import { planShards } from '../../plan/plan.js';
import type { GroupSpec, Plan, TimingRun } from '../../plan/types.js';
import { fitWallModel } from '../../plan/walls.js';
import { candidateShardCounts } from './candidates.js';
import { planPipeline, type CandidatePlan, type PipelinePlan } from './model.js';
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
  const ordered = orderRuns(input.runs);
  const { estimates } = estimateFiles(input.files, ordered, (f) => groupOf.get(f));
  const estimated: TimingRun[] = [{ source: 'estimates', seconds: estimates }];
  // every candidate is planned on the walls the history predicts, with the same fitted model
  const wallModel = fitWallModel(ordered);
  const candidates = new Map<number, Plan>();
  for (const shards of candidateShardCounts(input.files.length, input.shards)) {
    candidates.set(shards, planShards({ files: input.files, runs: estimated, groups, shards }, { wallModel }));
  }
  // With walls modelled, a shard's estimate already holds its runner start-up (the model's fixed
  // cost); the pipeline counts that once, as the node's overhead, and the shard as the rest. A
  // configured overhead still wins (it may include checkout and install, which no wall measures).
  // When the history could not tell the start-up from per-file overhead (every shard had as many
  // files), the model puts it all on the files, which prices extra nodes at nothing: then the
  // pipeline keeps its own per-node measure (wall - tests) and the shards' test seconds, as before.
  const separated = wallModel.modelled && wallModel.separated;
  const fixed = separated ? wallModel.fixedSeconds : 0;
  const stages =
    separated && input.stages.overhead.source !== 'config'
      ? { ...input.stages, overhead: { seconds: fixed, source: 'history' as const, samples: wallModel.observations } }
      : input.stages;
  const withoutFixed = (plan: Plan): CandidatePlan => {
    if (!wallModel.modelled) return plan;
    const shards = plan.shards.map((s) => ({
      index: s.index,
      estimatedSeconds: separated ? (s.files.length > 0 ? s.estimatedSeconds - fixed : 0) : s.estimatedTestSeconds,
    }));
    return { shardCount: plan.shardCount, shards };
  };
  const model = (plans: Iterable<Plan>): PipelinePlan =>
    planPipeline({
      candidates: [...plans].map(withoutFixed),
      ...stages,
      targetSeconds: input.targetSeconds,
      shards: input.shards,
    });
  const chosen = model(candidates.values()).recommendedShards;
  const plan = planShards({ files: input.files, runs: input.runs, groups, shards: chosen });
  candidates.set(chosen, plan);
  return { pipeline: model(candidates.values()), plan };
}
