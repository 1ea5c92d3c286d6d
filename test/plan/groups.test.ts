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
  // total 250 s on 6 shards (fair share 41.7 s); group g holds 109 s, so it may use ceil(109 / 41.7) + 1 = 4 shards
  const times: Record<string, number> = { x0: 32, x1: 34, x2: 47, x3: 28 };
  [15, 7, 13, 2, 8, 10, 12, 8, 14, 8, 8, 3, 1].forEach((s, i) => (times[`g/${String(i).padStart(2, '0')}`] = s));
  const request = { files: Object.keys(times), shards: 6, runs: [run(times)], groups: { kind: 'dir', depth: 1 } as const };
  const holders = (plan: ReturnType<typeof planShards>): number => plan.shards.filter((s) => s.groups.includes('g')).length;

  it('spreads a large group over at most ceil(group / fair share) + 1 shards, and says what a wider spread would gain', () => {
    const plan = planShards(request);
    expect(holders(plan)).toBeLessThanOrEqual(4);
    expect(plan.spread).toEqual({ allowed: false, compactSeconds: 55, spreadSeconds: 47 });
    expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBe(55);
  });

  it('spreads wider with spreadGroups when that balances better', () => {
    const plan = planShards({ ...request, spreadGroups: true });
    expect(holders(plan)).toBeGreaterThan(4);
    expect(Math.max(...plan.shards.map((s) => s.estimatedSeconds))).toBe(47);
    expect(plan.spread).toEqual({ allowed: true, compactSeconds: 55, spreadSeconds: 47 });
  });
});
