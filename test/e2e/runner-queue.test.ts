import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../run/parse-cases.js';
import { removeTempDirs, runCli } from './helpers.js';
import { runnerProject } from './runner-flow.js';

afterAll(removeTempDirs);

describe('run --queue with --runner', () => {
  it("each batch gets the preset's reporter settings (jest-junit reads its output path from the environment)", { timeout: 120_000 }, async () => {
    const dir = runnerProject('jest');
    const result = await runCli(['run', '--parallel', '--queue', '--shards', '2', '--runner', 'jest', '--junit', 'reports/junit-{shard}.xml'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const reports = readdirSync(join(dir, 'reports')).filter((name) => name.endsWith('.xml'));
    const cases = reports.flatMap((name) => parseCases(readFileSync(join(dir, 'reports', name), 'utf8')));
    expect(cases).toHaveLength(13);
    expect(new Set(cases.map((c) => c.file))).toEqual(new Set(['tests/cart.test.js', 'tests/nested/deep/hostile.test.js', 'tests/search/query.test.js']));
  });
});
