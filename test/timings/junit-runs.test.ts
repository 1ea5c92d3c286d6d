import { describe, expect, it } from 'vitest';
import { HashSet, hashParts } from '../../src/junit/case-hashes.js';
import { groupJUnitReports, type JUnitReportTimings } from '../../src/timings/junit-runs.js';
import { secondsOf } from './helpers.js';

function report(source: string, timestamp: string | undefined, cases: [file: string, name: string, seconds: number][]): JUnitReportTimings {
  const seconds = new Map<string, number>();
  for (const [file, , s] of cases) seconds.set(file, (seconds.get(file) ?? 0) + s);
  return {
    source,
    folder: source.slice(0, source.lastIndexOf('/')),
    timestamp,
    seconds,
    caseIds: ids(cases.map(([file, name]) => `${file}|${name}`)),
  };
}

function ids(keys: string[]): HashSet {
  const set = new HashSet();
  for (const key of keys) set.add(hashParts([key]));
  return set;
}

describe('groupJUnitReports', () => {
  it("joins one run's shards in a folder, summing a file whose cases were split over shards", () => {
    const runs = groupJUnitReports([
      report('r/shard-2.xml', '2026-03-01T10:00:05', [['a.ts', 'two', 2], ['b.ts', 'one', 4]]),
      report('r/shard-1.xml', '2026-03-01T10:00:01', [['a.ts', 'one', 1]]),
    ]);
    expect(runs).toHaveLength(1);
    expect(secondsOf(runs[0])).toEqual({ 'a.ts': 3, 'b.ts': 4 });
    expect(runs[0]?.timestamp).toBe('2026-03-01T10:00:01');
  });

  it('keeps reports that repeat the same testcases as separate runs, and folders apart', () => {
    const runs = groupJUnitReports([
      report('r/run-1-shard-1.xml', '2026-03-01T10:00:00Z', [['a.ts', 'one', 1]]),
      report('r/run-1-shard-2.xml', '2026-03-01T10:00:00Z', [['b.ts', 'one', 2]]),
      report('r/run-2-shard-1.xml', '2026-03-02T10:00:00Z', [['a.ts', 'one', 10]]),
      report('r/run-2-shard-2.xml', '2026-03-02T10:00:00Z', [['b.ts', 'one', 20]]),
      report('s/other.xml', undefined, [['c.ts', 'one', 5]]),
    ]);
    expect(runs.map(secondsOf)).toEqual([{ 'a.ts': 1, 'b.ts': 2 }, { 'a.ts': 10, 'b.ts': 20 }, { 'c.ts': 5 }]);
    expect(runs.map((r) => r.timestamp)).toEqual(['2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z', undefined]);
  });

  it('does not depend on the order of the reports', () => {
    const reports = [
      report('r/1.xml', '2026-03-01T10:00:00Z', [['a.ts', 'x', 1]]),
      report('r/2.xml', '2026-03-01T10:00:02Z', [['a.ts', 'x', 2]]),
      report('r/3.xml', '2026-03-01T10:00:01Z', [['b.ts', 'x', 3]]),
    ];
    const a = groupJUnitReports(reports).map(secondsOf);
    const b = groupJUnitReports([...reports].reverse()).map(secondsOf);
    expect(a).toEqual(b);
    expect(a).toEqual([{ 'a.ts': 1, 'b.ts': 3 }, { 'a.ts': 2 }]);
  });
});
