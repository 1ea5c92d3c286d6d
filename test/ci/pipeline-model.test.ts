import { describe, expect, it } from 'vitest';
import { planPipeline, type CandidatePlan, type PipelineInput } from '../../src/ci/pipeline/model.js';
import { formatDuration, parseDuration } from '../../src/ci/pipeline/duration.js';
import { overheadFromHistory, pickSeconds, stageFromHistory } from '../../src/ci/pipeline/measure.js';
import type { History, RunSummary } from '../../src/timings/history-types.js';

/** LPT over fixed file seconds, enough to give the model realistic candidates. */
function candidate(n: number, files: number[]): CandidatePlan {
  const loads = Array.from({ length: n }, () => 0);
  for (const f of [...files].sort((a, b) => b - a)) {
    let min = 0;
    for (let i = 1; i < n; i++) if ((loads[i] ?? 0) < (loads[min] ?? 0)) min = i;
    loads[min] = (loads[min] ?? 0) + f;
  }
  return { shardCount: n, shards: loads.map((s, i) => ({ index: i + 1, estimatedSeconds: s })) };
}

const files = [120, 100, 90, 80, 60, 50, 40, 30, 30, 20, 20, 10];
const total = files.reduce((a, b) => a + b, 0); // 650
const sec = (seconds: number, source: 'config' | 'history' | 'default' | 'none' = 'config') => ({ seconds, source });

