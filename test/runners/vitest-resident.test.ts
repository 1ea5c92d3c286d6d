import { spawn } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VITEST_FEED } from '../../src/runners/vitest.js';
import { makeTempDir, removeTempDirs, repoRoot, writeFiles } from '../e2e/helpers.js';
import { parseCases, type ParsedCase } from '../run/parse-cases.js';
import { startFeedDriver } from './feed-harness.js';

afterAll(removeTempDirs);

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', CI: '1', ...extra });
const reporter = (junit: string) => ['--reporter=default', '--reporter=junit', `--outputFile.junit=${junit}`];

/** The driver started as split-tests starts it, with its fd 3 read and written as JSON lines. */
function startDriver(cwd: string) {
  const driver = startFeedDriver('node', [VITEST_FEED], cwd, env());
  return { ...driver, next: driver.expectNext, output: () => ({ ...driver.output }) };
}

/** `npx vitest run` of the same arguments, as the batch would have run without the driver. */
function vitestRun(cwd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn('npx', ['--no', '--', 'vitest', ...args], { cwd, env: env(), stdio: 'ignore' }).on('close', resolve));
}

/** A report's testcases in a fixed order: vitest orders files by its results cache, which both runs update. */
/**
 * fixtures/runners/vitest in a temporary folder with the repository's vitest beside it, or another
 * install's node_modules (SPLIT_TESTS_VITEST_NODE_MODULES, to check the driver by hand against
 * another vitest version: it was run so against vitest 3.2.7).
 */
