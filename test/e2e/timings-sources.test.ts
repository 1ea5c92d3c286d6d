import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const report = (cases: [string, number][]) =>
  `<testsuites><testsuite name="s">${cases.map(([file, s]) => `<testcase classname="${file}" name="x" time="${s}"/>`).join('')}</testsuite></testsuites>`;

describe('one unreadable timing source among several', () => {
  const cwd = makeTempDir();
  writeFiles(cwd, {
    't/a.test.ts': '',
    't/b.test.ts': '',
    't/c.test.ts': '',
    't/d.test.ts': '',
    'reports/1.xml': report([['t/a.test.ts', 8], ['t/b.test.ts', 1]]),
    'reports/2.xml': report([['t/c.test.ts', 3], ['t/d.test.ts', 2]]),
    // a shard killed while writing its report, and a Knapsack map cut short
    'reports/3.xml': report([['t/a.test.ts', 1]]).slice(0, 60),
    'reports/k.json': '{"t/b.test.ts": 9, ',
  });
  const plan = (extra: string[] = []) => runCli(['plan', '--shards', '2', 't/*.ts', '--timings', 'reports/*', '--json', ...extra], { cwd });

  it('is skipped with a warning naming it, and the plan is the plan of the readable sources', async () => {
    const result = await plan();
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/warning: reports\/3\.xml:1:\d+: .* \(skipped: planning from the other timing sources; --strict-timings makes this an error\)\n/);
    expect(result.stderr).toMatch(/warning: reports\/k\.json:1:\d+: malformed JSON: .* \(skipped: /);
    const readable = await runCli(['plan', '--shards', '2', 't/*.ts', '--timings', 'reports/1.xml', '--timings', 'reports/2.xml', '--json'], { cwd });
    // every node skips the same files, so every node makes this plan; the fingerprint is of what was used
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readable.stdout));
    const shard = await runCli(['--shard', '1/2', 't/*.ts', '--timings', 'reports/*'], { cwd });
    expect(shard.stdout).toBe('t/a.test.ts\n');
  });

  it('is an error with --strict-timings or "strictTimings": true, and when no source is readable', async () => {
    const strict = await plan(['--strict-timings']);
    expect(strict).toMatchObject({ exitCode: 2, stdout: '' });
    expect(strict.stderr).toMatch(/^split-tests: reports\/(3\.xml|k\.json):1:\d+: /);
    const other = makeTempDir();
    writeFiles(other, { 't/a.test.ts': '', 'r/1.xml': report([['t/a.test.ts', 1]]), 'r/2.xml': '<testsuites>', 'split-tests.config.json': '{"strictTimings": true}' });
    expect((await runCli(['--shard', '1/1', 't/*.ts', '--timings', 'r/*.xml'], { cwd: other })).exitCode).toBe(2);
    const none = await runCli(['--shard', '1/1', 't/*.ts', '--timings', 'reports/3.xml', '--timings', 'reports/k.json'], { cwd });
    expect(none.exitCode).toBe(2);
  });
});
