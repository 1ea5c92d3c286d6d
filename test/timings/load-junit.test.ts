import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadTimings } from '../../src/timings/load.js';
import { secondsOf, tempTree } from './helpers.js';

const files = ['src/cart.test.ts', 'src/pay.test.ts', 'src/main/java/com/acme/CartTest.java'];

function vitestReport(timestamp: string, cases: [file: string, name: string, seconds: number][]): string {
  const byFile = new Map<string, string[]>();
  for (const [file, name, s] of cases) {
    const list = byFile.get(file) ?? [];
    list.push(`<testcase classname="${file}" name="${name}" time="${s}"/>`);
    byFile.set(file, list);
  }
  const suites = [...byFile].map(([file, list]) => `<testsuite name="${file}" timestamp="${timestamp}" tests="${list.length}">${list.join('')}</testsuite>`);
  return `<?xml version="1.0"?>\n<testsuites name="vitest tests">${suites.join('')}</testsuites>`;
}

describe('loadTimings: JUnit XML', () => {
  it("maps cases to files, sums a run's shards (a file split over shards too), dates the run by its earliest report", async () => {
    const cwd = await tempTree({
      'reports/shard-1.xml': vitestReport('2026-04-01T10:00:03', [['src/cart.test.ts', 'adds', 1.5], ['src/pay.test.ts', 'pays', 2]]),
      'reports/shard-2.xml': vitestReport('2026-04-01T10:00:01', [['src/cart.test.ts', 'removes', 0.5], ['src/gone.test.ts', 'x', 9]]),
    });
    const loaded = await loadTimings(['reports/*.xml'], { cwd, files });
    expect(loaded.sources).toEqual(['reports/shard-1.xml', 'reports/shard-2.xml']);
    expect(loaded.runs).toHaveLength(1);
    expect(secondsOf(loaded.runs[0])).toEqual({ 'src/cart.test.ts': 2, 'src/pay.test.ts': 2 });
    expect(loaded.runs[0]?.timestamp).toBe('2026-04-01T10:00:01');
    expect(loaded.unmappedCases).toBe(1);
    expect(loaded.unmappedFiles).toBe(1);
  });

  it('keeps earlier runs of the same suite in one folder apart, and folders apart', async () => {
    const cwd = await tempTree({
      'timings/monday.xml': vitestReport('2026-04-06T10:00:00Z', [['src/cart.test.ts', 'adds', 1]]),
      'timings/tuesday.xml': vitestReport('2026-04-07T10:00:00Z', [['src/cart.test.ts', 'adds', 3]]),
      'other/wednesday.xml': vitestReport('2026-04-08T10:00:00Z', [['src/pay.test.ts', 'pays', 5]]),
    });
    const loaded = await loadTimings(['timings', 'other/*.xml'], { cwd, files });
    expect(loaded.runs.map(secondsOf)).toEqual([{ 'src/cart.test.ts': 1 }, { 'src/cart.test.ts': 3 }, { 'src/pay.test.ts': 5 }]);
    expect(loaded.runs.map((r) => r.timestamp)).toEqual(['2026-04-06T10:00:00Z', '2026-04-07T10:00:00Z', '2026-04-08T10:00:00Z']);
  });

  it('maps Surefire class names to paths and mixes XML with JSON sources', async () => {
    const cwd = await tempTree({
      'TEST-com.acme.CartTest.xml': '<?xml version="1.0"?><testsuite name="com.acme.CartTest" tests="2"><testcase classname="com.acme.CartTest" name="a" time="0.25"/><testcase classname="com.acme.CartTest" name="b" time="1,000.5"/></testsuite>',
      'knapsack.json': JSON.stringify({ 'src/pay.test.ts': 7 }),
    });
    const loaded = await loadTimings(['*.xml', 'knapsack.json'], { cwd, files });
    const all = Object.assign({}, ...loaded.runs.map(secondsOf)) as Record<string, number>;
    expect(all['src/pay.test.ts']).toBe(7);
    expect(all['src/main/java/com/acme/CartTest.java']).toBeGreaterThan(0.25);
    expect(loaded.unmappedCases).toBe(0);
  });

  it('without discovered files, names files by the file attribute or the suite path', async () => {
    const cwd = await tempTree({
      'r.xml': '<testsuites><testsuite name="./src/a.test.ts"><testcase name="x" time="1"/></testsuite><testsuite name="suite"><testcase name="y" file="src/b.test.ts" time="2"/></testsuite></testsuites>',
    });
    const loaded = await loadTimings(['r.xml'], { cwd, files: [] });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'src/a.test.ts': 1, 'src/b.test.ts': 2 });
  });

  it('names the file, line and column of a malformed report', async () => {
    const cwd = await tempTree({ 'reports/bad.xml': '<testsuites>\n  <testsuite name="a">\n    <testcase name="x" time="1">\n</testsuites>' });
    const error = await loadTimings(['reports/*.xml'], { cwd, files }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^reports\/bad\.xml:\d+:\d+: /);
    expect((error as UserError).exitCode).toBe(2);
  });

  it('refuses a DOCTYPE (no entity expansion)', async () => {
    const cwd = await tempTree({ 'x.xml': '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><testsuites/>' });
    await expect(loadTimings(['x.xml'], { cwd, files })).rejects.toThrow(/^x\.xml:\d+:\d+/);
  });
});

