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
