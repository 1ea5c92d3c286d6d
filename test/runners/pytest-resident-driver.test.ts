import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTEST_FEED_DRIVER } from '../../src/runners/pytest-resident.js';
import { makeTempDir, removeTempDirs, repoRoot } from '../e2e/helpers.js';
import { parseCases } from '../run/parse-cases.js';
import { startFeedDriver } from './feed-harness.js';

afterAll(removeTempDirs);

// Debian's python3 with python3-pytest (the python3 first on PATH may be a pyenv one without it);
// SPLIT_TESTS_PYTEST_PYTHON checks another interpreter and pytest (a virtualenv's python)
const PYTHON = process.env['SPLIT_TESTS_PYTEST_PYTHON'] ?? '/usr/bin/python3';
const FIXTURE = join(repoRoot, 'test', 'fixtures', 'resident-pytest');

function project(): string {
  const dir = makeTempDir('split-tests-pyfeed-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function environment(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...extra };
}

/** The driver as split-tests runs it: JSON lines over fd 3, the tests' output on stdout/stderr. */
function startDriver(cwd: string) {
  const driver = startFeedDriver(PYTHON, [PYTEST_FEED_DRIVER], cwd, environment());
  const batch = (batch: number, args: readonly string[], env: Record<string, string> = {}) => driver.batch(batch, args, env, { junit: join(cwd, `batch-${batch}.xml`) });
  return { ...driver, batch };
}

const junit = (dir: string, name: string) => [`--junitxml=${join(dir, name)}`, '-o', 'junit_family=xunit1'];
const testcases = (path: string) =>
  parseCases(readFileSync(path, 'utf8'))
    .map((c) => `${c.file} ${c.classname} ${c.name} ${c.status}`)
    .sort();

function plainPytest(cwd: string, args: readonly string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(PYTHON, ['-m', 'pytest', ...args], { cwd, env: environment(env), stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

// In order: the cache from batch 2 decides what --lf runs in batch 3 (-s: the test prints straight
// to fds 1 and 2); batch 5's plugin import raises out of pytest.main; batch 6 runs after it;
// then a usage error (4) and no test selected (5).
const BATCHES: { args: string[]; env?: Record<string, string>; exitCode: number }[] = [
  { args: ['pkg_a/test_same.py', 'pkg_a/test_fds.py', 'rootless/x/test_dup.py'], env: { FEED_MARK: 'one' }, exitCode: 0 },
  { args: ['pkg_b/test_same.py', 'rootless/y/test_dup.py', 'failing/test_fail.py'], exitCode: 1 },
  { args: ['--lf', '-s', 'failing/test_fail.py'], exitCode: 1 },
  { args: ['broken/test_broken.py', 'pkg_a/test_same.py'], exitCode: 2 },
  { args: ['-p', 'no_such_plugin_of_split_tests', 'pkg_a/test_same.py'], exitCode: 3 },
  { args: ['pkg_b/test_same.py', 'rootless/x/test_dup.py'], exitCode: 0 },
  { args: ['--no-such-option', 'pkg_a/test_same.py'], exitCode: 4 },
  { args: ['-k', 'no_such_test', 'pkg_a/test_same.py'], exitCode: 5 },
];

describe('runners/pytest/split_tests_feed.py against the real pytest', () => {
  it('ready, then each batch as `python3 -m pytest` runs it: exit code, report, fresh conftest and test modules; EOF exits 0', async () => {
    const dir = project();
    const plainDir = project();
    const driver = startDriver(dir);
    expect(await driver.next()).toEqual({ type: 'ready' });
    // the same batches as separate commands, one after another (the cache carries over), meanwhile
    const plain = (async () => {
      const codes: (number | null)[] = [];
      for (const [i, b] of BATCHES.entries()) codes.push(await plainPytest(plainDir, [...b.args, ...junit(plainDir, `batch-${i + 1}.xml`)], b.env ?? {}));
      return codes;
    })();
    for (const [i, b] of BATCHES.entries()) {
      const done = await driver.batch(i + 1, [...b.args, ...junit(dir, `batch-${i + 1}.xml`)], b.env);
      expect(done, `batch ${i + 1}: ${driver.output.stdout}${driver.output.stderr}`).toEqual({ type: 'done', batch: i + 1, exitCode: b.exitCode });
    }
    driver.end();
    expect(await driver.exited).toBe(0);

    // the reports were written before each "done"; every testcase as the command line writes it
    const plainCodes = await plain;
    for (const [i, b] of BATCHES.entries()) {
      if (b.exitCode === 3) continue; // no report: python3 -m pytest dies of the ImportError (exit 1)
      expect(plainCodes[i], `batch ${i + 1}`).toBe(b.exitCode);
      if (b.exitCode === 4) continue; // no report either
      expect(testcases(join(dir, `batch-${i + 1}.xml`)), `batch ${i + 1}`).toEqual(testcases(join(plainDir, `batch-${i + 1}.xml`)));
    }
    expect(plainCodes[4]).toBe(1);
    expect(testcases(join(dir, 'batch-1.xml'))).toHaveLength(5);
    expect(testcases(join(dir, 'batch-2.xml')).filter((c) => !c.endsWith(' passed'))).toEqual(['failing/test_fail.py failing.test_fail test_fails failed']);
    expect(testcases(join(dir, 'batch-3.xml'))).toEqual(['failing/test_fail.py failing.test_fail test_fails failed']);
    expect(testcases(join(dir, 'batch-4.xml'))).toEqual(['broken/test_broken.py  broken.test_broken error']);
    expect(testcases(join(dir, 'batch-6.xml')).every((c) => c.endsWith(' passed'))).toBe(true);
    expect(driver.output.stdout).toContain('Interrupted: 1 error during collection');
    expect(driver.output.stderr).toContain('ERR-OF-TEST-FAILS');
    expect(driver.output.stderr).toContain('No module named \'no_such_plugin_of_split_tests\'');
  });

  it('a test that calls os._exit ends the driver without an answer', async () => {
    const driver = startDriver(project());
    expect(await driver.next()).toEqual({ type: 'ready' });
    expect(await driver.batch(1, ['exits/test_exit.py'])).toBeUndefined();
    expect(await driver.exited).toBe(7);
    expect(driver.received).toEqual([{ type: 'ready' }]);
  });
});
