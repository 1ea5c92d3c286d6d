import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { assignGroups, buildItems, planShards, type TimingRun } from '../../src/plan/index.js';

const run = (seconds: Record<string, number>): TimingRun => ({ source: 'r.json', seconds: new Map(Object.entries(seconds)) });

describe('assignGroups', () => {
  const files = ['spec/features/idv/a_spec.rb', 'spec/features/idv/deep/b_spec.rb', 'spec/models/c_spec.rb', 'top_spec.rb', '.storybook/x.spec.ts'];

  it('groups by the first D folders; shallower files stay ungrouped', () => {
    expect(Object.fromEntries(assignGroups(files, { kind: 'dir', depth: 2 }))).toEqual({
      'spec/features/idv/a_spec.rb': 'spec/features',
      'spec/features/idv/deep/b_spec.rb': 'spec/features',
      'spec/models/c_spec.rb': 'spec/models',
    });
    expect(assignGroups(files, { kind: 'dir', depth: 3 }).get('spec/features/idv/deep/b_spec.rb')).toBe('spec/features/idv');
    expect(assignGroups(files, { kind: 'dir', depth: 3 }).has('spec/models/c_spec.rb')).toBe(false);
  });

  it('rejects a depth that is not a whole number of at least 1', () => {
    expect(() => assignGroups(files, { kind: 'dir', depth: 0 })).toThrow(UserError);
    expect(() => assignGroups(files, { kind: 'dir', depth: 1.5 })).toThrow(/--group-by-dir 1.5/);
  });

  it('matches config globs with picomatch; the first group in config order wins; ./ prefixes and dot folders work', () => {
    const groups = assignGroups(files, {
      kind: 'globs',
      groups: [
        { name: 'idv', patterns: ['./spec/features/idv/**'] },
        { name: 'specs', patterns: ['spec/**/*_spec.rb', '*_spec.rb'] },
        { name: 'stories', patterns: ['.storybook/*.spec.ts'] },
        { name: 'empty', patterns: [] },
      ],
    });
    expect(Object.fromEntries(groups)).toEqual({
      'spec/features/idv/a_spec.rb': 'idv',
      'spec/features/idv/deep/b_spec.rb': 'idv',
      'spec/models/c_spec.rb': 'specs',
      'top_spec.rb': 'specs',
      '.storybook/x.spec.ts': 'stories',
    });
  });
});

describe('groups in the plan', () => {
  it('keeps a group within the fair share on one shard', () => {
    const times = { 'g/a': 10, 'g/b': 10, 'g/c': 10, x: 30, y: 20, z: 10, w: 30 };
    const plan = planShards({ files: Object.keys(times), shards: 4, runs: [run(times)], groups: { kind: 'dir', depth: 1 } });
    const holders = plan.shards.filter((s) => s.files.some((f) => f.startsWith('g/')));
    expect(holders).toHaveLength(1);
    expect(holders[0]!.files).toEqual(expect.arrayContaining(['g/a', 'g/b', 'g/c']));
    expect(holders[0]!.groups).toEqual(['g']);
    expect(plan.splitGroups).toEqual([]);
  });

  it('splits a group larger than the fair share over as few shards as balance allows, and lists it', () => {
    // total 200, 4 shards: fair share 50; group g = 150 needs 3 shards of at most 50
    const times: Record<string, number> = { x: 50 };
    for (let i = 0; i < 15; i++) times[`g/f${String(i).padStart(2, '0')}`] = 10;
    const plan = planShards({ files: Object.keys(times), shards: 4, runs: [run(times)], groups: { kind: 'dir', depth: 1 } });
    const holders = plan.shards.filter((s) => s.groups.includes('g'));
    expect(holders).toHaveLength(3);
    expect(plan.splitGroups).toEqual(['g']);
    expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBe(50);
  });

  it('cuts a large group so that the other files still fit: full pieces, the rest where there is room', () => {
    // x 40, y 40, a group of 12 x 10 s, 4 shards: fair share 50. Three even pieces of 40 would
    // leave a shard at 80; two full pieces of 50 and the two files left beside x and y give 50.
    const times: Record<string, number> = { x: 40, y: 40 };
    for (let i = 0; i < 12; i++) times[`g/${String(i).padStart(2, '0')}`] = 10;
    const plan = planShards({ files: Object.keys(times), shards: 4, runs: [run(times)], groups: { kind: 'dir', depth: 1 } });
    expect(plan.shards.map((s) => s.estimatedSeconds)).toEqual([50, 50, 50, 50]);
    expect(plan.splitGroups).toEqual(['g']);
  });

  it('keeps the even cut (fewest shards) when the other cuts balance no better', () => {
    const times: Record<string, number> = {};
    for (let i = 0; i < 12; i++) times[`g/${String(i).padStart(2, '0')}`] = 10;
    const plan = planShards({ files: Object.keys(times), shards: 4, runs: [run(times)], groups: { kind: 'dir', depth: 1 } });
    expect(plan.shards.map((s) => s.estimatedSeconds)).toEqual([30, 30, 30, 30]);
  });

  it('builds group pieces of at most a fair share each (or one file larger than it)', () => {
    const estimates = new Map<string, number>([['big', 0]]);
    const groups = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      estimates.set(`g/${i}`, i + 1);
      groups.set(`g/${i}`, 'g');
    }
    const files = [...estimates.keys()];
    const items = buildItems(files, estimates, groups, 5);
    const total = 465;
    const pieces = items.filter((item) => item.group === 'g');
    expect(pieces.length).toBe(Math.ceil(total / (total / 5)));
    for (const piece of pieces) expect(piece.size).toBeLessThanOrEqual(total / 5 + 1e-9);
    expect(pieces.flatMap((p) => p.files).sort()).toEqual(files.filter((f) => f !== 'big').sort());
    // largest first, as the partitioners expect
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.size).toBeGreaterThanOrEqual(items[i]!.size);
  });
});

