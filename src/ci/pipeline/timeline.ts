/**
 * The pipeline plan (and, after `pipeline run`, what was measured) as the report's timeline rows.
 * Pure.
 */
import type { TimelineStage } from '../../report/timeline.js';
import type { PipelinePlan, PipelineStage } from './model.js';

export interface MeasuredStage {
  /** Seconds from the pipeline's start. */
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

/** Above this many shards the timeline shows one `tests` row instead of a row per shard. */
export const MAX_SHARD_ROWS = 8;

/**
 * Rows in pipeline order: build, the shards (or one `tests` row), package, merge, deploy. A
 * measured entry is matched by the stage's name (`build`, `shard 2/4`, `tests`, ...).
 */
export function pipelineTimeline(
  plan: PipelinePlan,
  measured: Readonly<Record<string, MeasuredStage>> = {},
): TimelineStage[] {
  const rows: PipelineStage[] = [];
  for (const stage of plan.stages) {
    if (stage.name === 'tests' && plan.shardStages.length > 1 && plan.shardStages.length <= MAX_SHARD_ROWS) {
      rows.push(...plan.shardStages);
    } else {
      rows.push(stage);
    }
  }
  return rows.map((stage) => {
    const m = measured[stage.name];
    return {
      name: stage.name,
      startSeconds: stage.startSeconds,
      durationSeconds: stage.durationSeconds,
      lane: stage.lane === 'main' ? undefined : stage.lane,
      ...(m === undefined ? {} : { measuredStartSeconds: m.startSeconds, measuredDurationSeconds: m.durationSeconds }),
    };
  });
}
