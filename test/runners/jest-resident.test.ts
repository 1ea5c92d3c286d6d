import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JEST_FEED, jest } from '../../src/runners/jest.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../e2e/helpers.js';
import { runnerProject } from '../e2e/runner-flow.js';
import { parseCases } from '../run/parse-cases.js';
import { startFeedDriver } from './feed-harness.js';

afterAll(removeTempDirs);

const baseEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', CI: '1', ...extra });

/** The driver started as split-tests starts it, with its fd 3 read and written as JSON lines. */
function startDriver(cwd: string) {
  const driver = startFeedDriver('node', [JEST_FEED], cwd, baseEnv());
  return { ...driver, next: driver.expectNext, stderr: () => driver.output.stderr, stdout: () => driver.output.stdout };
}

/** `npx jest ARGS` with the batch's environment, as the batch would have run without the driver. */
function jestRun(cwd: string, args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => spawn('npx', ['--no', '--', 'jest', ...args], { cwd, env: baseEnv(env), stdio: 'ignore' }).on('close', resolve));
}

/** A report's testcases (messages aside: they hold durations), in a fixed order; [] when there is none. */
const casesIn = (path: string) =>
  existsSync(path)
    ? parseCases(readFileSync(path, 'utf8'))
        .map((c) => `${c.file} | ${c.classname} | ${c.name} | ${c.status}`)
        .sort()
    : [];

