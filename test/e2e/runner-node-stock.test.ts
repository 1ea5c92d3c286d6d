import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, writeFiles } from './helpers.js';
import { runnerProject } from './runner-flow.js';

afterAll(removeTempDirs);

/** Node's own junit reporter, as a team that has not found the preset yet would run it. */
function stockReport(dir: string, report: string, files: string[]): void {
  mkdirSync(join(dir, 'reports'), { recursive: true });
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=junit', `--test-reporter-destination=${report}`, ...files], { cwd: dir });
  expect(result.status).toBe(0);
}

describe("node:test's own JUnit reports given to merge, record and --timings", () => {
  it('one plain message and exit 2; no false missing files or duplicates, no history keyed by suite titles', { timeout: 60_000 }, async () => {
    const dir = runnerProject('node');
    // the same describe/test titles in another file: distinct tests that the stock format cannot tell apart
    writeFiles(dir, { 'tests/extra/cart.test.js': "const { describe, it } = require('node:test');\ndescribe('cart', () => { it('totals', () => {}); });\n" });
    const planned = await runCli(['plan', '--shards', '2', '--runner', 'node', '--output', 'plan.json'], { cwd: dir });
    expect(planned.exitCode).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { shards: { files: string[] }[] };
    plan.shards.forEach((shard, i) => stockReport(dir, `reports/junit-${i + 1}.xml`, shard.files));

    const merged = await runCli(['merge', 'reports/junit-1.xml', 'reports/junit-2.xml', '--output', 'merged.xml', '--plan', 'plan.json'], { cwd: dir });
    expect(merged.exitCode).toBe(2);
    expect(merged.stderr).toContain("node:test's own JUnit format (classname=\"test\" and no file on any testcase) cannot be mapped to test files");
    expect(merged.stderr).toContain('--runner node');
    expect(merged.stderr).not.toMatch(/incomplete|more than once|complete: all/);

    const recorded = await runCli(['record', 'reports/junit-1.xml', 'reports/junit-2.xml', '--history', 'history.json'], { cwd: dir });
    expect(recorded.exitCode).toBe(2);
    expect(recorded.stderr.split('\n').filter((l) => l.startsWith('split-tests:'))).toHaveLength(1);
    expect(existsSync(join(dir, 'history.json'))).toBe(false);

    const again = await runCli(['plan', '--shards', '2', '--runner', 'node', '--timings', 'reports/junit-*.xml', '--json'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stderr.match(/node:test's own JUnit format/g)).toHaveLength(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ estimatedFiles: 4, estimator: 'none' });
  });
});
