import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../run/parse-cases.js';
import { removeTempDirs, runCli, writeFiles } from './helpers.js';
import { runnerProject } from './runner-flow.js';

afterAll(removeTempDirs);

describe('--runner and "runner" in the config', () => {
  it('an unknown name is one line listing the known runners, naming the flag or the config file', async () => {
    const dir = runnerProject('cucumber-js');
    const flag = await runCli(['plan', '--shards', '2', '--runner', 'cucumbr'], { cwd: dir });
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('--runner "cucumbr": unknown runner; known runners: vitest, jest, playwright, mocha, node, cucumber-js, pytest, rspec');
    writeFiles(dir, { 'split-tests.config.json': '{ "runner": "behave" }\n' });
    const config = await runCli(['plan', '--shards', '2'], { cwd: dir });
    expect(config.exitCode).toBe(2);
    expect(config.stderr).toMatch(/^split-tests: split-tests\.config\.json "runner" "behave": unknown runner; known runners: /m);
  });

  it("a folder argument expands with the runner's pattern (feature files, not *.test.*); the config's runner counts like the flag", async () => {
    const dir = runnerProject('cucumber-js');
    writeFiles(dir, { 'split-tests.config.json': '{ "runner": "cucumber-js" }\n' });
    const result = await runCli(['--shard', '1/1', 'features/'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual(['features/cart.feature', 'features/nested/deep/hostile.feature', 'features/search/query.feature']);
  });

  it('a -- command wins; the preset only adds its JUnit reporter, so every testcase still names its file', { timeout: 60_000 }, async () => {
    const dir = runnerProject('mocha');
    const result = await runCli(['run', '--shard', '1/1', '--runner', 'mocha', '--junit', 'reports/junit-{shard}.xml', '--', 'npx', '--no', '--', 'mocha', '--forbid-only'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const cases = parseCases(readFileSync(join(dir, 'reports', 'junit-1.xml'), 'utf8'));
    expect(cases).toHaveLength(11);
    expect(new Set(cases.map((c) => c.file))).toEqual(new Set(['tests/cart.test.js', 'tests/nested/deep/hostile.test.js', 'tests/search/query.test.js']));
  });
});
