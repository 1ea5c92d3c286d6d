import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RSPEC_FEED_DRIVER, rspec } from '../../src/runners/rspec.js';
import { makeTempDir, removeTempDirs, repoRoot } from '../e2e/helpers.js';
import { parseCases } from '../run/parse-cases.js';
import { startFeedDriver } from './feed-harness.js';

afterAll(removeTempDirs);

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'resident-rspec');

function project(): string {
  const dir = makeTempDir('split-tests-rsfeed-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function environment(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...extra };
}

/** The driver as split-tests runs it: JSON lines over fd 3, the examples' output on stdout/stderr. */
function startDriver(cwd: string) {
  return startFeedDriver('ruby', [RSPEC_FEED_DRIVER], cwd, environment());
}

// the preset's own report arguments, plus a second formatter writing to a file of its own
const report = (dir: string, n: number) => [...rspec.junitReporter(join(dir, `batch-${n}.xml`)).args, '--format', 'documentation', '--out', join(dir, `doc-${n}.txt`)];
const testcases = (path: string) =>
  parseCases(readFileSync(path, 'utf8'))
    .map((c) => `${c.file} | ${c.name} | ${c.status}`)
    .sort();

function plainRspec(cwd: string, args: readonly string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn('rspec', args, { cwd, env: environment(env), stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

// In order: the batch's env; --fail-fast (forced) must not reach batch 4; a spec file that raises
// while loading (0 examples, exit 1) must not make batch 4 quit early; an -E selection (as the
// preset's selectTests writes it) must not reach batch 6, and spec_helper's filter_run_excluding
// stays for every batch; an `exit` in an example is that batch's exit code only.
const BATCHES: { args: string[]; env?: Record<string, string>; exitCode: number; cases: number }[] = [
  { args: ['spec/a_spec.rb', 'spec/b_spec.rb'], env: { FEED_MARK: 'one' }, exitCode: 0, cases: 5 },
  { args: ['--fail-fast', 'spec/failing_spec.rb'], exitCode: 1, cases: 1 },
  { args: ['spec/broken_spec.rb', 'spec/a_spec.rb'], exitCode: 1, cases: 0 },
  { args: ['spec/failing_spec.rb', 'spec/b_spec.rb'], exitCode: 1, cases: 4 },
  { args: [...rspec.selectTests!('spec/a_spec.rb', ['a passes'])], exitCode: 0, cases: 1 },
  { args: ['spec/a_spec.rb'], exitCode: 0, cases: 3 },
  // `exit 3` in an example ends `rspec` with 3 after the summary; the driver goes on
  { args: ['spec/exit_in_example_spec.rb'], exitCode: 3, cases: 2 },
  { args: ['spec/b_spec.rb'], exitCode: 0, cases: 2 },
];

describe('runners/rspec/split_tests_feed.rb against the real rspec', () => {
  it('ready, then each batch as `rspec ARGS` runs it: exit code, reports, formatters and filters of its own; spec_helper loads once; EOF exits 0', { timeout: 60_000 }, async () => {
    const dir = project();
    const plainDir = project();
    const driver = startDriver(dir);
    expect(await driver.next()).toEqual({ type: 'ready' });
    const plain = (async () => {
      const codes: (number | null)[] = [];
      for (const [i, b] of BATCHES.entries()) codes.push(await plainRspec(plainDir, [...report(plainDir, i + 1), ...b.args], b.env ?? {}));
      return codes;
    })();
    for (const [i, b] of BATCHES.entries()) {
      const done = await driver.batch(i + 1, [...report(dir, i + 1), ...b.args], b.env);
      expect(done, `batch ${i + 1}: ${driver.output.stdout}${driver.output.stderr}`).toEqual({ type: 'done', batch: i + 1, exitCode: b.exitCode });
      // written and closed before "done"
      expect(testcases(join(dir, `batch-${i + 1}.xml`)), `batch ${i + 1}`).toHaveLength(b.cases);
    }
    driver.end();
    expect(await driver.exited).toBe(0);

    const plainCodes = await plain;
    for (const [i, b] of BATCHES.entries()) {
      expect(plainCodes[i], `batch ${i + 1}`).toBe(b.exitCode);
      expect(testcases(join(dir, `batch-${i + 1}.xml`)), `batch ${i + 1}`).toEqual(testcases(join(plainDir, `batch-${i + 1}.xml`)));
      expect(readFileSync(join(dir, `doc-${i + 1}.txt`), 'utf8').replace(/\d+(\.\d+)? seconds?/g, 'T'), `batch ${i + 1}`).toBe(
        readFileSync(join(plainDir, `doc-${i + 1}.txt`), 'utf8').replace(/\d+(\.\d+)? seconds?/g, 'T'),
      );
    }
    expect(testcases(join(dir, 'batch-4.xml')).filter((c) => c.includes('failing'))).toEqual([
      'spec/failing_spec.rb | failing fails first | failed',
      'spec/failing_spec.rb | failing passes after | passed',
    ]);
    expect(testcases(join(dir, 'batch-5.xml'))).toEqual(['spec/a_spec.rb | a passes | passed']);
    expect(driver.output.stderr + driver.output.stdout).toContain('An error occurred while loading ./spec/broken_spec.rb');
    // spec_helper and the app: once in the driver, once per command
    expect(readFileSync(join(dir, 'loads.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(plainDir, 'loads.log'), 'utf8').trim().split('\n')).toHaveLength(BATCHES.length);
  });

  it('a spec that calls exit! ends the driver without an answer; a bad option is rspec\'s own exit', { timeout: 30_000 }, async () => {
    const dir = project();
    const driver = startDriver(dir);
    expect(await driver.next()).toEqual({ type: 'ready' });
    expect(await driver.batch(1, ['--no-such-option', 'spec/a_spec.rb'])).toEqual({ type: 'done', batch: 1, exitCode: 1 });
    expect(driver.output.stderr).toContain('invalid option: --no-such-option');
    expect(await driver.batch(2, ['spec/exits_spec.rb'])).toBeUndefined();
    expect(await driver.exited).toBe(7);
    expect(driver.received).toEqual([{ type: 'ready' }, { type: 'done', batch: 1, exitCode: 1 }]);
    expect(existsSync(join(dir, 'loads.log'))).toBe(true);
  });
});
