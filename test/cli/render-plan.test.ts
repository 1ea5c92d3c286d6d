import { describe, expect, it } from 'vitest';
import { formatSeconds, renderPlanTable } from '../../src/cli/render-plan.js';
import { planShards } from '../../src/plan/index.js';
import type { TimingRun } from '../../src/plan/types.js';

describe('formatSeconds', () => {
  it.each([
    [0, '0.0 s'],
    [9.54, '9.5 s'],
    [42.4, '42 s'],
    [125, '2m 05s'],
    [3725, '1h 02m'],
  ])('%d -> %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('renderPlanTable', () => {
  it('shows every shard with files, time and a bar, then the balance and what the estimate rests on', () => {
    const run: TimingRun = { source: 'r.json', seconds: new Map([['a', 8], ['b', 4], ['c', 4]]) };
    const plan = planShards({ files: ['a', 'b', 'c', 'd'], shards: 2, runs: [run] });
    const text = renderPlanTable(plan, { unmappedCases: 2, unmappedFiles: 1 });
    const rows = text.split('\n');
    expect(rows[0]).toMatch(/shard\s+files\s+estimated\s+load/);
    expect(rows[1]).toMatch(/^\s+1\s+\d\s+[\d.]+ s\s+[█░]{24}\s+\d+%$/);
    expect(rows[2]).toMatch(/^\s+2\s+\d\s+[\d.]+ s\s+[█░]{24}\s+\d+%$/);
    expect(text).toContain('4 files in 2 shards');
    expect(text).toMatch(/slowest \/ lower bound: \d\.\d{3}/);
    expect(text).toContain('estimated files (no timings): 1');
    expect(text).toContain('unmapped timings: 3');
    expect(text).toContain('split groups: none');
    expect(text).toContain(`fingerprint: ${plan.fingerprint}`);
  });
});

describe('renderPlanTable: walls', () => {
  const seconds = new Map([['a', 8], ['b', 4], ['c', 4], ['d', 1]]);
  it('says walls are not modelled without shard walls, and names the file that sets the lower bound', () => {
    const plan = planShards({ files: ['a', 'b', 'c', 'd'], shards: 4, runs: [{ source: 'r.json', seconds }] });
    const text = renderPlanTable(plan);
    expect(text).toContain('walls: not modelled');
    expect(text).not.toContain('tests + overhead');
    expect(text).toContain('the lower bound is set by one file, a (8.0 s)');
    expect(text).toContain('test-level splitting');
  });

  it('shows tests + overhead per shard and the fitted parts when walls are modelled', () => {
    const runs: TimingRun[] = [
      { source: 'r1', timestamp: '2026-01-01T00:00:00Z', seconds, shards: [{ index: 1, wallSeconds: 13, files: ['a'] }, { index: 2, wallSeconds: 18, files: ['b', 'c', 'd'] }] },
      { source: 'r2', timestamp: '2026-01-02T00:00:00Z', seconds, shards: [{ index: 1, wallSeconds: 17, files: ['a', 'b'] }, { index: 2, wallSeconds: 12, files: ['c', 'd'] }] },
    ];
    const text = renderPlanTable(planShards({ files: ['a', 'b', 'c', 'd'], shards: 2, runs }));
    expect(text.split('\n')[0]).toMatch(/shard\s+files\s+estimated\s+tests \+ overhead\s+load/);
    expect(text).toMatch(/walls: predicted from 4 recorded shards: [\d.]+ s per shard \+ [\d.]+ s per file beyond its tests/);
    expect(text).toContain('1.000 is a perfect split of the predicted walls');
  });
});

describe('renderPlanTable: a plan resting mostly on invented estimates says so', () => {
  it('more than half the files estimated: one line beside the ratio; half or fewer: none', () => {
    const run: TimingRun = { source: 'r.json', seconds: new Map([['a', 8]]) };
    const mostly = renderPlanTable(planShards({ files: ['a', 'b', 'c'], shards: 2, runs: [run] }));
    expect(mostly).toContain('mostly guessed: 2 of 3 files have no timings');
    const half = renderPlanTable(planShards({ files: ['a', 'b'], shards: 2, runs: [run] }));
    expect(half).not.toContain('mostly guessed');
  });
});
