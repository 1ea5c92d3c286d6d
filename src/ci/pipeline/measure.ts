/**
 * What the history says about the pipeline around the tests: the per-node overhead and the
 * stage times of earlier `pipeline run`s. Pure over a History; the CLI reads the file.
 */
import type { History } from '../../timings/history-types.js';

export type EstimateSource = 'config' | 'history' | 'default' | 'none';

export interface SourcedSeconds {
  readonly seconds: number;
  readonly source: EstimateSource;
  /** How many samples a history estimate came from. */
  readonly samples?: number | undefined;
}

export const PIPELINE_STAGES = ['build', 'tests', 'package', 'merge', 'deploy'] as const;
export type PipelineStageName = (typeof PIPELINE_STAGES)[number];

/** Runs looked at: recent enough to reflect today's machines, enough to take a median. */
export const RECENT_RUNS = 10;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/**
 * Per-node overhead measured as what a shard's wall time spends outside its tests (boot, runner
 * start-up, collection): the median over recent runs of `wallSeconds - measuredSeconds`. A median
 * because one slow node (a cold cache) must not move the recommendation.
 */
export function overheadFromHistory(history: History | undefined): SourcedSeconds | undefined {
  if (!history) return undefined;
  const gaps: number[] = [];
  for (const run of history.runs.slice(-RECENT_RUNS)) {
    for (const shard of run.shards) {
      if (shard.wallSeconds === undefined || shard.measuredSeconds === undefined) continue;
      // An empty shard never started the command: it says nothing about a node's overhead.
      if (shard.files === 0) continue;
      gaps.push(Math.max(0, shard.wallSeconds - shard.measuredSeconds));
    }
  }
  const value = median(gaps);
  return value === undefined ? undefined : { seconds: value, source: 'history', samples: gaps.length };
}

/** The median measured seconds of `stage` over recent runs that measured it. */
export function stageFromHistory(history: History | undefined, stage: string): SourcedSeconds | undefined {
  if (!history) return undefined;
  const values: number[] = [];
  for (const run of history.runs.slice(-RECENT_RUNS)) {
    const seconds = run.stages?.[stage];
    if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) values.push(seconds);
  }
  const value = median(values);
  return value === undefined ? undefined : { seconds: value, source: 'history', samples: values.length };
}

/** Defaults for a typical CI, used only when neither config nor history knows better. */
export const DEFAULT_SECONDS: Readonly<Record<'overhead' | 'build' | 'package' | 'merge' | 'deploy', number>> = {
  // checkout + dependency install from cache + test runner start-up on a fresh node
  overhead: 30,
  build: 60,
  // a docker build with a warm layer cache plus a push
  package: 120,
  merge: 10,
  deploy: 60,
};

/** First of config, history, default, saying which. */
export function pickSeconds(
  configured: number | undefined,
  measured: SourcedSeconds | undefined,
  fallback: number,
): SourcedSeconds {
  if (configured !== undefined) return { seconds: configured, source: 'config' };
  if (measured !== undefined) return measured;
  return { seconds: fallback, source: 'default' };
}
