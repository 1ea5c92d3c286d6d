import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignGroups,
  improvingPartitioner,
  lptPartitioner,
  makespanOf,
  planShards,
  type GroupSpec,
  type PlanRequest,
  type TimingRun,
} from '../../src/plan/index.js';

const fileArb = fc
  .tuple(fc.constantFrom('a', 'b', 'spec/x', 'spec/y', 'spec/y/z'), fc.integer({ min: 0, max: 60 }))
  .map(([dir, n]) => `${dir}/t${n}.spec.ts`);

const requestArb = fc
  .record({
    files: fc.uniqueArray(fileArb, { minLength: 1, maxLength: 40 }),
    shards: fc.integer({ min: 1, max: 9 }),
    runCount: fc.integer({ min: 0, max: 4 }),
    times: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 500, noNaN: true }), fc.integer({ min: 1, max: 20 })), {
      minLength: 200,
      maxLength: 200,
    }),
    known: fc.double({ min: 0, max: 1, noNaN: true }),
    groups: fc.constantFrom<GroupSpec>({ kind: 'none' }, { kind: 'dir', depth: 1 }, { kind: 'dir', depth: 2 }, {
      kind: 'globs',
      groups: [{ name: 'spec', patterns: ['spec/**'] }, { name: 'a', patterns: ['a/*'] }],
    }),
    dated: fc.boolean(),
    // shard walls in the runs: a start-up per shard and an overhead per file beyond the tests
    walls: fc.option(fc.tuple(fc.double({ min: 0, max: 30, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })), { nil: undefined }),
  })
  .map(({ files, shards, runCount, times, known, groups, dated, walls }): PlanRequest => {
    const runs: TimingRun[] = [];
    let k = 0;
    for (let r = 0; r < runCount; r++) {
      const seconds = new Map<string, number>();
      files.forEach((f, i) => {
        if ((i + 1) / files.length <= known || i === 0) seconds.set(f, times[k++ % times.length]!);
      });
      const shardWalls = walls === undefined ? undefined : [...Array(1 + (r % 3)).keys()].map((s) => {
        const mine = [...seconds.keys()].filter((_, i) => i % (1 + (r % 3)) === s);
        const tests = mine.reduce((sum, f) => sum + seconds.get(f)!, 0);
        return { index: s + 1, wallSeconds: walls[0] + walls[1] * mine.length * (1 + s) + tests, files: mine };
      });
      runs.push({ source: `runs/${r}.xml`, timestamp: dated ? `2024-01-0${r + 1}T00:00:00Z` : undefined, seconds, shards: shardWalls });
    }
    return { files, shards, runs, groups };
  });

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('planShards properties', () => {
  it('puts every file in exactly one shard and invents none', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planShards(request);
        const placed = plan.shards.flatMap((s) => s.files);
        expect(placed.slice().sort()).toEqual([...request.files].sort());
        expect(new Set(placed).size).toBe(placed.length);
        expect(plan.shards.map((s) => s.index)).toEqual(Array.from({ length: request.shards }, (_, i) => i + 1));
      }),
      { numRuns: 150 },
    );
  });

  it('is byte-identical under any permutation of the files and of the runs', () => {
    fc.assert(
      fc.property(requestArb, fc.integer(), (request, seed) => {
        const runs = shuffle(request.runs, seed + 1).map((run, r) =>
          run.shards === undefined ? run : { ...run, shards: shuffle(run.shards, seed + r).map((s) => ({ ...s, files: shuffle(s.files, seed - r) })) },
        );
        const permuted = { ...request, files: shuffle(request.files, seed), runs };
        expect(JSON.stringify(planShards(permuted))).toBe(JSON.stringify(planShards(request)));
      }),
      { numRuns: 150 },
    );
  });

  it('never has a shard estimate above the LPT split of the same estimates', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const ours = planShards(request);
        const lpt = planShards(request, { partitioner: lptPartitioner });
        const max = (p: typeof ours): number => Math.max(...p.shards.map((s) => s.estimatedSeconds));
        expect(max(ours)).toBeLessThanOrEqual(max(lpt));
        expect(max(ours)).toBeGreaterThanOrEqual(ours.lowerBoundSeconds - 0.002);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every split group on at most ceil(group / fair share) + 1 shards unless spreadGroups', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planShards(request);
        const total = plan.shards.reduce((sum, s) => sum + s.fileSeconds.reduce((a, b) => a + b, 0), 0);
        const fair = total / plan.shardCount;
        if (!(fair > 0)) return;
        const groupOf = assignGroups(request.files, request.groups ?? { kind: 'none' });
        for (const group of plan.splitGroups) {
          const on = plan.shards.filter((s) => s.groups.includes(group));
          let size = 0;
          for (const s of on) s.files.forEach((f, i) => (size += groupOf.get(f) === group ? s.fileSeconds[i]! : 0));
          // estimates are rounded to ms in the plan: allow for that in the bound
          expect(on.length).toBeLessThanOrEqual(Math.ceil(size / fair - 1e-3) + 1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('leaves a shard empty only when there are fewer files than shards (no groups)', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planShards({ ...request, groups: { kind: 'none' } });
        const empty = plan.shards.filter((s) => s.files.length === 0).length;
        if (request.files.length >= request.shards) expect(empty).toBe(0);
        else expect(empty).toBe(request.shards - request.files.length);
      }),
      { numRuns: 150 },
    );
  });

  it('improving partitioner: never above LPT, never an empty shard when items >= shards (raw sizes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.01, max: 1000, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (raw, shards) => {
          const sizes = [...raw].sort((a, b) => b - a);
          const ours = improvingPartitioner.partition(sizes, shards);
          const lpt = lptPartitioner.partition(sizes, shards);
          expect(makespanOf(sizes, ours, shards)).toBeLessThanOrEqual(makespanOf(sizes, lpt, shards));
          const counts = new Array<number>(shards).fill(0);
          for (const s of ours) counts[s]!++;
          if (sizes.length >= shards) expect(counts.every((c) => c > 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the perfect split that LPT misses on a classic instance', () => {
    // the textbook LPT worst case for two shards: LPT gives {3,2,2} {3,2}, the optimum {3,3} {2,2,2}
    const sizes = [3, 3, 2, 2, 2];
    expect(makespanOf(sizes, lptPartitioner.partition(sizes, 2), 2)).toBe(7);
    expect(makespanOf(sizes, improvingPartitioner.partition(sizes, 2), 2)).toBe(6);
  });
});

