import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { parseCases, type ParsedCase } from '../run/parse-cases.js';
import { lines, makeTempDir, repoRoot, runCli } from './helpers.js';

type Runners = typeof import('../../src/runners/index.js');
type Commands = typeof import('../../src/runners/command.js');

/** The presets as built (their reporters are the compiled files in dist/). */
async function built(): Promise<{ runners: Runners; commands: Commands }> {
  const runners = (await import(pathToFileURL(join(repoRoot, 'dist', 'runners', 'index.js')).href)) as Runners;
  const commands = (await import(pathToFileURL(join(repoRoot, 'dist', 'runners', 'command.js')).href)) as Commands;
  return { runners, commands };
}

export interface RunnerFlowOptions {
  /** Added to the CLI's minimal environment. */
  readonly env?: Record<string, string>;
  /** The fixture's test files, sorted. */
  readonly files: readonly string[];
  /** Testcases in the fixture. */
  readonly tests: number;
}

/**
 * A copy of fixtures/runners/NAME in a temporary folder with the repository's node_modules beside
 * it, so that `npx --no -- <runner>` finds the installed runner and nothing is written to the tree.
 */
export function runnerProject(name: string): string {
  const dir = join(makeTempDir(`split-tests-runner-${name}-`), name);
  mkdirSync(dir);
  cpSync(join(repoRoot, 'fixtures', 'runners', name), dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

function casesOf(dir: string, report: string): ParsedCase[] {
  return parseCases(readFileSync(join(dir, report), 'utf8'));
}

/**
 * What a user does with a preset, against the real runner: plan 2 shards, run each, merge with
 * --plan (complete, every testcase once), record, and plan again from the history with no file
 * estimated. Returns the project folder and the merged report's testcases.
 */
export async function runnerFlow(runner: string, options: RunnerFlowOptions): Promise<{ dir: string; cases: ParsedCase[] }> {
  const dir = runnerProject(runner);
  const env = options.env ?? {};
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });

  const planned = await cli(['plan', '--shards', '2', '--runner', runner, '--output', 'plan.json', '--json']);
  expect(planned.stderr).not.toMatch(/test glob/);
  expect(planned.exitCode).toBe(0);
  const plan = JSON.parse(planned.stdout) as { shards: { files: string[] }[] };
  expect(plan.shards.flatMap((s) => s.files).sort()).toEqual(options.files);

  for (const index of [1, 2]) {
    const result = await cli(['run', '--shard', `${index}/2`, '--runner', runner, '--junit', 'reports/junit-{shard}.xml']);
    expect(result.stderr).not.toMatch(/errored testcase|missing/);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(casesOf(dir, `reports/junit-${index}.xml`).length).toBeGreaterThan(0);
  }

  const merged = await cli(['merge', 'reports/junit-1.xml', 'reports/junit-2.xml', '--output', 'merged.xml', '--plan', 'plan.json']);
  expect(merged.exitCode, merged.stderr).toBe(0);
  expect(merged.stderr).toContain(`complete: all ${options.files.length} planned files have testcases`);
  expect(merged.stderr).not.toMatch(/duplicate/i);
  const cases = casesOf(dir, 'merged.xml');
  expect(cases.length).toBe(options.tests);
  expect(new Set(cases.map((c) => `${c.file}\u0000${c.classname}\u0000${c.name}`)).size).toBe(options.tests);
  expect(cases.every((c) => c.status === 'passed')).toBe(true);

  const recorded = await cli(['record', 'reports/junit-1.xml', 'reports/junit-2.xml', '--history', 'history.json', '--runner', runner]);
  expect(recorded.exitCode, recorded.stderr).toBe(0);
  expect(recorded.stderr).toContain(`recorded run`);
  expect(recorded.stderr).toContain(`${options.files.length} files`);

  const again = await cli(['plan', '--shards', '2', '--runner', runner, '--timings', 'history.json', '--json']);
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stderr).not.toMatch(/no timings|not among the test files|could not be mapped/);
  expect(JSON.parse(again.stdout)).toMatchObject({ estimatedFiles: 0 });
  return { dir, cases };
}

/**
 * Runs the real runner on one file with the preset's selection (`exclude`: everything but these)
 * and returns the ids of the tests that passed (`anyStatus`: of every testcase in its report), as
 * the preset reads them back.
 */
export async function selectedRun(
  runner: string,
  dir: string,
  file: string,
  tests: readonly string[],
  options: { exclude?: boolean; env?: Record<string, string>; anyStatus?: boolean } = {},
): Promise<string[]> {
  const { runners, commands } = await built();
  const preset = runners.runnerPreset(runner);
  const select = options.exclude ? preset.excludeTests : preset.selectTests;
  if (select === undefined) throw new Error(`${runner} cannot ${options.exclude ? 'exclude' : 'select'} tests`);
  const junit = join(dir, 'reports', `selected-${options.exclude ? 'exclude' : 'select'}.xml`);
  const { command, env } = commands.commandWithPreset(preset, undefined, junit);
  const argv = command.flatMap((arg) => (arg === '{files}' ? [...select(file, tests)] : [arg.replaceAll('{junit}', junit)]));
  const childEnv: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, NO_COLOR: '1', ...options.env };
  for (const [name, value] of Object.entries(env)) childEnv[name] = value.replaceAll('{junit}', junit);
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, env: childEnv, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  expect(exitCode).toBe(0);
  return parseCases(readFileSync(junit, 'utf8'))
    .filter((c) => options.anyStatus === true || c.status === 'passed')
    .map((c) => preset.testOf({ name: c.name ?? '', classname: c.classname, file: c.file, suites: [], seconds: 0, status: 'passed' })!.test)
    .sort();
}

/** The preset called `runner`, as built. */
export async function builtPreset(runner: string): Promise<ReturnType<Runners['runnerPreset']>> {
  return (await built()).runners.runnerPreset(runner);
}

/** Test ids of one file in a report, as the preset reads them. */
export async function testIds(runner: string, cases: readonly ParsedCase[], file: (c: ParsedCase) => boolean): Promise<string[]> {
  const { runners } = await built();
  const preset = runners.runnerPreset(runner);
  return cases
    .filter(file)
    .map((c) => preset.testOf({ name: c.name ?? '', classname: c.classname, file: c.file, suites: [], seconds: 0, status: 'passed' })!.test)
    .sort();
}

export { lines };

/** The pytest preset runs `python3 -m pytest`: a PATH on which that is Debian's python3 with python3-pytest. */
export function debianPython(): Record<string, string> {
  const bin = join(makeTempDir('split-tests-python-'), 'bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/python3', join(bin, 'python3'));
  return { PATH: `${bin}:${process.env['PATH'] ?? ''}` };
}
