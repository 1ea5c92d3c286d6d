import { describe, expect, it } from 'vitest';
import { flakiest, type FlakyInput } from '../../src/report/flakiest.js';
import { computeTrends, renderHtmlReport, renderText } from '../../src/report/index.js';
import type { History, HistorySample, RunSummary } from '../../src/timings/history-types.js';
import type { TestHistory } from '../../src/timings/test-history-types.js';

const run = (id: string, time: string): RunSummary => ({ id, time, shards: [], totalSeconds: 1, fileCount: 1, largestFileSeconds: 1, added: [], removed: [], failedFiles: [] });
const runs = [run('r1', '2026-01-01T00:00:00Z'), run('r2', '2026-01-02T00:00:00Z'), run('r3', '2026-01-03T00:00:00Z'), run('r4', '2026-01-04T00:00:00Z')];
const runById = new Map(runs.map((r) => [r.id, r]));
const ms = [1, 1, 1, 1];
const tests: TestHistory = {
  runs: ['r1', 'r2', 'r3', 'r4'],
  files: { 'a.test.ts': { one: ms, two: ms, ok: ms }, 'b.test.ts': { three: ms }, 'c.test.ts': { failing: ms } },
  results: {
    'a.test.ts': { one: 'kpkp', two: 'pkp-' },
    'b.test.ts': { three: 'kkpk' },
    'c.test.ts': { failing: 'ffsf' },
  },
};

const flakyOf = (t: TestHistory | undefined, inWindow: (run: string) => boolean, top: number, samples: FlakyInput['samples'] = new Map()) =>
  flakiest({ tests: t, samples, inWindow, runById, top });

describe('flakiest tests and files', () => {
  it('counts flaky runs per test and per file (a run counts once per file), last seen, flakiest first', () => {
    const got = flakyOf(tests, () => true, 10);
    expect(got.tests).toEqual([
      { file: 'b.test.ts', test: 'three', flakyRuns: 3, lastSeenRun: 'r4', lastSeenTime: '2026-01-04T00:00:00Z' },
      { file: 'a.test.ts', test: 'one', flakyRuns: 2, lastSeenRun: 'r3', lastSeenTime: '2026-01-03T00:00:00Z' },
      { file: 'a.test.ts', test: 'two', flakyRuns: 1, lastSeenRun: 'r2', lastSeenTime: '2026-01-02T00:00:00Z' },
    ]);
    // a.test.ts: flaky in r1, r2 (two), r3 — three runs, two tests; failures alone are not flaky
    // (ties on runs: the more recently flaky first)
    expect(got.files).toEqual([
      { file: 'b.test.ts', flakyRuns: 3, flakyTests: 1, lastSeenRun: 'r4', lastSeenTime: '2026-01-04T00:00:00Z' },
      { file: 'a.test.ts', flakyRuns: 3, flakyTests: 2, lastSeenRun: 'r3', lastSeenTime: '2026-01-03T00:00:00Z' },
    ]);
  });

  it('keeps to the window and the top rows; no per-test history gives empty lists', () => {
    const got = flakyOf(tests, (id) => id === 'r3' || id === 'r4', 1);
    expect(got.tests).toEqual([{ file: 'b.test.ts', test: 'three', flakyRuns: 1, lastSeenRun: 'r4', lastSeenTime: '2026-01-04T00:00:00Z' }]);
    expect(got.files.map((f) => [f.file, f.flakyRuns])).toEqual([['b.test.ts', 1]]);
    expect(flakyOf(undefined, () => true, 10)).toEqual({ tests: [], files: [], flaky: [] });
    expect(flakyOf({ runs: tests.runs, files: tests.files }, () => true, 10)).toEqual({ tests: [], files: [], flaky: [] });
  });

  it('one rule for both lists: every flaky file, with the runs it failed at first and passed in the end', () => {
    const got = flakyOf(tests, () => true, 10);
    expect(got.flaky).toEqual([
      { file: 'b.test.ts', failures: 3, passes: 4, evidence: 'same-run', runs: ['r1', 'r2', 'r4'], lastFailedRun: 'r4' },
      { file: 'a.test.ts', failures: 3, passes: 4, evidence: 'same-run', runs: ['r1', 'r2', 'r3'], lastFailedRun: 'r3' },
    ]);
    // c.test.ts failed in three runs and never passed after failing within one: not flaky
    expect(got.flaky.map((f) => f.file)).toEqual(got.files.map((f) => f.file));
  });

  it('a history without per-test results: a file whose samples of one run go failed, then passed; two runs that disagree are not flaky', () => {
    const s = (run: string, status: HistorySample['status']): HistorySample => ({ run, seconds: 1, status });
    const samples = new Map([
      ['login.spec.ts', [s('r1', 'passed'), s('r2', 'failed'), s('r2', 'passed'), s('r3', 'passed')]],
      ['search.spec.ts', [s('r1', 'failed'), s('r2', 'passed')]],
      ['order.spec.ts', [s('r1', 'passed'), s('r1', 'failed')]],
    ]);
    const got = flakyOf(undefined, () => true, 10, samples);
    expect(got.flaky).toEqual([{ file: 'login.spec.ts', failures: 1, passes: 3, evidence: 'same-run', runs: ['r2'], lastFailedRun: 'r2' }]);
    expect(got.files).toEqual([{ file: 'login.spec.ts', flakyRuns: 1, flakyTests: 0, lastSeenRun: 'r2', lastSeenTime: '2026-01-02T00:00:00Z' }]);
  });

  it('computeTrends (with --last) and the text and HTML renderers show them', () => {
    const history: History = { version: 2, files: {}, runs, tests };
    const trends = computeTrends(history, { last: 2 });
    expect(trends.flakiestTests.map((t) => t.test)).toEqual(['three', 'one']);
    const text = renderText(trends, { color: false, width: 100 });
    expect(text).toContain('Flaky files: 2');
    expect(text).toContain('flaky: failed, then passed on the same code in the same run');
    expect(text).toMatch(/b\.test\.ts > three/);
    const html = renderHtmlReport(trends);
    expect(html).toContain('Flakiest tests');
    expect(html).toContain('three');
    expect(html).toContain('flaky: failed, then passed on the same code in the same run');
    expect(renderText(computeTrends({ version: 2, files: {}, runs }), { color: false, width: 100 })).toContain('Flaky files: none');
  });
});
