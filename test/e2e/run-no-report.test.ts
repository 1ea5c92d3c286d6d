import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const GLOB = 'tests/*.test.js';

function project(): string {
  const dir = makeTempDir('split-tests-no-report-');
  writeFiles(dir, Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`tests/${n}.test.js`, ''])));
  return dir;
}

describe('a shard whose command exits 0 but writes no JUnit report', () => {
  it('fails the shard (exit 1), and merge --plan never counts its placeholders as files that ran', async () => {
    const dir = project();
    const plan = await runCli(['plan', '--shards', '2', GLOB, '--json'], { cwd: dir });
    writeFiles(dir, { 'plan.json': plan.stdout });
    // shard 1 writes a real report for its files; shard 2's command exits 0 and writes nothing
    const files1: string[] = JSON.parse(plan.stdout).shards[0].files;
    const cases = files1.map((f) => `<testcase classname="${f}" name="t" file="${f}"/>`).join('');
    const writeReport = `require('fs').writeFileSync(process.env.SPLIT_TESTS_JUNIT, '<testsuite name="s">${cases}</testsuite>')`;
    const one = await runCli(['run', '--shard', '1/2', GLOB, '--junit', 'r/{shard}.xml', '--', 'node', '-e', writeReport], { cwd: dir });
    expect(one.exitCode).toBe(0);
    const two = await runCli(['run', '--shard', '2/2', GLOB, '--junit', 'r/{shard}.xml', '--', 'node', '-e', ''], { cwd: dir });
    expect(two.stderr).toContain('shard 2/2: the command exited 0 but the JUnit report r/2.xml is missing; a shard without a report proves nothing (exit 1)');
    expect(two.stderr).not.toMatch(/passed/);
    expect(two.exitCode).toBe(1);

    const merged = await runCli(['merge', 'r', '--output', 'merged.xml', '--plan', 'plan.json', '--json'], { cwd: dir });
    expect(merged.exitCode).toBe(1);
    const doc = JSON.parse(merged.stdout);
    const files2: string[] = JSON.parse(plan.stdout).shards[1].files;
    expect(doc.complete).toBe(false);
    expect(doc.missingFiles).toEqual(files2);
    expect(doc.noReportShards).toEqual([{ shard: '2/2', report: join('r', '2.xml'), files: 2 }]);
    expect(merged.stderr).toContain(`shard 2/2 wrote no JUnit report: ${join('r', '2.xml')} holds split-tests' placeholders for its 2 files`);
    expect(merged.stderr).not.toMatch(/complete: all/);

    // the report carries its own mark: without the sidecar notes it still does not count
    rmSync(join(dir, 'r', '1.xml.split-tests.json'));
    rmSync(join(dir, 'r', '2.xml.split-tests.json'));
    const bare = await runCli(['merge', 'r/1.xml', 'r/2.xml', '--output', 'merged.xml', '--plan', 'plan.json', '--json'], { cwd: dir });
    expect(bare.exitCode).toBe(1);
    expect(JSON.parse(bare.stdout)).toMatchObject({ complete: false, missingFiles: files2, noReportShards: [{ shard: '2/2', report: 'r/2.xml', files: 2 }] });
    expect(readFileSync(join(dir, 'merged.xml'), 'utf8')).toContain('split-tests.no-report');
  });

  it('run --parallel: the summary says which shard left no report, and the run fails', async () => {
    const dir = project();
    const result = await runCli(['run', '--parallel', '--shards', '2', GLOB, '--junit', 'r/{shard}.xml', '--json', '--', 'node', '-e', ''], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ exitCode: 1, passed: false });
    expect(summary.shards.map((s: { status: string }) => s.status)).toEqual(['no-report', 'no-report']);
    expect(result.stderr).toMatch(/^1\/2\s+2\s+-\s+[\d.]+ s\s+no report \(exit 0\), synthetic JUnit$/m);
  });
});