describe('loadTimings: order of the arguments never matters', () => {
  it('gives the same runs for any order of patterns', async () => {
    const cwd = await tempTree({
      'a/shard-1.xml': vitestReport('2026-04-01T10:00:00Z', [['src/cart.test.ts', 'adds', 1]]),
      'a/shard-2.xml': vitestReport('2026-04-01T10:00:02Z', [['src/pay.test.ts', 'pays', 2]]),
      'b/run.xml': vitestReport('2026-04-02T10:00:00Z', [['src/cart.test.ts', 'adds', 3]]),
      'k.json': JSON.stringify({ 'src/pay.test.ts': 4 }),
      'h.json': JSON.stringify({ version: 1, files: { 'src/cart.test.ts': [{ run: 'r', seconds: 5 }] }, runs: [{ id: 'r', time: '2026-03-01T00:00:00Z', shards: [], totalSeconds: 5, fileCount: 1, largestFileSeconds: 5, added: [], removed: [], failedFiles: [] }] }),
    });
    const patterns = ['a/shard-2.xml', 'a/*.xml', 'b', 'k.json', 'h.json'];
    const describeRuns = async (order: string[]) => {
      const loaded = await loadTimings(order, { cwd, files });
      return { sources: loaded.sources, runs: loaded.runs.map((r) => [r.source, r.timestamp, secondsOf(r)]) };
    };
    const expected = await describeRuns(patterns);
    expect(expected.runs).toHaveLength(4);
    for (const order of [[...patterns].reverse(), ['h.json', 'b', 'a/*.xml', 'k.json', 'a/shard-2.xml']]) {
      expect(await describeRuns(order)).toEqual(expected);
    }
  });
});

describe('loadTimings: reports written by split-tests run', () => {
  it("corrects a shard's file times to its wall time and skips synthetic reports", async () => {
    const note = (index: number, wallSeconds: number, synthetic = false) =>
      JSON.stringify({ schemaVersion: 1, index, total: 2, fingerprint: 'f', files: [], estimatedSeconds: 1, wallSeconds, exitCode: 0, startedAt: '2026-04-01T10:00:00Z', ...(synthetic ? { syntheticReport: true } : {}) });
    const cwd = await tempTree({
      'r/junit-1.xml': vitestReport('2026-04-01T10:00:00Z', [['src/cart.test.ts', 'a', 6], ['src/pay.test.ts', 'b', 2]]),
      'r/junit-1.xml.split-tests.json': note(1, 4),
      'r/junit-2.xml': vitestReport('2026-04-01T10:00:00Z', [['src/main/java/com/acme/CartTest.java', 'x', 30]]),
      'r/junit-2.xml.split-tests.json': note(2, 30, true),
    });
    const loaded = await loadTimings(['r'], { cwd, files });
    expect(loaded.sources).toEqual(['r/junit-1.xml', 'r/junit-2.xml']);
    expect(loaded.runs.map(secondsOf)).toEqual([{ 'src/cart.test.ts': 3, 'src/pay.test.ts': 1 }]);
    expect(loaded.warnings).toEqual(['r/junit-2.xml: written by split-tests because the test command left no report; it holds no times and is skipped']);
  });
});
