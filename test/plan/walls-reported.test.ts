import { describe, expect, it } from 'vitest';
import { fitWallModel, planShards, type TimingRun } from '../../src/plan/index.js';

// One recorded run, split by count (4 files per shard), of files that differ in import: walls
// alone cannot tell a shard's start-up from its files' overheads (3 equations), but reports
// whose per-file suites hold the import (jest-junit) can.
const imports: Record<string, number> = {};
const tests: Record<string, number> = {};
for (let i = 0; i < 12; i++) {
  const file = `t${String(i).padStart(2, '0')}.test.js`;
  const heavy = i % 3 === 0;
  imports[file] = heavy ? 3 : 0.05;
  tests[file] = heavy ? 0.1 : 2 + (i % 4);
}
const files = Object.keys(tests);
const layout = [files.slice(0, 4), files.slice(4, 8), files.slice(8)];
const STARTUP = 5;

function oneRun(suiteHoldsImport: boolean): TimingRun {
  const seconds = new Map(Object.entries(tests));
  const fileWalls = new Map(files.map((f) => [f, tests[f]! + (suiteHoldsImport ? imports[f]! : 0.001)]));
  const shards = layout.map((list, s) => ({ index: s + 1, files: list, wallSeconds: STARTUP + list.reduce((sum, f) => sum + tests[f]! + imports[f]!, 0) }));
  return { source: 'run-1', timestamp: '2026-01-01T00:00:00Z', seconds, fileWalls, shards };
}

describe('walls after one recorded run, from per-file suite times', () => {
  it('takes each file overhead from its report and the start-up from wall minus the file walls', () => {
    const model = fitWallModel([oneRun(true)]);
    expect(model.reportedFiles).toBe(12);
    expect(model.separated).toBe(true);
    expect(model.fixedSeconds).toBeCloseTo(STARTUP, 6);
    expect(model.perFileSeconds).toBe(0);
    for (const f of files) expect(model.ownOverhead.get(f)).toBeCloseTo(imports[f]!, 6);
  });

  it('plans walls that agree with each other and with the truth', () => {
    const plan = planShards({ files, shards: 3, runs: [oneRun(true)] });
    const truth = plan.shards.map((s) => STARTUP + s.files.reduce((sum, f) => sum + tests[f]! + imports[f]!, 0));
    plan.shards.forEach((s, i) => expect(s.estimatedSeconds).toBeCloseTo(truth[i]!, 2));
    expect(Math.max(...truth) / Math.min(...truth)).toBeLessThan(1.1);
    expect(plan.walls.filesWithReportedOverhead).toBe(12);
  });

  it('does not trust suite times that only sum the testcases (vitest, playwright): shard walls alone, as before', () => {
    const model = fitWallModel([oneRun(false)]);
    expect(model.reportedFiles).toBe(0);
    expect(model.separated).toBe(false);
    expect(model.fixedSeconds).toBe(0);
    expect(model.perFileSeconds).toBeGreaterThan(1);
  });
});

describe('reported file walls on a shard that ran its files side by side', () => {
  it("scales each file's reported overhead to its share of the shard's time beyond its tests", () => {
    const seconds = new Map([['a', 1], ['b', 1]]);
    // each file took 3 s in its own process, two at once: the shard took 4 s, not 6
    const run: TimingRun = { source: 'r', timestamp: '2026-01-01T00:00:00Z', seconds, fileWalls: new Map([['a', 3], ['b', 3]]), shards: [{ index: 1, files: ['a', 'b'], wallSeconds: 4 }] };
    const model = fitWallModel([run]);
    expect(model.ownOverhead.get('a')).toBeCloseTo(1, 6);
    expect(model.ownOverhead.get('b')).toBeCloseTo(1, 6);
    expect(model.fixedSeconds).toBe(0);
  });
});
