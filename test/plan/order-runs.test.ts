import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantOf, orderRuns } from '../../src/plan/order-runs.js';
import type { TimingRun } from '../../src/plan/index.js';

const run = (source: string, timestamp?: string, seconds: Record<string, number> = { a: 1 }): TimingRun => ({
  source,
  timestamp,
  seconds: new Map(Object.entries(seconds)),
});

const names = (runs: readonly TimingRun[]): string[] => runs.map((r) => r.source);

describe('orderRuns', () => {
  it('orders dated runs by their instant, not by source', () => {
    const runs = [run('a.xml', '2024-05-03T00:00:00Z'), run('b.xml', '2024-05-01T00:00:00Z'), run('c.xml', '2024-05-02T00:00:00Z')];
    expect(names(orderRuns(runs))).toEqual(['b.xml', 'c.xml', 'a.xml']);
  });

  it('compares instants across time zones, and reads a zoneless time as UTC', () => {
    const runs = [
      run('east.xml', '2024-05-01T10:00:00+02:00'), // 08:00Z
      run('utc.xml', '2024-05-01T09:00:00'), // 09:00Z
      run('west.xml', '2024-05-01T03:30:00-05:00'), // 08:30Z
    ];
    expect(names(orderRuns(runs))).toEqual(['east.xml', 'west.xml', 'utc.xml']);
    expect(instantOf('2024-05-01T09:00:00')).toBe(Date.UTC(2024, 4, 1, 9));
    expect(instantOf('2024-05-01T09:00:00.5+0100')).toBe(Date.UTC(2024, 4, 1, 8, 0, 0, 500));
    expect(instantOf('yesterday')).toBeUndefined();
    expect(instantOf(undefined)).toBeUndefined();
  });

  it('orders undated runs by source name in code-unit order, before the dated ones', () => {
    const runs = [
      run('report-2024-05-02.json'),
      run('history:run-9', '2020-01-01T00:00:00Z'),
      run('report-2024-05-01.json'),
      run('Z.json'),
    ];
    expect(names(orderRuns(runs))).toEqual(['Z.json', 'report-2024-05-01.json', 'report-2024-05-02.json', 'history:run-9']);
  });

  it('breaks ties of equal time and source by name, then by content', () => {
    const t = '2024-05-01T00:00:00Z';
    const runs = [run('b', t), run('a', t, { x: 2 }), run('a', t, { x: 1 })];
    const ordered = orderRuns(runs);
    expect(names(ordered)).toEqual(['a', 'a', 'b']);
    expect(ordered[0]!.seconds.get('x')).toBe(1);
  });

  it('does not depend on the input order (property)', () => {
    const arbRun = fc.record({
      source: fc.constantFrom('a.xml', 'b.xml', 'c.json', 'history:1'),
      timestamp: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-02', '2024-01-01T01:00:00+01:00', 'bad'), { nil: undefined }),
      seconds: fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 0, max: 5 })),
    });
    fc.assert(
      fc.property(fc.array(arbRun, { maxLength: 8 }), fc.integer(), (raw, seed) => {
        const runs = raw.map((r) => run(r.source, r.timestamp, r.seconds));
        const shuffled = fc.sample(fc.shuffledSubarray(runs, { minLength: runs.length, maxLength: runs.length }), { seed, numRuns: 1 })[0]!;
        const key = (rs: TimingRun[]): string => JSON.stringify(rs.map((r) => [r.source, r.timestamp ?? null, [...r.seconds].sort()]));
        expect(key(orderRuns(shuffled))).toBe(key(orderRuns(runs)));
      }),
      { numRuns: 200 },
    );
  });
});
