import { describe, expect, it } from 'vitest';
import { markRerunFlaky, rerunOriginal } from '../../src/timings/rerun-flaky.js';
import type { RunTests, TestHistory, TestSample } from '../../src/timings/test-history-types.js';

const ms = [1, 1, 1];
const history: TestHistory = {
  runs: ['r1', 'r2', 'r3'],
  files: { 'a.test.ts': { flaky: ms, broken: ms, fine: ms }, 'b.test.ts': { old: ms } },
  results: { 'a.test.ts': { flaky: 'pfe', broken: 'pff' }, 'b.test.ts': { old: 'fpp' } },
};
const rerun = (entries: Record<string, Record<string, TestSample['status']>>): RunTests =>
  new Map(Object.entries(entries).map(([file, tests]) => [file, new Map(Object.entries(tests).map(([test, status]) => [test, { seconds: 0.1, status }]))]));

describe('which run a rerun of failed tests belongs to', () => {
  it('the newest run in which one of its tests failed or errored', () => {
    expect(rerunOriginal(history, rerun({ 'a.test.ts': { flaky: 'passed' } }), undefined)).toBe('r3');
    expect(rerunOriginal(history, rerun({ 'b.test.ts': { old: 'passed' } }), undefined)).toBe('r1');
  });

  it('the run id given (--run-id, or the CI run of a rerun job in the same pipeline) when the history has it', () => {
    expect(rerunOriginal(history, rerun({ 'a.test.ts': { flaky: 'passed' } }), 'r2')).toBe('r2');
    expect(rerunOriginal(history, rerun({ 'a.test.ts': { flaky: 'passed' } }), 'github-7-2')).toBe('r3');
  });

  it('none: no test of the rerun failed in a recorded run, or no per-test history', () => {
    expect(rerunOriginal(history, rerun({ 'a.test.ts': { fine: 'passed' } }), undefined)).toBeUndefined();
    expect(rerunOriginal(undefined, rerun({ 'a.test.ts': { flaky: 'passed' } }), undefined)).toBeUndefined();
  });
});

describe('marking a rerun in its run', () => {
  it('a test that failed there and passed on the rerun is flaky (k); one that failed again stays failed; the rest is untouched', () => {
    const marked = markRerunFlaky(history, 'r3', rerun({ 'a.test.ts': { flaky: 'passed', broken: 'failed', fine: 'passed' }, 'b.test.ts': { old: 'skipped' } }));
    expect(marked.tests.results).toEqual({ 'a.test.ts': { flaky: 'pfk', broken: 'pff' }, 'b.test.ts': { old: 'fpp' } });
    expect(marked.flaky).toEqual(['a.test.ts::flaky']);
    expect(marked).toMatchObject({ failing: 1, unmatched: 1 });
    expect(history.results!['a.test.ts']!['flaky']).toBe('pfe'); // pure
    expect(marked.tests.files).toBe(history.files);
  });
});

describe('a run recorded again (a retried CI job under the same run id)', () => {
  it('a test that had failed in it and now passed is flaky (k); recording the same report twice changes nothing', async () => {
    const { addTestRun } = await import('../../src/timings/test-history.js');
    const first = addTestRun(undefined, 'r1', rerun({ 'a.test.ts': { flaky: 'failed', broken: 'failed', fine: 'passed' } }), 10);
    expect(addTestRun(first, 'r1', rerun({ 'a.test.ts': { flaky: 'failed', broken: 'failed', fine: 'passed' } }), 10)).toEqual(first);
    const again = addTestRun(first, 'r1', rerun({ 'a.test.ts': { flaky: 'passed', broken: 'failed' } }), 10);
    expect(again.results).toEqual({ 'a.test.ts': { flaky: 'k', broken: 'f' } });
  });
});
