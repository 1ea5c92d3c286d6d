/**
 * The pipeline planner: how many shards, and what the whole pipeline will look like.
 *
 *   build ─┬─> tests (N shards in parallel) ─> merge ─┬─> deploy
 *          └─> package (docker build + push) ─────────┘
 *
 * Pure and deterministic: plain numbers in, plain data out. The caller plans the candidate shard
 * counts (planShards) and finds the overhead and stage times (config, history, defaults).
 */
// the tables print seconds this way too; one format in a plan's text
import { formatSeconds } from '../../report/format.js';
import type { PipelineStageName, SourcedSeconds } from './measure.js';

/** The part of a Plan this model needs; a Plan from planShards fits. */
export interface CandidatePlan {
  readonly shardCount: number;
  readonly shards: readonly { readonly index: number; readonly estimatedSeconds: number }[];
}

export interface PipelineInput {
  /** One plan per candidate shard count, any order; counts must be distinct. */
  readonly candidates: readonly CandidatePlan[];
  /** Per node: checkout, install, boot, runner start-up. */
  readonly overhead: SourcedSeconds;
  /** Stage durations; source 'none' means the stage is not part of this pipeline. */
  readonly build: SourcedSeconds;
  readonly package: SourcedSeconds;
  readonly merge: SourcedSeconds;
  readonly deploy: SourcedSeconds;
  /** Target for the test stage (a shard's overhead plus its tests, slowest shard). */
  readonly targetSeconds?: number | undefined;
  /** A fixed shard count (`--shards N`): no recommendation, just the prediction. */
  readonly shards?: number | undefined;
}

export interface ShardCountOption {
  readonly shards: number;
  /** Slowest shard's estimated test seconds. */
  readonly makespanSeconds: number;
  /** Test stage wall time: overhead + makespan. */
  readonly testStageSeconds: number;
  /** Sum over shards of (overhead + shard seconds), in minutes: what the CI bills. */
  readonly nodeMinutes: number;
  /** Whole pipeline, build to deploy. */
  readonly pipelineSeconds: number;
  /** Undefined when there is no target. */
  readonly meetsTarget?: boolean | undefined;
}

/** A stage on the timeline; the fields of the report's TimelineStage plus the graph. */
export interface PipelineStage {
  readonly name: string;
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly lane?: string | undefined;
  /** Stages that must finish first. */
  readonly needs: readonly string[];
  readonly critical: boolean;
}

export type RecommendationReason = 'fixed' | 'target' | 'fastest' | 'knee';

export interface PipelinePlan {
  readonly schemaVersion: 1;
  readonly recommendedShards: number;
  readonly reason: RecommendationReason;
  readonly targetSeconds?: number | undefined;
  readonly meetsTarget?: boolean | undefined;
  readonly overhead: SourcedSeconds;
  readonly durations: Readonly<Record<Exclude<PipelineStageName, 'tests'>, SourcedSeconds>>;
  /** Per candidate shard count, ascending. */
  readonly options: readonly ShardCountOption[];
  /** build, tests, package, merge, deploy (stages not in the pipeline left out). */
  readonly stages: readonly PipelineStage[];
  /** One per shard of the recommended count, on lane 'tests'. */
  readonly shardStages: readonly PipelineStage[];
  /** Stage names from the first to the last, along the longest chain. */
  readonly criticalPath: readonly string[];
  readonly totalSeconds: number;
  readonly totalMinutes: number;
  /** Sentences for people: why this count, what was assumed. */
  readonly notes: readonly string[];
}

/** Without a target, the smallest count within this factor of the fastest test stage. */
export const KNEE_FACTOR = 1.1;

