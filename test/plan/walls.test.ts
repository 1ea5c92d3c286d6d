import { describe, expect, it } from 'vitest';
import { fitWallModel, planShards, type ShardWall, type TimingRun } from '../../src/plan/index.js';

/** A run whose shards' walls follow the model exactly: fixed + Σ (tests + overhead). */
function run(id: number, tests: Record<string, number>, shards: string[][], fixed: number, overhead: (file: string) => number, slow: Record<number, number> = {}): TimingRun {
  const seconds = new Map(Object.entries(tests));
  const walls: ShardWall[] = shards.map((files, s) => ({
    index: s + 1,
    files,
    wallSeconds: fixed + files.reduce((sum, f) => sum + seconds.get(f)! + overhead(f), 0) + (slow[s + 1] ?? 0),
  }));
  return { source: `run-${id}`, timestamp: `2026-01-0${id + 1}T00:00:00Z`, seconds, shards: walls };
}

const files = Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}.test.js`);
const tests = Object.fromEntries(files.map((f, i) => [f, 1 + (i % 4)]));
// three layouts with different file counts per shard
const layouts = [
  [files.slice(0, 3), files.slice(3, 8), files.slice(8)],
  [files.slice(0, 6), files.slice(6, 8), files.slice(8)],
  [files.slice(0, 2), files.slice(2, 9), files.slice(9)],
];

describe('fitWallModel', () => {
  it('recovers a fixed cost per shard and a shared overhead per file', () => {
    const runs = layouts.map((layout, r) => run(r, tests, layout, 4, () => 0.5));
    const model = fitWallModel(runs);
    expect(model.modelled).toBe(true);
    expect(model.fixedSeconds).toBeCloseTo(4, 6);
    expect(model.perFileSeconds).toBeCloseTo(0.5, 6);
    expect(model.outliers).toBe(0);
  });

  it('is not moved by a shard that was slow for an outside reason', () => {
    const clean = fitWallModel(layouts.map((layout, r) => run(r, tests, layout, 4, () => 0.5)));
    // one shard waited 60 s for a busy host: least squares would raise both parts
    const slowed = fitWallModel(layouts.map((layout, r) => run(r, tests, layout, 4, () => 0.5, r === 1 ? { 2: 60 } : {})));
    expect(slowed.fixedSeconds).toBeCloseTo(clean.fixedSeconds, 1);
    expect(slowed.perFileSeconds).toBeCloseTo(clean.perFileSeconds, 1);
    expect(slowed.outliers).toBe(1);
  });

  it("finds a file's own overhead when it ran beside different files", () => {
    const heavy = new Set([files[1]!, files[6]!]);
    const overhead = (f: string): number => (heavy.has(f) ? 5 : 0.2);
    // six runs, each a different seeded order cut into shards of 3, 4 and 5 files
    let seed = 7;
    const runs = Array.from({ length: 6 }, (_, r) => {
      const order = [...files].sort(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
      return run(r, tests, [order.slice(0, 3), order.slice(3, 7), order.slice(7)], 3, overhead);
    });
    const model = fitWallModel(runs);
    expect(model.ownOverhead.size).toBe(files.length);
    for (const f of heavy) expect(model.ownOverhead.get(f)!).toBeGreaterThan(3);
    const light = files.filter((f) => !heavy.has(f)).map((f) => model.ownOverhead.get(f)!);
    expect(Math.max(...light)).toBeLessThan(1.5);
  });

  it('gives a file seen only beside the same files no figure of its own', () => {
    const runs = [0, 1].map((r) => run(r, tests, layouts[0]!, 3, () => 0.4));
    expect(fitWallModel(runs).ownOverhead.size).toBe(0);
  });

  it('is not modelled without shard walls', () => {
    expect(fitWallModel([{ source: 'a.xml', seconds: new Map([['a', 1]]) }]).modelled).toBe(false);
  });
});

describe('planShards with walls', () => {
  it('keeps the plan of a history without walls and says walls are not modelled', () => {
    const runs = [{ source: 'a.xml', seconds: new Map(Object.entries(tests)) }];
    const plan = planShards({ files, shards: 3, runs });
    expect(plan.walls.modelled).toBe(false);
    for (const s of plan.shards) {
      expect(s.estimatedOverheadSeconds).toBe(0);
      expect(s.estimatedSeconds).toBe(s.estimatedTestSeconds);
    }
  });

  it('predicts walls as tests + overhead + fixed cost, and states the lower bound on that basis', () => {
    const runs = layouts.map((layout, r) => run(r, tests, layout, 4, () => 0.5));
    const plan = planShards({ files, shards: 3, runs });
    expect(plan.walls).toMatchObject({ modelled: true, fixedSeconds: 4, perFileSeconds: 0.5 });
    for (const s of plan.shards) {
      expect(s.estimatedSeconds).toBeCloseTo(s.estimatedTestSeconds + s.estimatedOverheadSeconds, 2);
      expect(s.estimatedOverheadSeconds).toBeCloseTo(4 + 0.5 * s.files.length, 2);
    }
    const total = Object.values(tests).reduce((a, b) => a + b, 0) + 0.5 * files.length;
    expect(plan.lowerBoundSeconds).toBeCloseTo(4 + total / 3, 2);
  });

  it('spreads files with a heavy import that look cheap by their tests, once they ran beside different files', () => {
    // three files of 0.1 s tests and a 3 s import; three with tests of 8, 4 and 3.7 s and no import
    const names = ['imp-a', 'imp-b', 'imp-c', 'big-a', 'big-b', 'big-c'];
    const t = { 'imp-a': 0.1, 'imp-b': 0.1, 'imp-c': 0.1, 'big-a': 8, 'big-b': 4, 'big-c': 3.7 };
    const overhead = (f: string): number => (f.startsWith('imp') ? 3 : 0);
    // four runs of different splits; the last as a test-time-only plan splits them (every import beside the 4 s files)
    const history = [
      run(0, t, [['big-a', 'imp-a'], ['big-b', 'big-c', 'imp-b', 'imp-c']], 1, overhead),
      run(1, t, [['big-a', 'big-b'], ['big-c', 'imp-a', 'imp-b', 'imp-c']], 1, overhead),
      run(2, t, [['big-a', 'imp-b', 'imp-c'], ['big-b', 'big-c', 'imp-a']], 1, overhead),
      run(3, t, [['big-a'], ['big-b', 'big-c', 'imp-a', 'imp-b', 'imp-c']], 1, overhead),
    ];
    const testsOnly = planShards({ files: names, shards: 2, runs: history.map(({ shards: _, ...r }) => r) });
    const walled = planShards({ files: names, shards: 2, runs: history });
    const wallOf = (shard: { files: string[] }): number => 1 + shard.files.reduce((s, f) => s + t[f as keyof typeof t] + overhead(f), 0);
    const spread = (p: typeof walled): number => Math.max(...p.shards.map(wallOf)) / Math.min(...p.shards.map(wallOf));
    expect(spread(walled)).toBeLessThan(1.1);
    expect(spread(testsOnly)).toBeGreaterThan(1.5);
    for (const s of walled.shards) expect(Math.abs(s.estimatedSeconds - wallOf(s)) / wallOf(s)).toBeLessThan(0.1);
  });

  it('names the file that sets the lower bound', () => {
    const plan = planShards({ files: ['a', 'b', 'c'], shards: 2, runs: [{ source: 'x', seconds: new Map([['a', 100], ['b', 1], ['c', 1]]) }] });
    expect(plan.boundBy).toEqual({ kind: 'file', name: 'a', seconds: 100 });
  });
});