describe('the resident jest driver (runners/jest/split-tests-feed.mjs) against the real jest', () => {
  it('ready; batches give the exit codes and reports of `npx jest`, nothing carries over; EOF exits 0', { timeout: 120_000 }, async () => {
    const dir = runnerProject('jest');
    writeFiles(dir, {
      'tests/fails.test.js': "test('fails', () => expect(1).toBe(2));\ntest('passes', () => {});\n",
      'tests/broken.test.js': "test('never', () => { (;\n",
      'tests/logs.test.js': "test('logs', () => { if (process.env.SAY) console.log(process.env.SAY); });\n",
    });
    const logs = { JEST_JUNIT_INCLUDE_CONSOLE_OUTPUT: 'true' };
    const batches: { files: string[]; patterns?: string[]; env: Record<string, string>; exitCode: number }[] = [
      { files: ['tests/cart.test.js', 'tests/search/query.test.js'], env: {}, exitCode: 0 },
      // a failing test and a file that fails to load
      { files: ['tests/fails.test.js', 'tests/broken.test.js'], env: {}, exitCode: 1 },
      // the batch's variables reach the tests and jest-junit; the next batch's report has its own console output
      { files: ['tests/logs.test.js'], env: { ...logs, SAY: 'hello from batch 3' }, exitCode: 0 },
      { files: ['tests/logs.test.js'], env: logs, exitCode: 0 },
      // a path that does not exist is a suite that fails to run
      { files: ['tests/missing.test.js'], env: {}, exitCode: 1 },
      // no tests found (a pattern, not a path): jest's exit ends the batch, not the driver
      { files: [], patterns: ['no-such-test'], env: {}, exitCode: 1 },
      { files: [], patterns: ['--passWithNoTests', 'no-such-test'], env: {}, exitCode: 0 },
      // after failing batches, a passing one passes
      { files: ['tests/nested/deep/hostile.test.js'], env: {}, exitCode: 0 },
    ];
    const argsOf = (i: number) => {
      const { files, patterns } = batches[i]!;
      return patterns === undefined ? ['--ci', '--runTestsByPath', ...jest.junitReporter('').args, ...files] : ['--ci', ...patterns, '--reporters=default', '--reporters=jest-junit'];
    };
    const envOf = (i: number, report: string) => ({ ...jest.junitReporter(join(dir, `${report}-${i}.xml`)).env, ...batches[i]!.env });

    const driver = startDriver(dir);
    const direct = Promise.all(batches.map((_, i) => jestRun(dir, argsOf(i), envOf(i, 'direct'))));
    expect(await driver.next()).toEqual({ type: 'ready' });
    for (const [i, batch] of batches.entries()) {
      driver.send({ type: 'batch', batch: i + 1, args: argsOf(i), env: envOf(i, 'fed'), junit: join(dir, `fed-${i}.xml`) });
      expect(await driver.next()).toEqual({ type: 'done', batch: i + 1, exitCode: batch.exitCode });
    }
    driver.end();
    expect(await driver.exited).toBe(0);
    expect(await direct).toEqual(batches.map((b) => b.exitCode));

    for (const i of batches.keys()) expect(casesIn(join(dir, `fed-${i}.xml`)), `batch ${i + 1}`).toEqual(casesIn(join(dir, `direct-${i}.xml`)));
    expect(casesIn(join(dir, 'fed-0.xml'))).toHaveLength(5);
    expect(casesIn(join(dir, 'fed-1.xml'))).toEqual([
      // jest-junit's suite error case, and its failed case of the suite
      'tests/broken.test.js | Test suite failed to run | tests/broken.test.js | error',
      'tests/broken.test.js | Test suite failed to run | tests/broken.test.js | failed',
      'tests/fails.test.js | tests/fails.test.js |  fails | failed',
      'tests/fails.test.js | tests/fails.test.js |  passes | passed',
    ]);
    expect(readFileSync(join(dir, 'fed-2.xml'), 'utf8')).toContain('hello from batch 3');
    expect(readFileSync(join(dir, 'fed-3.xml'), 'utf8')).not.toContain('hello');
    expect(casesIn(join(dir, 'fed-4.xml')).map((c) => c.split(' | ')[0])).toEqual(['tests/missing.test.js', 'tests/missing.test.js']);
    expect(existsSync(join(dir, 'fed-5.xml'))).toBe(false);
    expect(casesIn(join(dir, 'fed-7.xml'))).toHaveLength(8);
    expect(driver.stderr().match(/^Tests: /gm)).toHaveLength(batches.length - 2);
    // jest prints it to stdout
    expect(driver.stdout()).toContain('No tests found, exiting with code 1');
  });

  it('--bail: the driver ends after the batch with jest\'s code and report, as `jest --bail` does', { timeout: 60_000 }, async () => {
    const dir = runnerProject('jest');
    writeFiles(dir, { 'tests/fails.test.js': "test('fails', () => expect(1).toBe(2));\n" });
    const args = ['--ci', '--bail', '--runInBand', '--runTestsByPath', ...jest.junitReporter('').args, 'tests/fails.test.js', 'tests/cart.test.js'];
    const direct = jestRun(dir, args, jest.junitReporter(join(dir, 'direct.xml')).env);
    const driver = startDriver(dir);
    expect(await driver.next()).toEqual({ type: 'ready' });
    driver.send({ type: 'batch', batch: 1, args, env: jest.junitReporter(join(dir, 'fed.xml')).env });
    await expect(driver.next()).rejects.toThrow('the driver closed fd 3');
    expect(await driver.exited).toBe(1);
    expect(await direct).toBe(1);
    expect(casesIn(join(dir, 'fed.xml'))).toEqual(casesIn(join(dir, 'direct.xml')));
    expect(casesIn(join(dir, 'fed.xml'))).toContain('tests/fails.test.js | tests/fails.test.js |  fails | failed');
  });

  it('fails at start with one line when the project has no jest, one it does not support, or a config that does not load', async () => {
    const none = startDriver('/');
    expect(await none.exited).toBe(2);
    expect(none.stderr()).toBe('split-tests jest driver: jest is not installed in / (jest cannot be resolved from there)\n');

    const dir = makeTempDir('split-tests-jest-resident-');
    writeFiles(dir, {
      'node_modules/jest/package.json': JSON.stringify({ name: 'jest', version: '29.7.0', main: 'index.js' }),
      'node_modules/jest/index.js': 'process.exit(3);\n',
    });
    const old = startDriver(dir);
    expect(await old.exited).toBe(2);
    expect(old.stderr()).toBe('split-tests jest driver: jest 29.7.0 is not supported (supported: jest 30); batches must run as commands of their own\n');

    const broken = runnerProject('jest');
    writeFiles(broken, { 'package.json': '{ "private": true }\n', 'jest.config.js': "throw new Error('broken config');\n" });
    const cannot = startDriver(broken);
    expect(await cannot.exited).toBe(2);
    expect(cannot.stderr()).toMatch(/^split-tests jest driver: jest could not start: .*broken config/m);
  });
});