export function planPipeline(input: PipelineInput): PipelinePlan {
  if (input.candidates.length === 0) throw new Error('planPipeline: no candidate plans');
  const overhead = input.overhead.seconds;
  const candidates = [...input.candidates].sort((a, b) => a.shardCount - b.shardCount);
  const options = candidates.map((plan) => optionFor(plan, overhead, input));
  const notes: string[] = [];

  let chosen: ShardCountOption;
  let reason: RecommendationReason;
  if (input.shards !== undefined) {
    const fixed = options.find((o) => o.shards === input.shards);
    if (!fixed) throw new Error(`planPipeline: no candidate plan for ${input.shards} shards`);
    chosen = fixed;
    reason = 'fixed';
  } else if (input.targetSeconds !== undefined) {
    const meeting = options.filter((o) => o.meetsTarget === true);
    if (meeting.length > 0) {
      chosen = meeting.reduce((best, o) => (cheaper(o, best) ? o : best));
      reason = 'target';
    } else {
      chosen = options.reduce((best, o) => (faster(o, best) ? o : best));
      reason = 'fastest';
      notes.push(
        `No shard count meets the ${formatSeconds(input.targetSeconds)} target: the largest file or the ` +
          `per-node overhead (${formatSeconds(overhead)}) bounds the test stage at ` +
          `${formatSeconds(chosen.testStageSeconds)}; recommending the fastest.`,
      );
    }
  } else {
    const fastest = options.reduce((best, o) => (faster(o, best) ? o : best));
    // Past the knee each extra node buys little time and costs a full overhead; stop there.
    chosen = options.find((o) => o.testStageSeconds <= fastest.testStageSeconds * KNEE_FACTOR) ?? fastest;
    reason = 'knee';
    notes.push(
      `No target given: recommending the fewest shards within ${Math.round((KNEE_FACTOR - 1) * 100)}% ` +
        `of the fastest test stage (${formatSeconds(fastest.testStageSeconds)} at ${fastest.shards} shards).`,
    );
  }
  if (reason === 'target') {
    notes.push(
      `${chosen.shards} shard${chosen.shards === 1 ? '' : 's'} meet${chosen.shards === 1 ? 's' : ''} the ` +
        `${formatSeconds(input.targetSeconds ?? 0)} target at the least node-minutes ` +
        `(${chosen.nodeMinutes.toFixed(1)}).`,
    );
  }
  notes.push(`Per-node overhead ${formatSeconds(overhead)} (${describeSource(input.overhead)}).`);

  const plan = candidates.find((c) => c.shardCount === chosen.shards);
  /* c8 ignore next */
  if (!plan) throw new Error('planPipeline: chosen plan vanished');
  const graph = schedule(input, chosen.testStageSeconds);
  const testsStage = graph.stages.find((s) => s.name === 'tests');
  const testsStart = testsStage?.startSeconds ?? 0;
  const shardStages: PipelineStage[] = [...plan.shards]
    .sort((a, b) => a.index - b.index)
    .map((shard) => ({
      name: `shard ${shard.index}/${plan.shardCount}`,
      startSeconds: testsStart,
      durationSeconds: overhead + shard.estimatedSeconds,
      lane: 'tests',
      needs: graph.stages.some((s) => s.name === 'build') ? ['build'] : [],
      critical: testsStage?.critical === true && overhead + shard.estimatedSeconds === chosen.testStageSeconds,
    }));

  return {
    schemaVersion: 1,
    recommendedShards: chosen.shards,
    reason,
    targetSeconds: input.targetSeconds,
    meetsTarget: chosen.meetsTarget,
    overhead: input.overhead,
    durations: { build: input.build, package: input.package, merge: input.merge, deploy: input.deploy },
    options,
    stages: graph.stages,
    shardStages,
    criticalPath: graph.criticalPath,
    totalSeconds: graph.totalSeconds,
    totalMinutes: graph.totalSeconds / 60,
    notes,
  };
}

function optionFor(plan: CandidatePlan, overhead: number, input: PipelineInput): ShardCountOption {
  let makespan = 0;
  let busy = 0;
  for (const shard of plan.shards) {
    makespan = Math.max(makespan, shard.estimatedSeconds);
    busy += shard.estimatedSeconds;
  }
  // Every shard is a node that checks out and boots, even an empty one (CI starts N jobs).
  const count = Math.max(plan.shardCount, plan.shards.length);
  const testStageSeconds = overhead + makespan;
  const nodeMinutes = (count * overhead + busy) / 60;
  return {
    shards: plan.shardCount,
    makespanSeconds: makespan,
    testStageSeconds,
    nodeMinutes,
    pipelineSeconds: schedule(input, testStageSeconds).totalSeconds,
    meetsTarget: input.targetSeconds === undefined ? undefined : testStageSeconds <= input.targetSeconds,
  };
}

