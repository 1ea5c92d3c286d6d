import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../run/parse-cases.js';
import { makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const GENERATED = new Set(['.split-tests', 'reports', 'out', 'releases', 'node_modules']);
/** The shop's search feature: 5 real vitest files, about 4 s of simulated latency in all. */
const SEARCH = 'tests/search/**/*.test.ts';
/** The shop's own test command (run.command of its config) runs the repository's vitest. */
const VITEST = ['node', '../../node_modules/vitest/vitest.mjs', 'run', '--reporter=junit', '--outputFile={junit}', '{files}'];

/**
 * A copy of fixtures/shop at the same depth, with a link to the repository's node_modules, so the
 * shop's config and command work unchanged and nothing is written to the working tree.
 */
function shop(extra: Record<string, string> = {}): string {
  const root = makeTempDir('split-tests-run-shop-');
  const dir = join(root, 'fixtures', 'shop');
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'fixtures', 'shop'), dir, {
    recursive: true,
    filter: (source) => !GENERATED.has(basename(source)) || source === join(repoRoot, 'fixtures', 'shop'),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'junction');
  writeFiles(dir, extra);
  return dir;
}

function cases(dir: string, report: string) {
  return parseCases(readFileSync(join(dir, report), 'utf8'));
}

/** Test files a vitest JUnit report names (its testcases' classname is the file). */
function filesOf(dir: string, report: string): string[] {
  return [...new Set(cases(dir, report).map((c) => c.classname ?? ''))].sort();
}

describe('split-tests run on the shop with its vitest', () => {
  it('two shards one after the other: each runs its own files, and together exactly the suite', { timeout: 120_000 }, async () => {
    const dir = shop();
    const planned = JSON.parse((await runCli(['plan', '--shards', '2', SEARCH, '--json'], { cwd: dir })).stdout);
    for (const index of [1, 2]) {
      const result = await runCli(['run', '--shard', `${index}/2`, SEARCH, '--junit', 'reports/junit-{shard}.xml'], { cwd: dir });
      expect(result.stderr).not.toMatch(/synthetic|errored testcase/);
      expect(result.exitCode).toBe(0);
      const files = planned.shards[index - 1].files as string[];
      expect(filesOf(dir, `reports/junit-${index}.xml`)).toEqual([...files].sort());
      expect(cases(dir, `reports/junit-${index}.xml`).every((c) => c.status === 'passed')).toBe(true);
      const sidecar = JSON.parse(readFileSync(join(dir, `reports/junit-${index}.xml.split-tests.json`), 'utf8'));
      expect(sidecar).toMatchObject({ index, total: 2, fingerprint: planned.fingerprint, files, exitCode: 0 });
      expect(sidecar.syntheticReport).toBeUndefined();
    }
    const together = [...filesOf(dir, 'reports/junit-1.xml'), ...filesOf(dir, 'reports/junit-2.xml')].sort();
    const search = ['filters', 'keyword', 'pagination', 'sorting', 'suggestions'].map((name) => `tests/search/${name}.test.ts`);
    expect(together).toEqual(search);
  });

  it('--parallel with a failing test: exit 1, every shard reported, the failure in its shard\'s report, a summary table', { timeout: 120_000 }, async () => {
    const broken = "import { expect, it } from 'vitest';\nit('adds up', () => {\n  expect(1 + 1).toBe(3);\n});\n";
    const dir = shop({ 'tests/search/broken.test.ts': broken });
    const result = await runCli(['run', '--parallel', '--shards', '2', SEARCH, '--junit', 'reports/junit-{shard}.xml', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ schemaVersion: 1, shardCount: 2, exitCode: 1, passed: false });
    const failing = summary.shards.find((s: { files: string[] }) => s.files.includes('tests/search/broken.test.ts'));
    expect(failing).toMatchObject({ status: 'failed', exitCode: 1 });
    const other = summary.shards.find((s: { index: number }) => s.index !== failing.index);
    expect(other).toMatchObject({ status: 'passed', exitCode: 0 });
    const failed = cases(dir, `reports/junit-${failing.index}.xml`).filter((c) => c.status === 'failed');
    expect(failed.map((c) => [c.classname, c.name])).toEqual([['tests/search/broken.test.ts', 'adds up']]);
    expect(filesOf(dir, `reports/junit-${other.index}.xml`)).toEqual([...other.files].sort());
    expect(result.stderr).toMatch(new RegExp(`^${failing.index}/2\\s+\\d+\\s+.*failed \\(exit 1\\)$`, 'm'));
    expect(result.stderr).toMatch(/^all\s+6\s+.*1 of 2 shards failed/m);
  });

  it('a command that crashes before writing a report leaves a synthetic one that names every file', { timeout: 60_000 }, async () => {
    const dir = shop();
    const command = ['node', '../../node_modules/vitest/vitest.mjs', 'run', '--config', 'no-such.config.ts', '--reporter=junit', '--outputFile={junit}', '{files}'];
    const result = await runCli(['run', '--shard', '1/2', SEARCH, '--junit', 'reports/junit-{shard}.xml', '--', ...command], { cwd: dir });
    expect(result.exitCode).not.toBe(0);
    const sidecar = JSON.parse(readFileSync(join(dir, 'reports/junit-1.xml.split-tests.json'), 'utf8'));
    expect(sidecar).toMatchObject({ syntheticReport: true, exitCode: result.exitCode });
    const report = cases(dir, 'reports/junit-1.xml');
    expect(report.map((c) => c.file)).toEqual(sidecar.files);
    expect(report.every((c) => c.status === 'error')).toBe(true);
  });

  it('--timeout stops a hanging vitest: exit 124 and a synthetic report', { timeout: 60_000 }, async () => {
    const hang = "import { it } from 'vitest';\nit('waits forever', () => new Promise(() => {}), 600_000);\n";
    const dir = shop({ 'tests/hang.test.ts': hang });
    const result = await runCli(['run', '--shard', '1/1', 'tests/hang.test.ts', '--timeout', '3', '--junit', 'r-{shard}.xml', '--', ...VITEST], { cwd: dir });
    expect(result.exitCode).toBe(124);
    expect(result.stderr).toContain('shard 1/1 timed out after 3 s');
    expect(cases(dir, 'r-1.xml').map((c) => [c.file, c.status])).toEqual([['tests/hang.test.ts', 'error']]);
  });

  it('an empty shard does not start vitest and still reports', async () => {
    const dir = shop();
    const result = await runCli(['run', '--shard', '6/6', SEARCH, '--junit', 'reports/junit-{shard}.xml'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('shard 6/6 has no test files; the command was not started');
    expect(existsSync(join(dir, 'reports/junit-6.xml'))).toBe(true);
    expect(cases(dir, 'reports/junit-6.xml')).toEqual([]);
  });
});
