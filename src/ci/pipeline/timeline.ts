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

/** The stage graph `pipeline run` follows; the report lays out a recorded run's stages on it. */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  build: [],
  tests: ['build'],
  package: ['build'],
  merge: ['tests'],
  deploy: ['merge', 'package'],
};
const ORDER = ['build', 'tests', 'package', 'merge', 'deploy'];
const LANES: Readonly<Record<string, string>> = { tests: 'tests', package: 'package' };

/**
 * A recorded run's timeline (for the report): its predicted and measured stage seconds laid out
 * on the pipeline graph, each stage starting when the stages it needs have ended. A history keeps
 * durations, not start times, so starts are those of the graph. Stages outside the graph follow
 * in name order after everything else. Empty when the run has no stage times.
 */
export function timelineFromStages(
  measured: Readonly<Record<string, number>> | undefined,
  predicted: Readonly<Record<string, number>> | undefined,
): TimelineStage[] {
  const names = new Set([...Object.keys(measured ?? {}), ...Object.keys(predicted ?? {})]);
  const known = ORDER.filter((n) => names.has(n));
  const extra = [...names].filter((n) => !ORDER.includes(n)).sort();
  const predictedStarts = starts(predicted ?? {}, known);
  const measuredStarts = starts(measured ?? {}, known);
  const endOf = (values: Readonly<Record<string, number>>, s: Map<string, number>): number =>
    Math.max(0, ...known.map((n) => (s.get(n) ?? 0) + (values[n] ?? 0)));
  let predictedTail = endOf(predicted ?? {}, predictedStarts);
  let measuredTail = endOf(measured ?? {}, measuredStarts);
  const rows: TimelineStage[] = [];
  for (const name of [...known, ...extra]) {
    const p = predicted?.[name];
    const m = measured?.[name];
    let pStart = predictedStarts.get(name);
    let mStart = measuredStarts.get(name);
    if (pStart === undefined) {
      pStart = predictedTail;
      predictedTail += p ?? 0;
    }
    if (mStart === undefined) {
      mStart = measuredTail;
      measuredTail += m ?? 0;
    }
    rows.push({
      name,
      // a stage that was measured but not predicted shows an empty prediction at its place
      startSeconds: pStart,
      durationSeconds: p ?? 0,
      lane: LANES[name],
      ...(m === undefined ? {} : { measuredStartSeconds: mStart, measuredDurationSeconds: m }),
    });
  }
  return rows;
}

function starts(durations: Readonly<Record<string, number>>, present: readonly string[]): Map<string, number> {
  const end = new Map<string, number>();
  const start = new Map<string, number>();
  const isPresent = new Set(present.filter((n) => durations[n] !== undefined));
  // the end of what `name` waits for, looking through stages that did not run
  const ready = (name: string): number =>
    Math.max(0, ...(NEEDS[name] ?? []).map((need) => (isPresent.has(need) ? (end.get(need) ?? 0) : ready(need))));
  for (const name of ORDER) {
    if (!isPresent.has(name)) continue;
    const s = ready(name);
    start.set(name, s);
    end.set(name, s + (durations[name] ?? 0));
  }
  return start;
}
