import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readHistory } from '../../src/timings/history.js';
import { loadTimings } from '../../src/timings/load.js';
import { recordReports } from '../../src/timings/record.js';
import { addTestRun, testEstimates, testResults } from '../../src/timings/test-history.js';
import type { TestSample } from '../../src/timings/test-history-types.js';
import { defaultTestId } from '../../src/timings/test-ids.js';
import { tempTree } from './helpers.js';

const run = (entries: Record<string, Record<string, [number, TestSample['status']?]>>): Map<string, Map<string, TestSample>> =>
  new Map(Object.entries(entries).map(([file, tests]) => [file, new Map(Object.entries(tests).map(([id, [seconds, status]]) => [id, { seconds, status: status ?? 'passed' }]))]));

describe('per-test history', () => {
  it('keeps the last K runs as aligned columns, drops tests gone from all of them, and keeps non-passed results', () => {
    let h = addTestRun(undefined, 'r1', run({ 'a.py': { t1: [1.5], gone: [0.2, 'failed'] } }), 2);
    h = addTestRun(h, 'r2', run({ 'a.py': { t1: [1.7, 'failed'] } }), 2);
    expect(h.files['a.py']).toEqual({ t1: [1500, 1700], gone: [200, null] });
    h = addTestRun(h, 'r3', run({ 'a.py': { t1: [1.6] }, 'b.py': { 'x::y[1]': [0.0004, 'skipped'] } }), 2);
    expect(h.runs).toEqual(['r2', 'r3']);
    expect(h.files).toEqual({ 'a.py': { t1: [1700, 1600] }, 'b.py': { 'x::y[1]': [null, 0] } });
    expect(h.results).toEqual({ 'a.py': { t1: 'fp' }, 'b.py': { 'x::y[1]': '-s' } });
    expect(testResults(h, 'a.py', 't1')).toEqual(['failed', 'passed']);
    // the same run recorded again (one record per shard) overlays its column: nothing doubles
    const again = addTestRun(h, 'r3', run({ 'b.py': { 'x::y[1]': [0.0004, 'skipped'] } }), 2);
    expect(again).toEqual(h);
  });

  it('keeps a file or test named like an Object.prototype key as an ordinary key', () => {
    const h = addTestRun(undefined, 'r1', run({ ['__proto__']: { ['__proto__']: [1, 'failed'], constructor: [2] } }), 2);
    expect(Object.keys(h.files)).toEqual(['__proto__']);
    expect(Object.entries(h.files['__proto__']!)).toEqual([['__proto__', [1000]], ['constructor', [2000]]]);
    expect(testResults(h, '__proto__', '__proto__')).toEqual(['failed']);
  });

  it('estimates each test by the median of its last five measured runs', () => {
    let h = addTestRun(undefined, 'r0', run({ 'a.py': { t: [100] } }), 10);
    for (const [i, s] of [1, 2, 3, 50, 2].entries()) h = addTestRun(h, `r${i + 1}`, run({ 'a.py': { t: [s] } }), 10);
    expect(testEstimates(h).get('a.py')?.get('t')).toBe(2);
  });

  it('estimates a file\'s tests as its newest recorded run had them: a test it lost is not listed', () => {
    let h = addTestRun(undefined, 'r1', run({ 'a.py': { kept: [1], gone: [2] }, 'b.py': { only_old: [3] } }), 10);
    h = addTestRun(h, 'r2', run({ 'a.py': { kept: [1.2], renamed: [2] } }), 10);
    // b.py did not run in r2 (a shard lost): its newest run is r1, and its tests stay known
    expect(testEstimates(h)).toEqual(new Map([['a.py', new Map([['kept', 1.1], ['renamed', 2]])], ['b.py', new Map([['only_old', 3]])]]));
  });

  it('names a test by what its class adds to the file', () => {
    const c = (classname: string | undefined, name: string) => ({ name, classname, suites: [], seconds: 0, status: 'passed' as const });
    expect(defaultTestId('tests/test_cart.py', c('tests.test_cart.TestCart', 'test_add[1-2]'))).toBe('TestCart::test_add[1-2]');
    expect(defaultTestId('tests/test_cart.py', c('tests.test_cart', 'test_top'))).toBe('test_top');
    expect(defaultTestId('src/cart.test.ts', c('src/cart.test.ts', 'cart > adds'))).toBe('cart > adds');
    expect(defaultTestId('spec/cart_spec.rb', c('Cart', 'adds'))).toBe('Cart::adds');
  });

  it('record writes version 3 with per-test columns from JUnit; a version 1 file still reads and gains them', async () => {
    const xml = (t: string) =>
      `<testsuites><testsuite name="s"><testcase classname="tests.test_a" name="test_one" file="tests/test_a.py" time="${t}"/>` +
      `<testcase classname="tests.test_a.TestB" name="test_two[x]" file="tests/test_a.py" time="0.25"><failure message="no"/></testcase></testsuite></testsuites>`;
    const v1 = { version: 1, files: { 'tests/test_a.py': [{ run: 'old', seconds: 3 }] }, runs: [{ id: 'old', time: '2026-01-01T00:00:00Z', shards: [], totalSeconds: 3, fileCount: 1, largestFileSeconds: 3, added: [], removed: [], failedFiles: [] }] };
    const cwd = await tempTree({ 'h.json': JSON.stringify(v1), 'r/1.xml': xml('1.5'), 'tests/test_a.py': '' });
    const historyPath = join(cwd, 'h.json');
    await recordReports({ reports: ['r/1.xml'], historyPath, env: {}, runId: 'r1', cwd });
    const stored = await readHistory(historyPath);
    expect(stored?.version).toBe(3);
    expect(stored?.files['tests/test_a.py']?.map((s) => s.run)).toEqual(['old', 'r1']);
    expect(stored?.tests).toEqual({ runs: ['r1'], files: { 'tests/test_a.py': { 'TestB::test_two[x]': [250], test_one: [1500] } }, results: { 'tests/test_a.py': { 'TestB::test_two[x]': 'f' } } });
    // planning from the history sees the per-test seconds of that run
    const loaded = await loadTimings(['h.json'], { cwd, files: ['tests/test_a.py'] });
    expect(loaded.runs.at(-1)?.tests?.get('tests/test_a.py')).toEqual(new Map([['TestB::test_two[x]', 0.25], ['test_one', 1.5]]));
  });

  it('rejects a per-test column that does not line up with the runs, naming the key', async () => {
    const bad = { version: 2, files: {}, runs: [], tests: { runs: ['r1', 'r2'], files: { 'a.py': { t: [1] } } } };
    const cwd = await tempTree({ 'h.json': JSON.stringify(bad) });
    const error = await readHistory(join(cwd, 'h.json')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`${join(cwd, 'h.json')}: not a split-tests history file: "tests".files."a.py"."t" must be 2 milliseconds (or null), one per run in "tests".runs`);
  });

  it('reads per-test seconds from pytest-split durations and JUnit testcases', async () => {
    const cwd = await tempTree({
      '.test_durations': JSON.stringify({ 'tests/test_a.py::test_one': 2, 'tests/test_a.py::C::test_two': 3 }),
      'r/1.xml': '<testsuite><testcase classname="tests/b.test.ts" name="x &gt; y" file="tests/b.test.ts" time="0.5"/></testsuite>',
    });
    const loaded = await loadTimings(['.test_durations', 'r/1.xml'], { cwd, files: ['tests/b.test.ts', 'tests/test_a.py'] });
    const tests = loaded.runs.map((r) => Object.fromEntries([...(r.tests ?? [])].map(([f, m]) => [f, Object.fromEntries(m)])));
    expect(tests).toContainEqual({ 'tests/test_a.py': { test_one: 2, 'C::test_two': 3 } });
    expect(tests).toContainEqual({ 'tests/b.test.ts': { 'x > y': 0.5 } });
  });
});
