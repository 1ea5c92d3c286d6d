import { describe, expect, it } from 'vitest';
import { candidateShardCounts } from '../../src/ci/pipeline/candidates.js';
import { predictPipeline } from '../../src/ci/pipeline/predict.js';
import { renderPipelinePlanText } from '../../src/ci/pipeline/render-text.js';
import { stageInputs } from '../../src/ci/pipeline/stage-inputs.js';
import { pipelineTimeline } from '../../src/ci/pipeline/timeline.js';
import type { TimingRun } from '../../src/plan/types.js';
import type { History, RunSummary } from '../../src/timings/history-types.js';

const files = Array.from({ length: 20 }, (_, i) => `tests/${i < 10 ? 'slow' : 'fast'}/f${String(i).padStart(2, '0')}.test.ts`);
const seconds = new Map(files.map((f, i) => [f, i < 10 ? 60 + i * 5 : 10 + i]));
const runs: TimingRun[] = [{ source: 'r1.xml', seconds }];
const total = [...seconds.values()].reduce((a, b) => a + b, 0);

function run(over: Partial<RunSummary>): RunSummary {
  return {
    id: 'r',
    time: '2026-01-01T00:00:00Z',
    shards: [],
    totalSeconds: 0,
    fileCount: 0,
    largestFileSeconds: 0,
    added: [],
    removed: [],
    failedFiles: [],
    ...over,
  };
}

