import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readJUnitFile } from '../../src/junit/read.js';
import { lines, makeTempDir, removeTempDirs, repoRoot, runCli } from './helpers.js';

afterAll(removeTempDirs);

const HEAVY = 'tests/test_heavy.py';

/** The preset runs `python3 -m pytest`: here that is Debian's python3 with python3-pytest. */
function debianPython(): Record<string, string> {
  const bin = join(makeTempDir('split-tests-python-'), 'bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/python3', join(bin, 'python3'));
  return { PATH: `${bin}:${process.env['PATH'] ?? ''}` };
}

async function testcases(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) await readJUnitFile(path, (c) => out.push(`${c.file ?? ''} | ${c.classname ?? ''} | ${c.name} | ${c.status}`));
  return out.sort();
}

describe('a heavy pytest file split by its tests (real pytest)', () => {
  it('runs its slices on different shards, a test added since the history exactly once, and equals an unsharded run', { timeout: 120_000 }, async () => {
    const dir = makeTempDir();
    cpSync(join(repoRoot, 'fixtures/slices/pytest'), dir, { recursive: true });
    const env = debianPython();
    const common = ['--runner', 'pytest', '--timings', 'durations.json'];

    // the history (pytest-split durations) holds a third of the time in one file, and knows a test the file lost
    const planned = await runCli(['plan', '--shards', '3', ...common, '--json', '--output', 'plan.json'], { cwd: dir, env });
    expect(planned.exitCode).toBe(0);
    const plan = JSON.parse(planned.stdout) as { shards: { files: string[]; slices?: { file: string; slice: number; of: number; tests: string[] }[] }[] };
    const slices = plan.shards.flatMap((s) => s.slices ?? []);
    expect(slices.length).toBeGreaterThan(1);
    expect(new Set(slices.map((s) => s.file))).toEqual(new Set([HEAVY]));
    expect(plan.shards.flatMap((s) => s.files)).not.toContain(HEAVY);
    expect(plan.shards.filter((s) => (s.slices ?? []).length > 0).length).toBe(slices.length);

    const table = await runCli(['plan', '--shards', '3', ...common], { cwd: dir, env });
    expect(table.stdout).toMatch(/^3 files in 3 shards/m);
    expect(table.stdout).toMatch(new RegExp(`^split by test: ${HEAVY} \\(${slices.length} slices of 8 tests\\); slowest shard .* instead of 1m 20s with whole files`, 'm'));

    // --shard prints pytest node ids for a slice
    const shardOf = plan.shards.findIndex((s) => (s.slices ?? []).some((slice) => slice.slice === 2)) + 1;
    const printed = await runCli(['--shard', `${shardOf}/3`, ...common], { cwd: dir, env });
    const slice2 = slices.find((s) => s.slice === 2)!;
    expect(lines(printed.stdout)).toEqual(expect.arrayContaining(slice2.tests.map((t) => `${HEAVY}::${t}`)));

    const run = await runCli(['run', '--parallel', '--shards', '3', ...common, '--junit', 'reports/{shard}.xml'], { cwd: dir, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const sharded = await testcases(readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.xml')).map((f) => join(dir, 'reports', f)));

    await execa('/usr/bin/python3', ['-m', 'pytest', '-q', '--junitxml=full.xml', '-o', 'junit_family=xunit1', '-p', 'no:cacheprovider'], { cwd: dir });
    const whole = await testcases([join(dir, 'full.xml')]);
    expect(sharded).toEqual(whole);
    // added after the history (test_beta, test_param[10]) once; the lost test_gone never asked for
    expect(sharded.filter((c) => / \| test_beta \| /.test(c))).toHaveLength(1);
    expect(sharded.filter((c) => / \| test_param\[10\] \| /.test(c))).toHaveLength(1);
    expect(run.stderr).not.toMatch(/test_gone|not found/);

    // merge --plan checks the split file at the level it was planned: every planned test once
    const merged = await runCli(['merge', 'reports', '--plan', 'plan.json', '--output', 'merged.xml', '--json'], { cwd: dir, env });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const doc = JSON.parse(merged.stdout) as { complete: boolean; slices: { missingTests: string[]; duplicateTests: unknown[] } };
    expect(doc.complete).toBe(true);
    expect(doc.slices).toMatchObject({ missingTests: [], duplicateTests: [] });
    expect(merged.stderr).toMatch(/split files complete/);
  });
});
