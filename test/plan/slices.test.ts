import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planShards, type Plan, type PlanRequest, type TimingRun } from '../../src/plan/index.js';

/** One run: per file its tests' seconds; the file's time is their sum. */
function run(source: string, files: Record<string, Record<string, number>>): TimingRun {
  const seconds = new Map(Object.entries(files).map(([f, t]) => [f, Object.values(t).reduce((a, b) => a + b, 0)]));
  const tests = new Map(Object.entries(files).map(([f, t]) => [f, new Map(Object.entries(t))]));
  return { source, seconds, tests };
}

const heavyTests = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`test_${String(i).padStart(2, '0')}`, 10]));
const suite = (): PlanRequest => ({
  files: ['heavy.py', 'a.py', 'b.py', 'c.py'],
  shards: 4,
  runs: [run('r1', { 'heavy.py': heavyTests, 'a.py': { x: 10, y: 10 }, 'b.py': { x: 20 }, 'c.py': { x: 20 } })],
  slicing: { selectTests: true },
});

function slicesOf(plan: Plan): { file: string; slice: number; of: number; tests: string[]; shard: number }[] {
  return plan.shards.flatMap((s) => (s.slices ?? []).map((slice) => ({ ...slice, shard: s.index })));
}

describe('test-level slices', () => {
  it('cuts a file larger than a fair share into slices that lower the slowest shard, each paying the overhead again', () => {
    const plan = planShards(suite());
    // 180 s over 4 shards: heavy.py (120 s) alone would be the makespan
    expect(plan.slicing?.fileLevelSeconds).toBe(120);
    expect(plan.slicing?.slicedSeconds).toBeLessThan(60);
    expect(plan.slicing?.files).toEqual([{ file: 'heavy.py', slices: 4, tests: 12, estimatedSeconds: 127.2 }]);
    const slices = slicesOf(plan).sort((a, b) => a.slice - b.slice);
    expect(slices.map((s) => [s.slice, s.of, s.tests.length])).toEqual([[1, 4, 3], [2, 4, 3], [3, 4, 3], [4, 4, 3]]);
    // three fit a fair share (40 s + 2.4 s overhead each), but the slowest shard then holds a
    // slice and a 20 s file (60 s): a fourth slice (30 + 2.4 s) lowers it; whole files stay whole
    expect(new Set(slices.map((s) => s.shard)).size).toBe(4);
    expect(plan.shards.flatMap((s) => s.files).sort()).toEqual(['a.py', 'b.py', 'c.py']);
    expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBe(plan.slicing?.slicedSeconds);
  });

  it('cuts nothing when the runner cannot select tests, or when a cut does not pay for its overhead', () => {
    expect(planShards({ ...suite(), slicing: undefined }).slicing).toBeUndefined();
    expect(planShards({ ...suite(), slicing: { selectTests: false } }).shards.every((s) => s.slices === undefined)).toBe(true);
    // two 0.4 s tests: a second slice would cost 0.5 s more than it saves
    const small: PlanRequest = { files: ['a.py', 'b.py'], shards: 2, runs: [run('r', { 'a.py': { x: 0.4, y: 0.4 }, 'b.py': { z: 0.1 } })], slicing: { selectTests: true } };
    expect(planShards(small).slicing).toBeUndefined();
  });

  it('changes the fingerprint with the slices, and only then', () => {
    const sliced = planShards(suite());
    const whole = planShards({ ...suite(), slicing: undefined });
    expect(sliced.fingerprint).not.toBe(whole.fingerprint);
    const other = planShards({ ...suite(), runs: [run('r1', { 'heavy.py': { ...heavyTests, test_00: 11, test_01: 9 }, 'a.py': { x: 10, y: 10 }, 'b.py': { x: 20 }, 'c.py': { x: 20 } })] });
    expect(other.estimatedTotalSeconds).toBe(sliced.estimatedTotalSeconds + 0);
    expect(other.fingerprint).not.toBe(sliced.fingerprint);
  });

  it('keeps files of a feature group whole', () => {
    const plan = planShards({ ...suite(), groups: { kind: 'globs', groups: [{ name: 'g', patterns: ['heavy.py', 'a.py'] }] } });
    expect(plan.slicing).toBeUndefined();
  });

  it('every known test in exactly one slice, every file in exactly one place, same input same plan (property)', () => {
    const arb = fc.record({
      files: fc.array(fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 }),
      shards: fc.integer({ min: 1, max: 8 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ files, shards, seed }) => {
        const names = files.map((_, i) => `f${i}.py`);
        const layout = Object.fromEntries(files.map((tests, i) => [names[i]!, Object.fromEntries(tests.map((s, t) => [`t${t}[${'ab'[t % 2]}]`, s]))]));
        const request: PlanRequest = { files: names, shards, runs: [run('r', layout)], slicing: { selectTests: true } };
        const plan = planShards(request);
        const whole = plan.shards.flatMap((s) => s.files);
        const sliced = slicesOf(plan);
        const slicedFiles = new Set(sliced.map((s) => s.file));
        expect([...whole, ...slicedFiles].sort()).toEqual([...names].sort());
        for (const file of slicedFiles) {
          const mine = sliced.filter((s) => s.file === file);
          expect(mine.map((s) => s.slice).sort((a, b) => a - b)).toEqual(mine.map((_, i) => i + 1));
          expect(mine.flatMap((s) => s.tests).sort()).toEqual(Object.keys(layout[file]!).sort());
        }
        const shuffled = { ...request, files: [...names].reverse().sort(() => (seed % 2 === 0 ? 0 : -1)) };
        expect(planShards(shuffled)).toEqual(plan);
        // a cut pays for itself: never slower than the plan by whole files
        expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBeLessThanOrEqual(Math.max(...planShards({ ...request, slicing: undefined }).shards.map((s) => s.estimatedSeconds)) + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('charges each slice its own command\'s start-up when the runner filters the whole run, and cuts only when that pays', () => {
    const plan = planShards({ ...suite(), slicing: { selectTests: true, commandPerSlice: true } });
    expect(plan.slicing).toMatchObject({ commandSeconds: 1.5, commandSecondsFrom: 'assumed' });
    expect(slicesOf(plan).length).toBeGreaterThan(1);
    for (const slice of slicesOf(plan)) expect(slice.estimatedSeconds).toBeGreaterThanOrEqual(1.5 + 10 * slice.tests.length);
    // 4 s of tests beside 1 s on 2 shards: cut in two, 2.5 s | 2 + 1 s without a command of its
    // own; with one (1.5 s each), 4 s | 5.5 s: slower than the whole file
    const small: PlanRequest = { files: ['a.js', 'b.js'], shards: 2, runs: [run('r', { 'a.js': { x: 2, y: 2 }, 'b.js': { z: 1 } })], slicing: { selectTests: true, commandPerSlice: true } };
    expect(planShards(small).slicing).toBeUndefined();
    expect(planShards({ ...small, slicing: { selectTests: true } }).slicing).toBeDefined();
  });

  it('keeps tests a selection cannot tell apart (one key) in one slice', () => {
    const twins = { 'Foo': 10, 'foo': 10, 'FOO': 10, a: 10, b: 10, c: 10 };
    const request: PlanRequest = { files: ['t.js', 'x.js'], shards: 3, runs: [run('r', { 't.js': twins, 'x.js': { x: 10 } })], slicing: { selectTests: true, selectionGroups: (_f, tests) => [tests.filter((t) => t.toLowerCase() === 'foo'), ...tests.filter((t) => t.toLowerCase() !== 'foo').map((t) => [t])] } };
    const slices = slicesOf(planShards(request));
    expect(slices.length).toBeGreaterThan(1);
    const holding = slices.filter((s) => s.tests.some((t) => t.toLowerCase() === 'foo'));
    expect(holding).toHaveLength(1);
    expect(holding[0]!.tests).toEqual(expect.arrayContaining(['FOO', 'Foo', 'foo']));
  });

  it('with overhead measured at zero, never a slower slowest shard than per-test LPT (pytest-split least_duration) (property)', () => {
    const arb = fc.record({
      files: fc.array(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 10 }), { minLength: 3, maxLength: 8 }),
      shards: fc.integer({ min: 2, max: 6 }),
    });
    fc.assert(
      fc.property(arb, ({ files, shards }) => {
        const layout = Object.fromEntries(files.map((tests, i) => [`f${i}.py`, Object.fromEntries(tests.map((ms, t) => [`t${t}`, ms / 100]))]));
        const base = run('r', layout);
        // shard walls equal to their tests (one file alone, then all together): the walls model
        // measures no overhead and no start-up
        const names = Object.keys(layout);
        const wall = (list: string[]): number => list.reduce((sum, f) => sum + base.seconds.get(f)!, 0);
        const shardsRan = [...names.map((f) => [f]), names];
        const runs = [{ ...base, shards: shardsRan.map((list, i) => ({ index: i + 1, wallSeconds: wall(list), files: list })) }];
        const plan = planShards({ files: names, shards, runs, slicing: { selectTests: true, commandPerSlice: true } });
        const tests = files.flatMap((list) => list.map((ms) => ms / 100)).sort((a, b) => b - a);
        const loads = new Array<number>(shards).fill(0);
        for (const t of tests) loads[loads.indexOf(Math.min(...loads))]! += t;
        expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBeLessThanOrEqual(Math.max(...loads) + 1e-6);
      }),
      { numRuns: 150 },
    );
  });
});