describe('candidateShardCounts', () => {
  it('tries every count to 16, then a ladder, never more shards than files, plus the fixed one', () => {
    expect(candidateShardCounts(3)).toEqual([1, 2, 3]);
    expect(candidateShardCounts(0)).toEqual([1]);
    expect(candidateShardCounts(3, 5)).toEqual([1, 2, 3, 5]);
    const many = candidateShardCounts(1000);
    expect(many.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(many.at(-1)).toBe(64);
    expect(new Set(many).size).toBe(many.length);
  });
});

describe('stageInputs', () => {
  it('without a pipeline section assumes the usual pipeline at default lengths', () => {
    const s = stageInputs(undefined, undefined);
    expect(s.build.source).toBe('default');
    expect(s.package.source).toBe('default');
    expect(s.deploy.source).toBe('default');
    expect(s.overhead).toEqual({ seconds: 30, source: 'default' });
  });

  it('with a section, leaves out stages it does not name; config beats history beats default', () => {
    const history: History = {
      version: 1,
      files: {},
      runs: [
        run({ stages: { package: 40, merge: 2 }, shards: [{ index: 1, files: 3, wallSeconds: 14, measuredSeconds: 10 }] }),
        run({ stages: { package: 50, merge: 4 }, shards: [{ index: 1, files: 3, wallSeconds: 13, measuredSeconds: 10 }] }),
      ],
    };
    const s = stageInputs({ package: 'npm pack', deploy: 'node deploy.mjs', deploySeconds: 7 }, history);
    expect(s.build.source).toBe('none');
    expect(s.package).toEqual({ seconds: 45, source: 'history', samples: 2 });
    expect(s.deploy).toEqual({ seconds: 7, source: 'config' });
    expect(s.merge).toEqual({ seconds: 3, source: 'history', samples: 2 });
    expect(s.overhead).toEqual({ seconds: 3.5, source: 'history', samples: 2 });
    expect(stageInputs({ nodeOverheadSeconds: 12 }, history).overhead).toEqual({ seconds: 12, source: 'config' });
  });
});

describe('predictPipeline', () => {
  const stages = stageInputs({ package: 'p', deploy: 'd', nodeOverheadSeconds: 20, packageSeconds: 100, deploySeconds: 30, mergeSeconds: 5 }, undefined);

  it('recommends the cheapest count meeting the target, with that count\'s shard plan', () => {
    const { pipeline, plan } = predictPipeline({ files, runs, stages, targetSeconds: 300 });
    expect(pipeline.reason).toBe('target');
    expect(plan.shardCount).toBe(pipeline.recommendedShards);
    const chosen = pipeline.options.find((o) => o.shards === pipeline.recommendedShards);
    expect(chosen?.testStageSeconds).toBeLessThanOrEqual(300);
    expect(chosen?.makespanSeconds).toBeCloseTo(Math.max(...plan.shards.map((s) => s.estimatedSeconds)), 6);
    // every count that also meets the target costs at least as many node-minutes
    for (const o of pipeline.options.filter((x) => x.meetsTarget)) expect(o.nodeMinutes).toBeGreaterThanOrEqual(chosen!.nodeMinutes);
    // node-minutes: N overheads plus the total test time
    for (const o of pipeline.options) expect(o.nodeMinutes).toBeCloseTo((o.shards * 20 + total) / 60, 6);
    expect(plan.shards.flatMap((s) => s.files).sort()).toEqual([...files].sort());
  });

  it('predicts a fixed count with deploy after merge and package', () => {
    const { pipeline, plan } = predictPipeline({ files, runs, stages, shards: 4 });
    expect(pipeline.reason).toBe('fixed');
    expect(plan.shardCount).toBe(4);
    expect(pipeline.stages.map((s) => s.name)).toEqual(['tests', 'package', 'merge', 'deploy']);
    expect(pipeline.stages.find((s) => s.name === 'deploy')?.needs).toEqual(['merge', 'package']);
    const rows = pipelineTimeline(pipeline);
    expect(rows.map((r) => r.name)).toEqual(['shard 1/4', 'shard 2/4', 'shard 3/4', 'shard 4/4', 'package', 'merge', 'deploy']);
    // shards and package start together
    expect(new Set(rows.slice(0, 5).map((r) => r.startSeconds))).toEqual(new Set([0]));
  });

  it('a shard count above the file count is still predicted (with empty shards)', () => {
    const { plan, pipeline } = predictPipeline({ files: files.slice(0, 3), runs, stages, shards: 5 });
    expect(plan.shards.filter((s) => s.files.length === 0)).toHaveLength(2);
    expect(pipeline.recommendedShards).toBe(5);
  });

  it('renders the table, the assumptions and the timeline', () => {
    const { pipeline } = predictPipeline({ files, runs, stages, targetSeconds: 300 });
    const text = renderPipelinePlanText(pipeline, { width: 100 });
    expect(text).toMatch(new RegExp(`^Pipeline plan: ${pipeline.recommendedShards} shards \\(meets the 5m 00s target`));
    expect(text).toMatch(new RegExp(`^>\\s+${pipeline.recommendedShards}\\s`, 'm'));
    expect(text).toMatch(/node overhead\s+20\.0s\s+from the config/);
    expect(text).toMatch(/build\s+-\s+not in this pipeline/);
    expect(text).toContain('Critical path: tests -> ');
    expect(text).toContain('Pipeline timeline (█ predicted)');
    expect(text).toMatch(/^package +█/m);
    expect(text).toMatch(/^shard 1\/\d+ \(tests\) +█/m);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('says up front what the numbers rest on: target source, measured or counted test times, default stage times', () => {
    const basis = { estimator: 'median-3', files: 20, estimatedFiles: 0, timingRuns: 3, history: { label: 'h.json', runs: 3 }, targetFrom: '--target' };
    const { pipeline } = predictPipeline({ files, runs, stages, targetSeconds: 300 });
    const measured = renderPipelinePlanText(pipeline, { basis });
    expect(measured).toContain('Target: test stage (node overhead + slowest shard) at most 5m 00s, from --target');
    expect(measured).toContain('Test times: measured, all 20 files from 3 timing runs (estimator median-3).');
    // the overhead comes from the config here: not every stage time is a default
    expect(measured).not.toContain('Stage times: defaults');

    const partly = renderPipelinePlanText(pipeline, { basis: { ...basis, estimatedFiles: 4 } });
    expect(partly).toContain('4 of 20 files have no timing and are estimated from the others');

    // no timings, no history: both said plainly, and no target column without a target
    const guessed = predictPipeline({ files, runs: [], stages: stageInputs(undefined, undefined) });
    const text = renderPipelinePlanText(guessed.pipeline, {
      basis: { estimator: 'none', files: 20, estimatedFiles: 20, timingRuns: 0, history: { label: '.split-tests/history.json', runs: undefined } },
    });
    expect(text).toMatch(/^Test times: none measured\. Every file counts as 1 s, so the shard and test-stage times below are file counts, not predictions/m);
    expect(text).toMatch(/^Stage times: defaults, not measurements \(no history at \.split-tests\/history\.json\)/m);
    expect(text).not.toMatch(/misses|meets|^Target:/m);
    expect(text).toMatch(/^\s+shards\s+slowest shard\s+test stage\s+node-min\s+pipeline$/m);
    const emptyHistory = renderPipelinePlanText(guessed.pipeline, {
      basis: { estimator: 'none', files: 20, estimatedFiles: 20, timingRuns: 0, history: { label: 'h.json', runs: 2 } },
    });
    expect(emptyHistory).toContain('(the history h.json holds no stage times yet)');
  });

  it('a fixed shard count says whether it meets the target', () => {
    const { pipeline } = predictPipeline({ files, runs, stages, targetSeconds: 60, shards: 2 });
    expect(renderPipelinePlanText(pipeline)).toMatch(/^Pipeline plan: 2 shards \(as asked; misses the 1m 00s target\)/);
    const { pipeline: easy } = predictPipeline({ files, runs, stages, targetSeconds: 3600, shards: 2 });
    expect(renderPipelinePlanText(easy)).toMatch(/^Pipeline plan: 2 shards \(as asked; meets the 1h 00m target\)/);
  });

  it('marks measured stages on the timeline', () => {
    const { pipeline } = predictPipeline({ files, runs, stages, shards: 2 });
    const rows = pipelineTimeline(pipeline, { 'shard 1/2': { startSeconds: 1, durationSeconds: 9 }, merge: { startSeconds: 12, durationSeconds: 1 } });
    expect(rows.find((r) => r.name === 'shard 1/2')).toMatchObject({ measuredStartSeconds: 1, measuredDurationSeconds: 9 });
    expect(rows.find((r) => r.name === 'shard 2/2')?.measuredDurationSeconds).toBeUndefined();
  });
});

describe('timelineFromStages (a recorded run for the report)', () => {
  it('lays measured and predicted seconds on the graph: package beside tests, deploy after both', async () => {
    const { timelineFromStages } = await import('../../src/ci/pipeline/timeline.js');
    const rows = timelineFromStages(
      { build: 5, tests: 30, package: 50, merge: 2, deploy: 3 },
      { build: 6, tests: 25, package: 40, merge: 1, deploy: 4 },
    );
    const by = new Map(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual(['build', 'tests', 'package', 'merge', 'deploy']);
    expect(by.get('tests')).toMatchObject({ startSeconds: 6, durationSeconds: 25, measuredStartSeconds: 5, measuredDurationSeconds: 30, lane: 'tests' });
    expect(by.get('package')).toMatchObject({ startSeconds: 6, measuredStartSeconds: 5, lane: 'package' });
    expect(by.get('merge')).toMatchObject({ startSeconds: 31, measuredStartSeconds: 35 });
    // deploy waits for the longer of merge and package
    expect(by.get('deploy')).toMatchObject({ startSeconds: 46, measuredStartSeconds: 55 });
  });

  it('skips stages that did not run and keeps unknown ones at the end', async () => {
    const { timelineFromStages } = await import('../../src/ci/pipeline/timeline.js');
    const rows = timelineFromStages({ tests: 10, merge: 1, lint: 4 }, { tests: 12, merge: 2, deploy: 5 });
    expect(rows.map((r) => r.name)).toEqual(['tests', 'merge', 'deploy', 'lint']);
    const by = new Map(rows.map((r) => [r.name, r]));
    expect(by.get('tests')).toMatchObject({ startSeconds: 0, measuredStartSeconds: 0 });
    expect(by.get('deploy')).toMatchObject({ startSeconds: 14, durationSeconds: 5 });
    expect(by.get('deploy')?.measuredDurationSeconds).toBeUndefined();
    expect(by.get('lint')).toMatchObject({ durationSeconds: 0, measuredStartSeconds: 11, measuredDurationSeconds: 4 });
    expect(timelineFromStages(undefined, undefined)).toEqual([]);
  });
});

describe('predictPipeline plans candidates from the estimates once', () => {
  it('gives every candidate the makespan planShards gives it from the real runs', async () => {
    const { planShards } = await import('../../src/plan/plan.js');
    // three noisy runs (a spike in one), files missing from some runs, and groups
    const noisy: TimingRun[] = [1, 2, 3].map((r) => ({
      source: `run-${r}.json`,
      timestamp: `2026-01-0${r}T00:00:00Z`,
      seconds: new Map(files.filter((_, i) => (i + r) % 7 !== 0).map((f, i) => [f, (seconds.get(f) ?? 1) * (r === 2 && i % 5 === 0 ? 3 : 1 + r / 50)])),
    }));
    const groups = { kind: 'dir', depth: 2 } as const;
    const stages = stageInputs({ nodeOverheadSeconds: 15 }, undefined);
    const { pipeline, plan } = predictPipeline({ files, runs: noisy, groups, stages, targetSeconds: 240 });
    for (const option of pipeline.options) {
      const real = planShards({ files, runs: noisy, groups, shards: option.shards });
      expect(option.makespanSeconds, `${option.shards} shards`).toBeCloseTo(Math.max(...real.shards.map((s) => s.estimatedSeconds)), 2);
    }
    expect(plan).toEqual(planShards({ files, runs: noisy, groups, shards: pipeline.recommendedShards }));
  });
});

describe('predictPipeline with recorded shard walls', () => {
  it("takes the node overhead and the shard walls from the planner's wall model, counting the start-up once", () => {
    // 12 s start-up per shard and 2 s per file beyond the tests, in shards of 5, 10 and 5 files
    const layouts = [files.slice(0, 5), files.slice(5, 15), files.slice(15)];
    const walled: TimingRun[] = [
      {
        source: 'r1',
        seconds,
        shards: layouts.map((list, s) => ({ index: s + 1, files: list, wallSeconds: 12 + list.reduce((sum, f) => sum + seconds.get(f)! + 2, 0) })),
      },
    ];
    const { pipeline, plan } = predictPipeline({ files, runs: walled, stages: stageInputs({}, undefined), shards: 4 });
    expect(plan.walls).toMatchObject({ modelled: true, fixedSeconds: 12, perFileSeconds: 2 });
    expect(pipeline.overhead).toMatchObject({ seconds: 12, source: 'history' });
    const option = pipeline.options.find((o) => o.shards === 4)!;
    const slowest = Math.max(...plan.shards.map((s) => s.estimatedSeconds));
    expect(option.makespanSeconds).toBeCloseTo(slowest - 12, 3);
    expect(option.testStageSeconds).toBeCloseTo(slowest, 3);
  });
});

describe('predictPipeline when the history cannot tell start-up from per-file overhead', () => {
  it('keeps the measured per-node overhead and the shards\' test seconds (extra nodes are never free)', () => {
    // every shard ran 5 files: the wall model puts the 12 s start-up on the files
    const layouts = [files.slice(0, 5), files.slice(5, 10), files.slice(10, 15), files.slice(15)];
    const walled: TimingRun[] = [
      {
        source: 'r1',
        seconds,
        shards: layouts.map((list, s) => ({ index: s + 1, files: list, wallSeconds: 12 + list.reduce((sum, f) => sum + seconds.get(f)! + 2, 0) })),
      },
    ];
    const stages = { ...stageInputs({}, undefined), overhead: { seconds: 22, source: 'history' as const, samples: 4 } };
    const { pipeline, plan } = predictPipeline({ files, runs: walled, stages, shards: 4 });
    expect(plan.walls).toMatchObject({ modelled: true, fixedSeconds: 0 });
    expect(pipeline.overhead).toMatchObject({ seconds: 22, source: 'history' });
    const option = pipeline.options.find((o) => o.shards === 4)!;
    expect(option.makespanSeconds).toBeCloseTo(Math.max(...plan.shards.map((s) => s.estimatedTestSeconds)), 3);
  });
});