/** Fewer node-minutes, then a shorter test stage, then fewer shards. */
function cheaper(a: ShardCountOption, b: ShardCountOption): boolean {
  if (a.nodeMinutes !== b.nodeMinutes) return a.nodeMinutes < b.nodeMinutes;
  if (a.testStageSeconds !== b.testStageSeconds) return a.testStageSeconds < b.testStageSeconds;
  return a.shards < b.shards;
}

/** A shorter test stage, then fewer node-minutes, then fewer shards. */
function faster(a: ShardCountOption, b: ShardCountOption): boolean {
  if (a.testStageSeconds !== b.testStageSeconds) return a.testStageSeconds < b.testStageSeconds;
  if (a.nodeMinutes !== b.nodeMinutes) return a.nodeMinutes < b.nodeMinutes;
  return a.shards < b.shards;
}

export function describeSource(value: SourcedSeconds): string {
  switch (value.source) {
    case 'config':
      return 'from the config';
    case 'history':
      return `measured: median of ${value.samples ?? 0} sample${value.samples === 1 ? '' : 's'} in the history`;
    case 'default':
      return 'default; set it in the config or let the history measure it';
    case 'none':
      return 'not in this pipeline';
  }
}

interface Node {
  readonly name: PipelineStageName;
  readonly seconds: number;
  readonly lane: string;
  readonly needs: readonly PipelineStageName[];
}

/**
 * Earliest-start schedule of the stage graph, and its critical path. Stages whose source is
 * 'none' are left out and their dependants wait on what they waited on.
 */
function schedule(
  input: PipelineInput,
  testStageSeconds: number,
): { stages: PipelineStage[]; criticalPath: string[]; totalSeconds: number } {
  const present = (s: SourcedSeconds): boolean => s.source !== 'none';
  const nodes: Node[] = [];
  const hasBuild = present(input.build);
  const hasPackage = present(input.package);
  const root: PipelineStageName[] = hasBuild ? ['build'] : [];
  if (hasBuild) nodes.push({ name: 'build', seconds: input.build.seconds, lane: 'main', needs: [] });
  nodes.push({ name: 'tests', seconds: testStageSeconds, lane: 'tests', needs: root });
  // Packaging needs the build, not the tests: it runs beside the shards.
  if (hasPackage) nodes.push({ name: 'package', seconds: input.package.seconds, lane: 'package', needs: root });
  nodes.push({ name: 'merge', seconds: input.merge.seconds, lane: 'main', needs: ['tests'] });
  if (present(input.deploy)) {
    nodes.push({
      name: 'deploy',
      seconds: input.deploy.seconds,
      lane: 'main',
      needs: hasPackage ? ['merge', 'package'] : ['merge'],
    });
  }

  const start = new Map<string, number>();
  const end = new Map<string, number>();
  for (const node of nodes) {
    const s = Math.max(0, ...node.needs.map((n) => end.get(n) ?? 0));
    start.set(node.name, s);
    end.set(node.name, s + node.seconds);
  }
  let last = nodes[0];
  for (const node of nodes) if ((end.get(node.name) ?? 0) >= (end.get(last?.name ?? '') ?? 0)) last = node;
  const critical: string[] = [];
  let cursor: Node | undefined = last;
  while (cursor) {
    critical.unshift(cursor.name);
    const begin = start.get(cursor.name) ?? 0;
    // The predecessor that finished last is the one that held this stage back; ties go to the
    // first named (tests before package), so the path is deterministic.
    let holder: Node | undefined;
    for (const need of cursor.needs) {
      const candidate = nodes.find((n) => n.name === need);
      if (!candidate) continue;
      if (holder === undefined || (end.get(candidate.name) ?? 0) > (end.get(holder.name) ?? 0)) holder = candidate;
    }
    cursor = holder !== undefined && (end.get(holder.name) ?? 0) >= begin ? holder : undefined;
  }
  const onPath = new Set(critical);
  const stages: PipelineStage[] = nodes.map((node) => ({
    name: node.name,
    startSeconds: start.get(node.name) ?? 0,
    durationSeconds: node.seconds,
    lane: node.lane,
    needs: node.needs,
    critical: onPath.has(node.name),
  }));
  return { stages, criticalPath: critical, totalSeconds: Math.max(0, ...[...end.values()]) };
}
