import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli } from './helpers.js';

afterAll(removeTempDirs);

/** A copy of the fixture, Debian's python3 first on PATH (it has pytest), the repository's node_modules (vitest) and an empty FLAKY_DIR. */
function project(runner = 'pytest'): { dir: string; env: Record<string, string> } {
  const dir = makeTempDir('split-tests-retries-');
  cpSync(join(repoRoot, 'fixtures', 'retries', runner), dir, { recursive: true });
  if (runner === 'vitest') symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/python3', join(bin, 'python3'));
  const flaky = join(dir, '.flaky');
  mkdirSync(flaky);
  return { dir, env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, FLAKY_DIR: flaky } };
}

/** Each testcase's name with the names of its child elements, from a report. */
function caseChildren(xml: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of xml.matchAll(/<testcase\b[^>]*\bname="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    out[m[1]!.replace(/&gt;/g, '>')] = [...(m[2] ?? '').matchAll(/<([A-Za-z-]+)\b/g)].map((c) => c[1]!).filter((n) => n !== 'stackTrace');
  }
  return out;
}

describe('run --retries against the real pytest', () => {
  it('reruns only the failed tests, marks the flaky ones, fails on the one that always fails; merge counts each once', { timeout: 120_000 }, async () => {
    const { dir, env } = project();
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    const run = await cli(['run', '--shard', '1/1', '--runner', 'pytest', '--junit', 'r/junit-{shard}.xml', '--retries', '2', 'tests/*.py']);
    expect(run.stderr).toContain('rerun 1/2 of 3 failed tests in 2 files');
    expect(run.stderr).toContain('rerun 2/2 of 1 failed test in 1 file');
    expect(run.exitCode).toBe(1);
    const report = readFileSync(join(dir, 'r', 'junit-1.xml'), 'utf8');
    expect(report).toMatch(/<testsuite name="pytest" errors="0" failures="1" /); // pytest wrote 3
    const children = caseChildren(report);
    expect(children).toMatchObject({
      test_flaky: ['flakyFailure'],
      test_flaky_x: [],
      test_broken: ['failure', 'rerunFailure', 'rerunFailure'],
      test_flaky_too: ['flakyFailure'],
      test_fine: [],
    });
    const merged = await cli(['merge', 'r/junit-1.xml', '--output', 'merged.xml', '--json']);
    const totals = (JSON.parse(merged.stdout) as { totals: Record<string, number> }).totals;
    expect(totals).toMatchObject({ tests: 5, failures: 1, errors: 0 });
  });

  it('a shard whose failures all pass on a rerun passes', { timeout: 120_000 }, async () => {
    const { dir, env } = project();
    const run = await runCli(['run', '--shard', '1/1', '--runner', 'pytest', '--junit', 'r.xml', '--retries', '1', 'tests/test_other.py'], { cwd: dir, env });
    expect(run.stderr).toContain('the shard passes');
    expect(run.exitCode).toBe(0);
  });

  it('vitest: one rerun command per file, exact names; a test with the same name in another file is not rerun', { timeout: 120_000 }, async () => {
    const { dir, env } = project('vitest');
    const run = await runCli(['run', '--shard', '1/1', '--runner', 'vitest', '--junit', 'r.xml', '--retries', '1', 'tests'], { cwd: dir, env });
    expect(run.stderr).toContain('rerun 1/1 of 2 failed tests in 1 file');
    expect(run.exitCode).toBe(1);
    const children = caseChildren(readFileSync(join(dir, 'r.xml'), 'utf8'));
    expect(children).toMatchObject({ 'cart > adds (flaky)': ['flakyFailure'], 'cart > adds (flaky) twice': [], 'cart > always broken': ['failure', 'rerunFailure'] });
    // the passing tests ran once each: the reruns' name filter matched neither
    expect(readFileSync(join(env['FLAKY_DIR']!, 'runs'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['flaky.test.js', 'other.test.js']);
  });

  it('--rerun-failed runs only the tests that failed in an earlier report, their files split over the shards', { timeout: 120_000 }, async () => {
    const { dir, env } = project();
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    const first = await cli(['run', '--shard', '1/1', '--runner', 'pytest', '--junit', 'first.xml', 'tests/*.py']);
    expect(first.exitCode).toBe(1);
    const again = await cli(['run', '--parallel', '--shards', '2', '--runner', 'pytest', '--junit', 'again/{shard}.xml', '--rerun-failed', 'first.xml']);
    expect(again.exitCode).toBe(1); // test_broken still fails; the flaky two pass now
    const ran = [1, 2].map((k) => Object.keys(caseChildren(readFileSync(join(dir, 'again', `${k}.xml`), 'utf8'))).sort());
    // one file per shard, whichever shard gets which: only the failed tests of each
    expect(ran.map((names) => names.join(' ')).sort()).toEqual(['test_broken test_flaky', 'test_flaky_too']);
    const merged = await cli(['merge', 'again', '--output', 'merged.xml', '--json']);
    expect((JSON.parse(merged.stdout) as { totals: Record<string, number> }).totals).toMatchObject({ tests: 3, failures: 1 });
  });

  it('needs a preset that selects tests', async () => {
    const { dir, env } = project();
    const bare = await runCli(['run', '--shard', '1/1', '--junit', 'r.xml', '--retries', '1', 'tests/*.py', '--', 'python3', '-m', 'pytest'], { cwd: dir, env });
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain('--retries needs --runner with test selection');
  });
});