function vitestProject(): string {
  const dir = makeTempDir('split-tests-vitest-resident-');
  cpSync(join(repoRoot, 'fixtures', 'runners', 'vitest'), dir, { recursive: true });
  symlinkSync(process.env['SPLIT_TESTS_VITEST_NODE_MODULES'] ?? join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

const casesIn = (path: string): ParsedCase[] =>
  parseCases(readFileSync(path, 'utf8')).sort((a, b) => `${a.classname}\0${a.name}`.localeCompare(`${b.classname}\0${b.name}`));

describe('the resident vitest driver (runners/vitest/split-tests-feed.mjs) against the real vitest', () => {
  it('ready; batches run exactly their files with the exit code and report `vitest run` gives; other options restart it; EOF exits 0', { timeout: 120_000 }, async () => {
    const dir = vitestProject();
    writeFiles(dir, {
      'tests/fails.test.js': "import { expect, test } from 'vitest';\ntest('fails', () => expect(1).toBe(2));\ntest('passes', () => {});\n",
      'tests/broken.test.js': "import { test } from 'vitest';\ntest('never', () => { (;\n",
      'tests/exits.test.js': "import { test } from 'vitest';\ntest('exits', () => { process.exit(0); });\ntest('after', () => {});\n",
      'tests/unhandled.test.js': "import { test } from 'vitest';\ntest('passes, then throws', () => { setTimeout(() => { throw new Error('late'); }); });\ntest('waits', () => new Promise((r) => setTimeout(r, 20)));\n",
    });
    const batches = [
      // a selection by test name (-t) is set per batch: it neither restarts the instance nor stays
      { files: ['-t', 'items|keyword', 'tests/cart.test.js', 'tests/search/query.test.js'], exitCode: 0 },
      { files: ['tests/fails.test.js', 'tests/broken.test.js', 'tests/exits.test.js'], exitCode: 1 },
      // an error outside any test fails the batch, and only this one
      { files: ['tests/unhandled.test.js'], exitCode: 1 },
      // after failing batches, a passing one passes
      { files: ['tests/nested/deep/hostile.test.js'], exitCode: 0 },
      // one --outputFile for every reporter (a string, not .junit): a new instance, then kept
      { files: ['tests/cart.test.js'], exitCode: 0, outputFile: true },
      { files: ['tests/fails.test.js'], exitCode: 1, outputFile: true },
      // other options (threads, not the default forks): a new instance, the same results
      { files: ['--pool=threads', 'tests/exits.test.js', 'tests/cart.test.js'], exitCode: 1 },
      { files: ['tests/missing.test.js'], exitCode: 1 },
    ];
    const argsOf = (i: number, report: string) => {
      const path = join(dir, `${report}-${i}.xml`);
      const batch: { files: string[]; outputFile?: boolean } = batches[i]!;
      return ['run', ...(batch.outputFile === true ? ['--reporter=junit', `--outputFile=${path}`] : reporter(path)), ...batch.files];
    };

    const driver = startDriver(dir);
    const direct = Promise.all(batches.map((_, i) => vitestRun(dir, argsOf(i, 'direct'))));
    expect(await driver.next()).toEqual({ type: 'ready' });
    for (const [i, batch] of batches.entries()) {
      driver.send({ type: 'batch', batch: i + 1, args: argsOf(i, 'fed'), env: {}, junit: join(dir, `fed-${i}.xml`) });
      expect(await driver.next()).toEqual({ type: 'done', batch: i + 1, exitCode: batch.exitCode });
    }
    driver.end();
    expect(await driver.exited).toBe(0);
    expect(await direct).toEqual(batches.map((b) => b.exitCode));

    for (const i of batches.keys()) expect(casesIn(join(dir, `fed-${i}.xml`)), `batch ${i + 1}`).toEqual(casesIn(join(dir, `direct-${i}.xml`)));
    expect(casesIn(join(dir, 'fed-0.xml')).map((c) => [c.classname, c.status])).toEqual([
      ['tests/cart.test.js', 'passed'],
      ['tests/cart.test.js', 'passed'],
      ['tests/cart.test.js', 'skipped'],
      ['tests/search/query.test.js', 'passed'],
      ['tests/search/query.test.js', 'skipped'],
    ]);
    expect(casesIn(join(dir, 'fed-1.xml')).map((c) => [c.classname, c.name, c.status])).toEqual([
      ['tests/broken.test.js', 'tests/broken.test.js', 'failed'],
      ['tests/exits.test.js', 'after', 'passed'],
      ['tests/exits.test.js', 'exits', 'failed'],
      ['tests/fails.test.js', 'fails', 'failed'],
      ['tests/fails.test.js', 'passes', 'passed'],
    ]);
    expect(casesIn(join(dir, 'fed-7.xml'))).toEqual([]);
    const { stdout, stderr } = driver.output();
    expect(stdout.match(/ RUN /g)).toHaveLength(batches.filter((b) => !('outputFile' in b)).length);
    // --outputFile, threads, then back to the default options: three new instances, no more
    expect(stderr.match(/this batch has other vitest options than the last; starting a new Vitest instance/g)).toHaveLength(3);
  });

  it('fails at start with one line when the project has no vitest, one it does not support, or a config that does not load', async () => {
    const none = startDriver('/');
    expect(await none.exited).toBe(2);
    expect(none.output().stderr).toBe('split-tests vitest driver: vitest is not installed in / (vitest/node cannot be resolved from there)\n');

    const dir = makeTempDir('split-tests-vitest-resident-');
    writeFiles(dir, {
      'node_modules/vitest/package.json': JSON.stringify({ name: 'vitest', version: '2.1.9', exports: { './node': './node.js' } }),
      'node_modules/vitest/node.js': 'process.exit(3);\n',
    });
    const old = startDriver(dir);
    expect(await old.exited).toBe(2);
    expect(old.output().stderr).toBe('split-tests vitest driver: vitest 2.1.9 is not supported (supported: vitest >=3.2 <5); batches must run as commands of their own\n');

    const broken = vitestProject();
    writeFiles(broken, { 'vitest.config.js': "throw new Error('broken config');\n" });
    const cannot = startDriver(broken);
    expect(await cannot.exited).toBe(2);
    expect(cannot.output().stderr).toMatch(/^split-tests vitest driver: vitest could not start: broken config$/m);
  });
});
