import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, writeFiles } from '../e2e/helpers.js';
import { debianPython, runnerProject } from '../e2e/runner-flow.js';
import { parseCases } from '../run/parse-cases.js';

afterAll(removeTempDirs);

describe('run --queue --runner pytest with the resident driver, as a user runs it', () => {
  it('each worker keeps one Python up; the merged report and exit code equal --no-resident', { timeout: 120_000 }, async () => {
    const dir = runnerProject('pytest');
    writeFiles(dir, { 'tests/test_fails.py': 'def test_fails():\n    assert 1 == 2\n\n\ndef test_passes():\n    pass\n' });
    const env = debianPython();
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    const merged = async (reports: string, extra: string[]) => {
      const run = await cli(['run', '--parallel', '--shards', '2', '--queue', '--runner', 'pytest', '--junit', `${reports}/junit-{shard}.xml`, ...extra]);
      const merge = await cli(['merge', `${reports}/junit-*.xml`, '--output', `${reports}/merged.xml`, '--allow-failures']);
      expect(merge.stderr).toContain('complete: all 4 planned files have testcases');
      const cases = parseCases(readFileSync(join(dir, reports, 'merged.xml'), 'utf8')).map((c) => `${c.file} | ${c.classname} | ${c.name} | ${c.status}`);
      return { run, cases: cases.sort() };
    };

    const resident = await merged('resident', []);
    expect(resident.run.stderr.match(/worker \d: the runner stays up between batches \(python3 \S+\/runners\/pytest\/split_tests_feed\.py; ready in/g)).toHaveLength(2);
    const commands = await merged('commands', ['--no-resident']);
    expect(commands.run.stderr).not.toContain('stays up');

    expect(resident.run.exitCode).toBe(1);
    expect(commands.run.exitCode).toBe(1);
    expect(resident.cases).toHaveLength(14);
    expect(resident.cases).toEqual(commands.cases);
    expect(resident.cases.filter((c) => c.endsWith('failed'))).toEqual(['tests/test_fails.py | tests.test_fails | test_fails | failed']);
  });
});
