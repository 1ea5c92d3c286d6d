import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli } from './helpers.js';

afterAll(removeTempDirs);

describe('run --queue --retries against the real pytest', () => {
  it('each batch reruns its failed tests; flaky ones pass with <flakyFailure>, the broken one fails the run; merge counts each once', { timeout: 120_000 }, async () => {
    const dir = makeTempDir('split-tests-queue-retries-');
    cpSync(join(repoRoot, 'fixtures', 'retries', 'pytest'), dir, { recursive: true });
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/python3', join(bin, 'python3')); // Debian's python3 has pytest
    mkdirSync(join(dir, '.flaky'));
    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, FLAKY_DIR: join(dir, '.flaky') };
    const run = await runCli(['run', '--parallel', '--queue', '--concurrency', '2', '--runner', 'pytest', '--junit', 'r/junit-{shard}.xml', '--retries', '2', 'tests/*.py'], { cwd: dir, env });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain('rerun 1/2 of 2 failed tests in 1 file'); // test_retry.py: test_flaky and test_broken
    expect(run.stderr).toContain('rerun 1/2 of 1 failed test in 1 file'); // test_other.py: test_flaky_too
    const reports = readdirSync(join(dir, 'r')).filter((f) => f.endsWith('.xml'));
    expect(reports).toHaveLength(2); // one batch per file
    const all = reports.map((f) => readFileSync(join(dir, 'r', f), 'utf8')).join('\n');
    expect(all.match(/<flakyFailure/g)).toHaveLength(2);
    expect(all.match(/<rerunFailure/g)).toHaveLength(2);
    const merged = await runCli(['merge', 'r/*.xml', '--output', 'merged.xml', '--json'], { cwd: dir, env });
    expect(JSON.parse(merged.stdout).totals).toMatchObject({ tests: 5, failures: 1, errors: 0 });
  });

  it('--rerun-failed stays refused in queue mode, in one line saying why', async () => {
    const dir = makeTempDir('split-tests-queue-retries-');
    const result = await runCli(['run', '--parallel', '--queue', '--runner', 'pytest', '--rerun-failed', 'merged.xml'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--rerun-failed is not for queue mode: the queue hands out whole files, a rerun names single failed tests');
  });
});
