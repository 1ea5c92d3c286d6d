import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { readJUnitFile } from '../../src/junit/read.js';
import { makeTempDir, repoRoot, runCli } from './helpers.js';

export interface SlicesFlow {
  /** fixtures/slices/<runner>: a heavy file, two light ones, and history.xml (a third of the time in one file, one test the file lost). */
  readonly runner: string;
  readonly heavy: string;
  /** The whole suite unsharded, writing JUnit to `full.xml` (argv, run in the project). */
  readonly unsharded: (junit: string) => { command: string[]; env?: Record<string, string> };
  /** Testcase names: the test added since the history (must run exactly once) and the one the file lost. */
  readonly added: string;
  readonly gone?: string | undefined;
  /** Tests history knows in the heavy file (default 8). */
  readonly known?: number | undefined;
  /** Tests that must share a slice (a pattern cannot tell them apart). */
  readonly twins?: readonly string[] | undefined;
}

/** `file | name | status` of every testcase, the file as the runner wrote it, sorted. */
async function testcases(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) await readJUnitFile(path, (c) => out.push(`${c.file ?? c.classname ?? ''} | ${c.name} | ${c.status}`));
  return out.sort();
}

/**
 * A heavy file split over shards with a real JavaScript runner whose selection filters the whole
 * run: each slice in a command of its own, the shard's report combined. Plan, `--shard`, run all
 * shards, compare with an unsharded run testcase for testcase, merge --plan complete.
 */
export async function slicesFlow(flow: SlicesFlow): Promise<void> {
  const dir = join(makeTempDir(`split-tests-slices-${flow.runner}-`), flow.runner);
  mkdirSync(dir);
  cpSync(join(repoRoot, 'fixtures', 'slices', flow.runner), dir, { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  const common = ['--runner', flow.runner, '--timings', 'history.xml'];

  const planned = await runCli(['plan', '--shards', '3', ...common, '--json', '--output', 'plan.json'], { cwd: dir });
  expect(planned.exitCode, planned.stderr).toBe(0);
  const plan = JSON.parse(planned.stdout) as { shards: { files: string[]; slices?: { file: string; slice: number; tests: string[] }[] }[]; slicing: { commandSeconds: number } };
  const slices = plan.shards.flatMap((s) => s.slices ?? []);
  expect(slices.length).toBeGreaterThan(1);
  expect(new Set(slices.map((s) => s.file))).toEqual(new Set([flow.heavy]));
  expect(plan.shards.flatMap((s) => s.files)).not.toContain(flow.heavy);
  // each slice runs in a command of its own: the plan charged it a start-up (assumed, no walls recorded)
  expect(plan.slicing.commandSeconds).toBeGreaterThan(0);
  const table = await runCli(['plan', '--shards', '3', ...common], { cwd: dir });
  expect(table.stdout).toMatch(new RegExp(`^split by test: ${flow.heavy} \\(${slices.length} slices of ${flow.known ?? 8} tests\\);.*start-up`, 'm'));
  if (flow.twins !== undefined) expect(slices.filter((s) => flow.twins!.some((t) => s.tests.includes(t))).map((s) => [...s.tests].filter((t) => flow.twins!.includes(t)).sort())).toEqual([[...flow.twins].sort()]);

  // the plain file list cannot name a slice for this runner: the file, and a note on stderr
  const shardOf = plan.shards.findIndex((s) => (s.slices ?? []).length > 0) + 1;
  const printed = await runCli(['--shard', `${shardOf}/3`, ...common], { cwd: dir });
  expect(printed.stdout.split('\n')).toContain(flow.heavy);
  expect(printed.stderr).toMatch(/split-tests run --runner/);

  const run = await runCli(['run', '--parallel', '--shards', '3', ...common, '--junit', 'reports/{shard}.xml'], { cwd: dir });
  expect(run.exitCode, run.stderr).toBe(0);
  const reports = readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.xml')).map((f) => join(dir, 'reports', f));
  expect(reports).toHaveLength(3);
  const sharded = await testcases(reports);

  const { command, env } = flow.unsharded(join(dir, 'full.xml'));
  await execa(command[0]!, command.slice(1), { cwd: dir, env: { ...env, NO_COLOR: '1' } });
  expect(sharded).toEqual(await testcases([join(dir, 'full.xml')]));
  expect(sharded.filter((c) => c.includes(`| ${flow.added} |`))).toHaveLength(1);
  if (flow.gone !== undefined) expect(sharded.some((c) => c.includes(`| ${flow.gone} |`))).toBe(false);

  // merge checks the split file at the level it was planned: every planned test once
  const merged = await runCli(['merge', 'reports', '--plan', 'plan.json', '--output', 'merged.xml', '--json'], { cwd: dir });
  expect(merged.exitCode, merged.stderr).toBe(0);
  const doc = JSON.parse(merged.stdout) as { complete: boolean; slices: { missingTests: string[]; duplicateTests: unknown[] } };
  expect(doc.complete).toBe(true);
  expect(doc.slices).toMatchObject({ missingTests: [], duplicateTests: [] });

  // record keeps which files the plan split and what it predicted; report shows it
  const recorded = await runCli(['record', 'reports', '--history', 'history.json', '--runner', flow.runner], { cwd: dir });
  expect(recorded.exitCode, recorded.stderr).toBe(0);
  const report = await runCli(['report', '--history', 'history.json', '--format', 'json'], { cwd: dir });
  const latest = (JSON.parse(report.stdout) as { latest: { split: { files: { file: string; slices: number }[]; savedPercent: number } } }).latest;
  expect(latest.split.files).toEqual([{ file: flow.heavy, slices: slices.length }]);
  expect(latest.split.savedPercent).toBeGreaterThan(0);
  const text = await runCli(['report', '--history', 'history.json'], { cwd: dir });
  expect(text.stdout).toMatch(new RegExp(`split by test: ${flow.heavy} \\(${slices.length} slices\\); planned slowest shard`));
}
