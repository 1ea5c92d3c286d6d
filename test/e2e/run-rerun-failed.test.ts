import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/timings/history.js';
import { parseCases } from '../run/parse-cases.js';
import { makeTempDir, removeTempDirs, repoRoot, runCli } from './helpers.js';

afterAll(removeTempDirs);

/** A copy of fixtures/rerun-failed/RUNNER and its shared helper, the repository's node_modules and an empty FLAKY_DIR. */
function project(runner: string): { dir: string; env: Record<string, string> } {
  const dir = makeTempDir(`split-tests-rerun-failed-${runner}-`);
  cpSync(join(repoRoot, 'fixtures', 'rerun-failed', runner), dir, { recursive: true });
  cpSync(join(repoRoot, 'fixtures', 'rerun-failed', 'shared', 'flaky.cjs'), join(dir, 'tests', 'flaky.cjs'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  mkdirSync(join(dir, '.flaky'));
  return { dir, env: { FLAKY_DIR: join(dir, '.flaky') } };
}

/** The testcases that ran (vitest and jest also list the tests their filter left out, as skipped). */
const names = (dir: string, report: string): string[] =>
  parseCases(readFileSync(join(dir, report), 'utf8'))
    .filter((c) => c.status !== 'skipped')
    .map((c) => `${c.name!.trim()}:${c.status}`)
    .sort();

/**
 * Against the real runner: a full run fails 4 of 7 tests (3 fail once, 1 always). The rerun of its
 * report runs exactly those 4 in 2 commands (b.test.js has a passing "cart adds", the full name of
 * a.test.js's failed "cart > adds", so it cannot share a name filter with a.test.js), into one report
 * that merge reads; the one still broken fails it. Fixed, a rerun of the rerun passes.
 */
async function rerunFlow(runner: string, failedNames: string[], options: { record?: boolean } = {}): Promise<void> {
  const { dir, env } = project(runner);
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { ...env, ...extra } });
  const first = await cli(['run', '--shard', '1/1', '--runner', runner, '--junit', 'first.xml', 'tests']);
  expect(first.exitCode, first.stderr).toBeGreaterThan(0); // mocha exits with the number of failures
  expect(names(dir, 'first.xml').filter((n) => n.endsWith(':failed'))).toHaveLength(4);
  rmSync(join(env['FLAKY_DIR']!, 'runs'));

  const again = await cli(['run', '--shard', '1/1', '--runner', runner, '--junit', 'again/{shard}.xml', '--rerun-failed', 'first.xml']);
  expect(again.stderr).toContain('4 failed tests of 3 files in 2 commands');
  expect(again.exitCode, again.stderr).toBe(1); // "always broken" still fails
  expect(names(dir, 'again/1.xml')).toEqual(failedNames);
  // the passing tests whose names the failed ones start with or share across files did not run again
  expect(existsSync(join(env['FLAKY_DIR']!, 'runs'))).toBe(false);
  const note = JSON.parse(readFileSync(join(dir, 'again/1.xml.split-tests.json'), 'utf8')) as { files: string[]; rerunOf: { report: string } };
  expect(note.files.sort()).toEqual(['tests/a.test.js', 'tests/b.test.js', 'tests/c.test.js']);
  expect(note.rerunOf.report).toBe('first.xml');
  const merged = await cli(['merge', 'again', '--output', 'merged.xml', '--json']);
  const totals = (JSON.parse(merged.stdout) as { totals: Record<string, number> }).totals;
  expect(totals).toMatchObject({ failures: 1, errors: 0 });
  expect(totals['tests']! - totals['skipped']!).toBe(4);

  const fixed = await cli(['run', '--shard', '1/1', '--runner', runner, '--junit', 'fixed.xml', '--rerun-failed', 'again/1.xml'], { FIXED: '1' });
  expect(fixed.exitCode, fixed.stderr).toBe(0);
  expect(names(dir, 'fixed.xml')).toHaveLength(1);
  if (options.record) await recordRerun(dir, cli, runner);
}

/** The first run recorded, then its rerun: the 3 tests that passed on the rerun are flaky in the first run, one rule for the report's lists. */
async function recordRerun(dir: string, cli: (args: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>, runner: string): Promise<void> {
  const first = await cli(['record', 'first.xml', '--runner', runner, '--run-id', 'run-1', '--history', 'h.json']);
  expect(first.exitCode, first.stderr).toBe(0);
  const rerun = await cli(['record', 'again/1.xml', '--runner', runner, '--history', 'h.json']);
  expect(rerun.exitCode, rerun.stderr).toBe(0);
  expect(rerun.stderr).toContain('recorded a rerun of run run-1: 3 tests flaky there (failed, then passed on the rerun), 1 failed again');
  const history = await readHistory(join(dir, 'h.json'));
  expect(history?.runs).toHaveLength(1); // the rerun is no run of its own
  expect(history?.tests?.results?.['tests/a.test.js']).toEqual({ 'cart > adds': 'k', 'cart > always broken': 'f' });
  const report = await cli(['report', '--history', 'h.json', '--format', 'json']);
  const doc = JSON.parse(report.stdout) as { flakyRule: string; flaky: { file: string; runs: string[] }[]; flakiestTests: { test: string }[]; flakiestFiles: { file: string }[] };
  expect(doc.flakyRule).toMatch(/^failed, then passed on the same code in the same run/);
  expect(doc.flakiestTests.map((t) => t.test).sort()).toEqual(['b fails once', 'c fails once', 'cart > adds']);
  expect(doc.flaky.map((f) => f.file)).toEqual(doc.flakiestFiles.map((f) => f.file));
  expect(doc.flaky.every((f) => f.runs.join() === 'run-1')).toBe(true);
  const text = await cli(['report', '--history', 'h.json']);
  expect(text.stdout).toContain('Flaky files: 3');
}

describe('run --rerun-failed against real runners that filter by name over the whole run', () => {
  it('vitest; record marks the tests that passed on the rerun flaky in the run it reran, and report says so', { timeout: 120_000 }, async () => {
    await rerunFlow('vitest', ['b fails once:passed', 'c fails once:passed', 'cart > adds:passed', 'cart > always broken:failed'], { record: true });
  });

  it('jest', { timeout: 120_000 }, async () => {
    await rerunFlow('jest', ['b fails once:passed', 'c fails once:passed', 'cart adds:passed', 'cart always broken:failed']);
  });

  it('mocha', { timeout: 120_000 }, async () => {
    await rerunFlow('mocha', ['adds:passed', 'always broken:failed', 'b fails once:passed', 'c fails once:passed']);
  });
});
