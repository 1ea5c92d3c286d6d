import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readReportFiles } from '../../src/timings/read-report.js';
import { makeTempDir, removeTempDirs } from '../e2e/helpers.js';

afterAll(removeTempDirs);

async function wallsOf(xml: string): Promise<Record<string, number>> {
  const path = join(makeTempDir('split-tests-file-walls-'), 'r.xml');
  writeFileSync(path, xml);
  const report = await readReportFiles(path, (c) => c.file ?? c.classname);
  return Object.fromEntries(report.fileWalls);
}

describe('per-file suite times in a report', () => {
  it('keeps the time of a suite that holds one file (jest-junit: the file whole run)', async () => {
    // shaped as jest-junit 16 wrote it here for a file with an 0.8 s import and a light test
    const xml = `<testsuites name="jest tests" tests="3" time="2.1">
  <testsuite name="undefined" timestamp="2026-12-02T07:28:09" time="1.259" tests="1"><testcase classname="a" name="x" time="0.023" file="a.test.js"/></testsuite>
  <testsuite name="undefined" timestamp="2026-12-02T07:28:10" time="0.67" tests="2"><testcase classname="b" name="y" time="0.5" file="b.test.js"/><testcase classname="b" name="z" time="0.01" file="b.test.js"/></testsuite>
</testsuites>`;
    expect(await wallsOf(xml)).toEqual({ 'a.test.js': 1.259, 'b.test.js': 0.67 });
  });

  it('gives no wall to files that share a suite (mocha xunit, pytest) or sit in a suite with suites inside', async () => {
    const shared = `<testsuite name="Mocha Tests" time="0.52"><testcase name="x" file="a.test.js" time="0.02"/><testcase name="y" file="b.test.js" time="0.5"/></testsuite>`;
    expect(await wallsOf(shared)).toEqual({});
    const nested = `<testsuites><testsuite name="a" time="3"><testcase name="x" file="a.test.js" time="1"/><testsuite name="inner" time="1"><testcase name="y" file="a.test.js" time="1"/></testsuite></testsuite>
<testsuite name="c" time="2"><testcase name="z" file="c.test.js" time="1"/></testsuite><testsuite name="d"><testcase name="w" file="d.test.js" time="1"/></testsuite></testsuites>`;
    expect(await wallsOf(nested)).toEqual({ 'c.test.js': 2 });
  });
});
