import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictPipeline } from '../../src/ci/pipeline/predict.js';
import { stageInputs } from '../../src/ci/pipeline/stage-inputs.js';

const suite = fc.record({
  seconds: fc.array(fc.double({ min: 0.1, max: 300, noNaN: true }), { minLength: 1, maxLength: 40 }),
  overhead: fc.integer({ min: 0, max: 120 }),
  pack: fc.integer({ min: 1, max: 600 }),
  deploy: fc.integer({ min: 1, max: 120 }),
  target: fc.integer({ min: 30, max: 3600 }),
});

describe('predictPipeline invariants', () => {
  it('recommends the cheapest count that meets the target, else the fastest; the graph keeps its order', () => {
    fc.assert(
      fc.property(suite, ({ seconds, overhead, pack, deploy, target }) => {
        const files = seconds.map((_, i) => `t/${String(i).padStart(3, '0')}.test.js`);
        const runs = [{ source: 'r.json', seconds: new Map(files.map((f, i) => [f, seconds[i]!])) }];
        const stages = stageInputs({ nodeOverheadSeconds: overhead, package: 'p', packageSeconds: pack, deploy: 'd', deploySeconds: deploy }, undefined);
        const { pipeline, plan } = predictPipeline({ files, runs, stages, targetSeconds: target });
        const chosen = pipeline.options.find((o) => o.shards === pipeline.recommendedShards)!;
        const meeting = pipeline.options.filter((o) => o.meetsTarget);
        if (meeting.length > 0) {
          expect(chosen.meetsTarget).toBe(true);
          expect(chosen.nodeMinutes).toBeLessThanOrEqual(Math.min(...meeting.map((o) => o.nodeMinutes)) + 1e-9);
        } else {
          expect(chosen.testStageSeconds).toBeLessThanOrEqual(Math.min(...pipeline.options.map((o) => o.testStageSeconds)) + 1e-9);
        }
        expect(plan.shardCount).toBe(pipeline.recommendedShards);
        expect(plan.shards.flatMap((s) => s.files).sort()).toEqual(files);
        const at = new Map(pipeline.stages.map((s) => [s.name, s]));
        const end = (name: string): number => (at.get(name)?.startSeconds ?? 0) + (at.get(name)?.durationSeconds ?? 0);
        expect(at.get('package')?.startSeconds).toBe(at.get('tests')?.startSeconds);
        expect(at.get('merge')!.startSeconds).toBeGreaterThanOrEqual(end('tests') - 1e-9);
        expect(at.get('deploy')!.startSeconds).toBeGreaterThanOrEqual(Math.max(end('merge'), end('package')) - 1e-9);
        expect(pipeline.totalSeconds).toBeCloseTo(end('deploy'), 9);
      }),
      { numRuns: 60, seed: 4242 },
    );
  });
});