function input(over: Partial<PipelineInput> = {}): PipelineInput {
  return {
    candidates: [1, 2, 3, 4, 5, 6, 8].map((n) => candidate(n, files)),
    overhead: sec(30),
    build: sec(60),
    package: sec(200),
    merge: sec(10),
    deploy: sec(40),
    ...over,
  };
}

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and plain numbers', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h30m15s')).toBe(5415);
    expect(parseDuration('1.5m')).toBe(90);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration(' 2M ')).toBe(120);
  });
  it('rejects what is not a positive duration', () => {
    for (const bad of ['', 'm', '10x', '30m1h', '-5', '0', '0m', '1d', '10 minutes', 'h']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
  it('formats for people', () => {
    expect(formatDuration(754)).toBe('12m34s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(3600)).toBe('1h00m');
  });
});

describe('planPipeline', () => {
  it('recommends the shard count that meets the target at the least node-minutes', () => {
    const plan = planPipeline(input({ targetSeconds: 250 }));
    const meeting = plan.options.filter((o) => o.meetsTarget);
    expect(meeting.length).toBeGreaterThan(0);
    const least = Math.min(...meeting.map((o) => o.nodeMinutes));
    expect(plan.reason).toBe('target');
    expect(plan.meetsTarget).toBe(true);
    const chosen = plan.options.find((o) => o.shards === plan.recommendedShards);
    expect(chosen?.nodeMinutes).toBe(least);
    expect(chosen?.testStageSeconds).toBeLessThanOrEqual(250);
    // every option that does not meet it is too slow, and node-minutes grow with overhead per node
    for (const o of plan.options) {
      expect(o.nodeMinutes).toBeCloseTo((o.shards * 30 + total) / 60, 9);
      expect(o.meetsTarget).toBe(o.testStageSeconds <= 250);
    }
  });

  it('prefers cheaper over faster when both meet the target', () => {
    // 3 shards (makespan ~217 + 30) and more all meet 400 s; 2 shards is the cheapest that meets
    const plan = planPipeline(input({ targetSeconds: 400 }));
    expect(plan.recommendedShards).toBe(2);
  });

  it('falls back to the fastest with a note when nothing meets the target', () => {
    const plan = planPipeline(input({ targetSeconds: 60 }));
    expect(plan.reason).toBe('fastest');
    expect(plan.meetsTarget).toBe(false);
    const fastest = Math.min(...plan.options.map((o) => o.testStageSeconds));
    const chosen = plan.options.find((o) => o.shards === plan.recommendedShards);
    expect(chosen?.testStageSeconds).toBe(fastest);
    // the largest file (120 s) bounds it; among equally fast counts the cheapest wins
    expect(fastest).toBe(150);
    const cheapestFastest = plan.options.filter((o) => o.testStageSeconds === fastest)[0];
    expect(plan.recommendedShards).toBe(cheapestFastest?.shards);
    expect(plan.notes.join(' ')).toMatch(/No shard count meets the 1m 00s target/);
  });

  it('predicts the critical path: build, shards beside packaging, merge, deploy after both', () => {
    const plan = planPipeline(input({ shards: 4 }));
    const byName = new Map(plan.stages.map((s) => [s.name, s]));
    const build = byName.get('build');
    const tests = byName.get('tests');
    const pack = byName.get('package');
    const merge = byName.get('merge');
    const deploy = byName.get('deploy');
    expect(build?.startSeconds).toBe(0);
    expect(tests?.startSeconds).toBe(60);
    expect(pack?.startSeconds).toBe(60); // concurrent with the shards
    const makespan = plan.options.find((o) => o.shards === 4)?.makespanSeconds ?? 0;
    expect(tests?.durationSeconds).toBe(30 + makespan);
    expect(merge?.startSeconds).toBe(60 + 30 + makespan);
    expect(deploy?.needs).toEqual(['merge', 'package']);
    expect(deploy?.startSeconds).toBe(Math.max(60 + 30 + makespan + 10, 60 + 200));
    expect(plan.totalSeconds).toBe((deploy?.startSeconds ?? 0) + 40);
    expect(plan.shardStages).toHaveLength(4);
    expect(plan.shardStages.every((s) => s.startSeconds === 60)).toBe(true);
    // tests (30 + 170) + merge 10 = 210 > package 200: tests are on the critical path
    expect(makespan).toBe(170);
    expect(plan.criticalPath).toEqual(['build', 'tests', 'merge', 'deploy']);
  });

  it('puts packaging on the critical path when it is the longer branch', () => {
    const plan = planPipeline(input({ shards: 8, package: sec(500) }));
    expect(plan.criticalPath).toEqual(['build', 'package', 'deploy']);
    expect(plan.stages.find((s) => s.name === 'deploy')?.startSeconds).toBe(560);
    expect(plan.totalSeconds).toBe(600);
  });

  it('leaves out stages that are not in the pipeline', () => {
    const plan = planPipeline(input({ shards: 2, build: sec(0, 'none'), package: sec(0, 'none'), deploy: sec(0, 'none') }));
    expect(plan.stages.map((s) => s.name)).toEqual(['tests', 'merge']);
    expect(plan.criticalPath).toEqual(['tests', 'merge']);
  });

  it('without a target stops at the knee', () => {
    const plan = planPipeline(input());
    expect(plan.reason).toBe('knee');
    const fastest = Math.min(...plan.options.map((o) => o.testStageSeconds));
    const chosen = plan.options.find((o) => o.shards === plan.recommendedShards);
    expect(chosen?.testStageSeconds).toBeLessThanOrEqual(fastest * 1.1);
    for (const o of plan.options) if (o.shards < plan.recommendedShards) expect(o.testStageSeconds).toBeGreaterThan(fastest * 1.1);
  });

  it('is deterministic and independent of candidate order', () => {
    const a = planPipeline(input({ targetSeconds: 300 }));
    const reversed = input({ targetSeconds: 300 });
    const b = planPipeline({ ...reversed, candidates: [...reversed.candidates].reverse() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('a larger overhead recommends fewer, fuller shards for the same target', () => {
    const cheap = planPipeline(input({ targetSeconds: 400, overhead: sec(5) }));
    const dear = planPipeline(input({ targetSeconds: 400, overhead: sec(150) }));
    expect(dear.recommendedShards).toBeGreaterThanOrEqual(cheap.recommendedShards);
    const dearChosen = dear.options.find((o) => o.shards === dear.recommendedShards);
    expect(dearChosen?.testStageSeconds).toBeLessThanOrEqual(400);
  });
});

function run(id: string, shards: RunSummary['shards'], stages?: Record<string, number>): RunSummary {
  return {
    id,
    time: '2024-01-01T00:00:00Z',
    shards,
    totalSeconds: 0,
    fileCount: 0,
    largestFileSeconds: 0,
    added: [],
    removed: [],
    failedFiles: [],
    stages,
  };
}

describe('measurements from the history', () => {
  const history: History = {
    version: 1,
    files: {},
    runs: [
      run('1', [
        { index: 1, wallSeconds: 14, measuredSeconds: 10, files: 3 },
        { index: 2, wallSeconds: 13, measuredSeconds: 9, files: 3 },
      ], { build: 5, package: 20 }),
      run('2', [
        { index: 1, wallSeconds: 16, measuredSeconds: 10, files: 3 },
        { index: 2, wallSeconds: 60, measuredSeconds: 9, files: 3 }, // a cold node: the median ignores it
        { index: 3, wallSeconds: 2, measuredSeconds: 0, files: 0 }, // empty shard: not an overhead sample
        { index: 4, measuredSeconds: 8 }, // no wall time: not a sample
      ], { build: 7, package: 22, deploy: 1 }),
    ],
  };
  it('measures the per-node overhead as the median of wall minus test seconds', () => {
    expect(overheadFromHistory(history)).toEqual({ seconds: 5, source: 'history', samples: 4 });
    expect(overheadFromHistory({ version: 1, files: {}, runs: [] })).toBeUndefined();
    expect(overheadFromHistory(undefined)).toBeUndefined();
  });
  it('measures stages as medians and says where each number came from', () => {
    expect(stageFromHistory(history, 'build')).toEqual({ seconds: 6, source: 'history', samples: 2 });
    expect(stageFromHistory(history, 'deploy')).toEqual({ seconds: 1, source: 'history', samples: 1 });
    expect(stageFromHistory(history, 'merge')).toBeUndefined();
    expect(pickSeconds(3, stageFromHistory(history, 'build'), 60)).toEqual({ seconds: 3, source: 'config' });
    expect(pickSeconds(undefined, stageFromHistory(history, 'build'), 60).source).toBe('history');
    expect(pickSeconds(undefined, undefined, 60)).toEqual({ seconds: 60, source: 'default' });
  });
  it('feeds the measured overhead into the recommendation', () => {
    const measured = overheadFromHistory(history);
    if (!measured) throw new Error('expected a measurement');
    const plan = planPipeline(input({ overhead: measured, targetSeconds: 400 }));
    expect(plan.overhead.source).toBe('history');
    expect(plan.notes.join(' ')).toMatch(/measured: median of 4 samples/);
  });
});