describe('feature groups stay compact', () => {
  // 6 files of 30 s and group g of 12 files of 5 s on 6 shards (fair share 40 s): g may use
  // ceil(60 / 40) + 1 = 3 shards (50 s each); spread over all six, every shard holds 40 s
  const times: Record<string, number> = {};
  for (let i = 0; i < 6; i++) times[`x${i}`] = 30;
  for (let i = 0; i < 12; i++) times[`g/${String(i).padStart(2, '0')}`] = 5;
  const request = { files: Object.keys(times), shards: 6, runs: [run(times)], groups: { kind: 'dir', depth: 1 } as const };
  const holders = (plan: ReturnType<typeof planShards>): number => plan.shards.filter((s) => s.groups.includes('g')).length;
  const slowest = (plan: ReturnType<typeof planShards>): number => Math.max(...plan.shards.map((s) => s.estimatedSeconds));

  it('spreads a large group over at most ceil(group / fair share) + 1 shards, and says what a wider spread would gain', () => {
    const plan = planShards(request);
    expect(holders(plan)).toBe(3);
    expect(plan.spread).toEqual({ allowed: false, compactSeconds: 50, spreadSeconds: 40 });
    expect(slowest(plan)).toBe(50);
  });

  it('spreads wider with spreadGroups when that balances better', () => {
    const plan = planShards({ ...request, spreadGroups: true });
    expect(holders(plan)).toBe(6);
    expect(slowest(plan)).toBe(40);
    expect(plan.spread).toEqual({ allowed: true, compactSeconds: 50, spreadSeconds: 40 });
  });

  it('sizes the pieces of a large group to the room the other groups leave (the shop demo: 1.28 of the bound before)', () => {
    // a group of 1.8 fair shares and three smaller groups on 4 shards: two even pieces leave the
    // three groups two shards (slowest 15.7 s); three pieces sized to fill beside them balance
    const shop: Record<string, number> = {};
    [3.2, 4.5, 1.8, 2.4, 4.2, 3.4, 2.8].forEach((s, i) => (shop[`checkout/${i}`] = s));
    [1.3, 1.5, 1.9, 2.9, 1.1, 2.2].forEach((s, i) => (shop[`accounts/${i}`] = s));
    [0.8, 2.4, 2.1, 1.2, 1.6, 1.3].forEach((s, i) => (shop[`catalog/${i}`] = s));
    [2.1, 1.4, 1.2, 0.8, 0.6].forEach((s, i) => (shop[`search/${i}`] = s));
    const plan = planShards({ files: Object.keys(shop), shards: 4, runs: [run(shop)], groups: { kind: 'dir', depth: 1 } });
    expect(plan.shards.filter((s) => s.groups.includes('checkout')).length).toBeLessThanOrEqual(3);
    expect(slowest(plan) / plan.lowerBoundSeconds).toBeLessThan(1.06);
    // the bound is set by files, not by the pieces the planner cut the group into
    expect(plan.lowerBoundSeconds).toBeCloseTo(48.7 / 4, 6);
    expect(plan.boundBy).toBeUndefined();
  });
});
