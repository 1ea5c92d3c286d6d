import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/timings/history.js';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

/** A shard report as run --retries writes it: the rerun passed, the first failure is kept as <flakyFailure>. */
const report = (flaky: boolean): string => `<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="test/cart.test.ts" tests="2">
<testcase classname="test/cart.test.ts" name="adds an item" file="test/cart.test.ts" time="0.5">${flaky ? '<flakyFailure message="timeout">first attempt</flakyFailure>' : ''}</testcase>
<testcase classname="test/cart.test.ts" name="empties" file="test/cart.test.ts" time="0.2"/>
</testsuite></testsuites>
`;

describe('flaky tests in the history and the report (built CLI)', () => {
  it('record keeps a testcase with <flakyFailure> as flaky (k); report --format json lists the test and its file', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'r1/junit.xml': report(true), 'r2/junit.xml': report(false), 'r3/junit.xml': report(true) });
    for (const id of ['r1', 'r2', 'r3']) {
      const r = await runCli(['record', `${id}/junit.xml`, '--run-id', id, '--history', 'h.json'], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const history = await readHistory(join(cwd, 'h.json'));
    expect(history?.tests?.results?.['test/cart.test.ts']).toEqual({ 'adds an item': 'kpk' });

    const r = await runCli(['report', '--history', 'h.json', '--format', 'json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.flakiestTests).toEqual([{ file: 'test/cart.test.ts', test: 'adds an item', flakyRuns: 2, lastSeenRun: 'r3', lastSeenTime: expect.any(String) }]);
    expect(doc.flakiestFiles).toMatchObject([{ file: 'test/cart.test.ts', flakyRuns: 2, flakyTests: 1, lastSeenRun: 'r3' }]);
    // one rule: the older list names the same file, with the runs it failed at first and passed in the end
    expect(doc.flaky).toEqual([{ file: 'test/cart.test.ts', failures: 2, passes: 3, evidence: 'same-run', runs: ['r1', 'r3'], lastFailedRun: 'r3' }]);
  });
});
