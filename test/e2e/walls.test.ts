import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

// fixtures/walls: a runner with a start-up per shard, files with a heavy import and light tests,
// the reverse, and one slow file; every second is a sleep, so a loaded machine barely moves it.
// The strict 10% figures are measured by bench/walls.mjs; this checks the same story end to end
// with looser bounds.
const fixture = join(repoRoot, 'fixtures', 'walls');

interface RunJson {
  wallImbalance: number | null;
  shards: { files: string[]; estimatedSeconds: number; wallSeconds: number }[];
}

afterAll(removeTempDirs);

describe('walls: planning on predicted shard walls', () => {
  it('after recorded runs, plans shard walls that agree with each other and with the prediction, where a test-time plan is far off', { timeout: 120_000 }, async () => {
    const cwd = makeTempDir('split-tests-walls-');
    for (const file of ['runner.mjs', 'suite.json', 'make.mjs']) copyFileSync(join(fixture, file), join(cwd, file));
    execFileSync(process.execPath, ['make.mjs', cwd], { cwd });
    const tests = 'tests/*.test.json';
    // the JUnit of one unsharded run of the runner alone: test times, no shard walls
    execFileSync(process.execPath, ['runner.mjs', 'seed.xml', ...readdirTests(cwd)], { cwd });

    const run = async (timings: string, reports: string): Promise<RunJson> => {
      const r = await runCli(
        ['run', '--parallel', '--shards', '3', '--concurrency', '3', '--timings', timings, '--junit', `${reports}/{shard}.xml`, '--json', tests, '--', 'node', 'runner.mjs', '{junit}'],
        { cwd },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as RunJson;
    };
    const record = async (reports: string): Promise<void> => {
      const r = await runCli(['record', `${reports}/*.xml`, '--history', 'history.json', '--run-id', reports], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
    };
    const worstError = (r: RunJson): number => Math.max(...r.shards.map((s) => Math.abs(s.estimatedSeconds - s.wallSeconds) / s.wallSeconds));
    const spread = (r: RunJson): number => Math.max(...r.shards.map((s) => s.wallSeconds)) / Math.min(...r.shards.map((s) => s.wallSeconds));

    // 1. as before walls: planned on test times, the import-heavy files look free and pile up
    const testsOnly = await run('seed.xml', 'r1');
    await record('r1');
    // 2. planned on the walls the history predicts after that ONE recorded run: the runner's
    // per-file suites hold each file's import, so the shard's rest is its start-up
    const walls = await run('history.json', 'r2');

    const plan = await runCli(['plan', '--shards', '3', '--timings', 'history.json', tests], { cwd });
    expect(plan.stdout).toMatch(/walls: predicted from 3 recorded shards: .* \(11 files with a figure of their own, 11 measured by their reports\)/);
    const seedPlan = await runCli(['plan', '--shards', '3', '--timings', 'seed.xml', tests], { cwd });
    expect(seedPlan.stdout).toContain('walls: not modelled');

    // side by side, in one test: the bench holds the strict 10% figures (1.007 and 1.0% there);
    // these bounds hold on a loaded 2-core machine too, where process start-up and sleeps stretch
    // between the recorded run and the next
    expect(worstError(testsOnly)).toBeGreaterThan(0.3);
    expect(spread(testsOnly)).toBeGreaterThan(1.3);
    expect(worstError(walls)).toBeLessThan(0.25);
    expect(spread(walls)).toBeLessThan(1.25);
    expect(walls.wallImbalance).not.toBeNull();
    expect(walls.wallImbalance!).toBeLessThan(testsOnly.wallImbalance!);
  });
});

function readdirTests(cwd: string): string[] {
  const spec = JSON.parse(readFileSync(join(cwd, 'suite.json'), 'utf8')) as { kinds: { name: string; count: number }[] };
  return spec.kinds.flatMap((k) => Array.from({ length: k.count }, (_, i) => `tests/${k.name}-${i + 1}.test.json`));
}

describe('feature groups kept compact, --spread-groups', () => {
  it('says what a wider spread would gain, and allows it by flag or config key', async () => {
    const cwd = makeTempDir('split-tests-spread-');
    const times: Record<string, number> = {};
    for (let i = 0; i < 6; i++) times[`x${i}.test.js`] = 30;
    for (let i = 0; i < 12; i++) times[`g/${String(i).padStart(2, '0')}.test.js`] = 5;
    writeFiles(cwd, { 'times.json': JSON.stringify(times), 'files.txt': Object.keys(times).join('\n') });
    const args = ['plan', '--shards', '6', '--timings', 'times.json', '--files-from', 'files.txt', '--group-by-dir', '1'];
    const compact = await runCli(args, { cwd });
    expect(compact.exitCode, compact.stderr).toBe(0);
    expect(compact.stdout).toContain('spreading them wider would lower the slowest shard from 50 s to 40 s (20.0%): --spread-groups');
    const flag = JSON.parse((await runCli([...args, '--spread-groups', '--json'], { cwd })).stdout);
    expect(flag.spread).toEqual({ allowed: true, compactSeconds: 50, spreadSeconds: 40 });
    writeFiles(cwd, { 'split-tests.config.json': JSON.stringify({ spreadGroups: true }) });
    expect(JSON.parse((await runCli([...args, '--json'], { cwd })).stdout).spread.allowed).toBe(true);
    writeFiles(cwd, { 'split-tests.config.json': JSON.stringify({ spreadGroups: 'yes' }) });
    const bad = await runCli(args, { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('"spreadGroups" must be true or false');
  });
});
