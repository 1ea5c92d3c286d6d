import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, writeFiles } from '../e2e/helpers.js';
import { runnerProject } from '../e2e/runner-flow.js';
import { parseCases } from '../run/parse-cases.js';

afterAll(removeTempDirs);

describe('run --queue --runner vitest with the resident driver, as a user runs it', () => {
  it('each worker keeps one vitest up; the merged report and exit code equal --no-resident', { timeout: 120_000 }, async () => {
    const dir = runnerProject('vitest');
    writeFiles(dir, { 'tests/fails.test.js': "import { expect, test } from 'vitest';\ntest('fails', () => expect(1).toBe(2));\ntest('passes', () => {});\n" });
    const cli = (args: string[]) => runCli(args, { cwd: dir });
    const merged = async (reports: string, extra: string[]) => {
      const run = await cli(['run', '--parallel', '--shards', '2', '--queue', '--runner', 'vitest', '--junit', `${reports}/junit-{shard}.xml`, ...extra]);
      const merge = await cli(['merge', `${reports}/junit-*.xml`, '--output', `${reports}/merged.xml`, '--allow-failures']);
      expect(merge.stderr).toContain('complete: all 4 planned files have testcases');
      const cases = parseCases(readFileSync(join(dir, reports, 'merged.xml'), 'utf8')).map((c) => `${c.classname} | ${c.name} | ${c.status}`);
      return { run, cases: cases.sort() };
    };

    const resident = await merged('resident', []);
    expect(resident.run.stderr.match(/worker \d: the runner stays up between batches \(node \S+\/runners\/vitest\/split-tests-feed\.mjs; ready in/g)).toHaveLength(2);
    const commands = await merged('commands', ['--no-resident']);
    expect(commands.run.stderr).not.toContain('stays up');

    expect(resident.run.exitCode).toBe(1);
    expect(commands.run.exitCode).toBe(1);
    expect(resident.cases).toHaveLength(16);
    expect(resident.cases).toEqual(commands.cases);
    expect(resident.cases.filter((c) => c.endsWith('failed'))).toEqual(['tests/fails.test.js | fails | failed']);
  });
});
