import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShard, type RunShardOptions } from '../../src/run/run-shard.js';
import { SHARD_META_SUFFIX, type ShardMeta } from '../../src/run/shard-meta.js';
import { UserError } from '../../src/errors.js';
import { findPlaceholderReports } from '../../src/run/placeholder-report.js';
import { parseCases } from './parse-cases.js';

let dir: string;
let narration: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'split-tests-run-'));
  narration = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A shard whose command is `node -e SCRIPT ...files`; the child's output goes to our stderr. */
function shard(script: string, overrides: Partial<RunShardOptions> = {}): RunShardOptions {
  return {
    index: 2,
    total: 3,
    files: ['tests/a.test.js', 'tests/b b.test.js'],
    command: [process.execPath, '-e', script],
    fingerprint: 'f00d',
    estimatedSeconds: 4.5,
    cwd: dir,
    env: { PATH: process.env.PATH },
    output: { mode: 'prefixed', stdout: 'stderr' },
    narrate: (line) => narration.push(line),
    ...overrides,
  };
}

const writeArgvAndEnv = `require('fs').writeFileSync('seen.json', JSON.stringify({ argv: process.argv.slice(1), shard: process.env.SPLIT_TESTS_SHARD, plan: process.env.SPLIT_TESTS_PLAN, junit: process.env.SPLIT_TESTS_JUNIT }))`;

async function meta(path: string): Promise<ShardMeta> {
  return JSON.parse(await readFile(`${path}${SHARD_META_SUFFIX}`, 'utf8')) as ShardMeta;
}

describe('runShard', () => {
  it('passes the files as arguments and the shard and plan in the environment', async () => {
    const writeReport = `; require('fs').writeFileSync(process.env.SPLIT_TESTS_JUNIT, '<testsuite name="s"/>')`;
    const result = await runShard(shard(writeArgvAndEnv + writeReport, { junit: 'reports/{shard}.xml' }));
    expect(result.exitCode).toBe(0);
    expect(result.outcome).toEqual({ kind: 'exited', exitCode: 0 });
    const seen = JSON.parse(await readFile(join(dir, 'seen.json'), 'utf8'));
    expect(seen).toEqual({ argv: ['tests/a.test.js', 'tests/b b.test.js'], shard: '2/3', plan: 'f00d', junit: 'reports/2.xml' });
  });

  it("passes the command's own exit code through", async () => {
    const result = await runShard(shard('process.exit(7)'));
    expect(result.exitCode).toBe(7);
    expect(result.outcome).toEqual({ kind: 'exited', exitCode: 7 });
    expect(narration).toEqual([]);
  });

  it('stops a command that outlives --timeout: exit 124 and a message naming the shard', async () => {
    const result = await runShard(shard('setInterval(() => {}, 1000)', { timeoutSeconds: 0.2 }));
    expect(result.exitCode).toBe(124);
    expect(result.outcome).toMatchObject({ kind: 'timeout', signal: 'SIGTERM' });
    expect(narration).toEqual(['shard 2/3 timed out after 0.2 s; the command was stopped with SIGTERM (exit 124)']);
  });

  it('reports a command killed by a signal as 128 + its number', async () => {
    const result = await runShard(shard("process.kill(process.pid, 'SIGKILL')"));
    expect(result.exitCode).toBe(137);
    expect(narration).toEqual(['shard 2/3: the command was killed by SIGKILL (exit 137)']);
  });

  it('stops the command when split-tests is cancelled, with the exit code of that signal', async () => {
    const controller = new AbortController();
    const running = runShard(shard("require('fs').writeFileSync('started', ''); setInterval(() => {}, 1000)", { cancelSignal: controller.signal }));
    // abort once the child is really running (polling the file it writes, no fixed sleep)
    while (!(await readFile(join(dir, 'started')).then(() => true, () => false))) await new Promise((r) => setImmediate(r));
    controller.abort('SIGINT');
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'cancelled', signal: 'SIGINT' });
    expect(result.exitCode).toBe(130);
  });

  it('throws a one-line UserError naming a command that does not exist', async () => {
    const run = runShard({ ...shard(''), command: ['no-such-runner-xyz', 'run'] });
    await expect(run).rejects.toThrow(UserError);
    await expect(runShard({ ...shard(''), command: ['no-such-runner-xyz', 'run'] })).rejects.toThrow('run: command not found: no-such-runner-xyz');
  });

  it('keeps a real report and writes the sidecar next to it', async () => {
    const xml = '<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="tests/a.test.js" name="x"><failure/></testcase></testsuite></testsuites>';
    const script = `require('fs').writeFileSync(process.env.SPLIT_TESTS_JUNIT, ${JSON.stringify(xml)}); process.exit(1)`;
    const result = await runShard(shard(script, { junit: 'out/nested/{shard}-of-{total}.xml' }));
    const path = join(dir, 'out/nested/2-of-3.xml');
    expect(await readFile(path, 'utf8')).toBe(xml);
    expect(result.syntheticReport).toBe(false);
    const sidecar = await meta(path);
    expect(sidecar).toMatchObject({
      schemaVersion: 1,
      index: 2,
      total: 3,
      fingerprint: 'f00d',
      files: ['tests/a.test.js', 'tests/b b.test.js'],
      estimatedSeconds: 4.5,
      exitCode: 1,
    });
    expect(sidecar.syntheticReport).toBeUndefined();
    expect(sidecar.wallSeconds).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(sidecar.startedAt))).toBe(false);
  });

  it('writes one errored testcase per file when the command dies without a report', async () => {
    const result = await runShard(shard("process.kill(process.pid, 'SIGKILL')", { junit: 'reports/{shard}.xml' }));
    const path = join(dir, 'reports/2.xml');
    expect(result.syntheticReport).toBe(true);
    const cases = parseCases(await readFile(path, 'utf8'));
    expect(cases.map((c) => [c.classname, c.file, c.status])).toEqual([
      ['tests/a.test.js', 'tests/a.test.js', 'error'],
      ['tests/b b.test.js', 'tests/b b.test.js', 'error'],
    ]);
    expect(cases[0]?.message).toContain('killed by SIGKILL (exit 137)');
    expect(await meta(path)).toMatchObject({ exitCode: 137, syntheticReport: true });
    expect(narration.at(-1)).toBe('shard 2/3: the JUnit report reports/2.xml is missing; wrote one errored testcase per file (2) in its place');
  });

  it('fails a command that exits 0 without writing its report (exit 1), and marks the placeholders', async () => {
    const result = await runShard(shard('process.exit(0)', { junit: 'reports/{shard}.xml' }));
    expect(result.outcome).toEqual({ kind: 'no-report', problem: 'the JUnit report reports/2.xml is missing' });
    expect(result.exitCode).toBe(1);
    expect(narration).toEqual([
      'shard 2/3: the command exited 0 but the JUnit report reports/2.xml is missing; a shard without a report proves nothing (exit 1)',
      'shard 2/3: wrote one errored testcase per file (2) in its place',
    ]);
    const path = join(dir, 'reports/2.xml');
    expect(await meta(path)).toMatchObject({ exitCode: 1, syntheticReport: true });
    expect(await findPlaceholderReports([path, join(dir, 'nowhere.xml')])).toEqual([{ report: path, shard: '2/3', files: ['tests/a.test.js', 'tests/b b.test.js'] }]);
  });

  it('an exit 0 with a report, or with no --junit at all, still passes', async () => {
    const xml = '<testsuites><testsuite name="s"><testcase classname="tests/a.test.js" name="x"/></testsuite></testsuites>';
    const withReport = await runShard(shard(`require('fs').writeFileSync(process.env.SPLIT_TESTS_JUNIT, ${JSON.stringify(xml)})`, { junit: 'r.xml' }));
    expect(withReport.exitCode).toBe(0);
    expect(await findPlaceholderReports([join(dir, 'r.xml')])).toEqual([]);
    expect((await runShard(shard('process.exit(0)'))).exitCode).toBe(0);
  });

  it('replaces a truncated report, and never trusts a stale one from an earlier run', async () => {
    await writeFile(join(dir, 'stale.xml'), '<testsuites><testsuite name="old"/></testsuites>');
    const stale = await runShard(shard('process.exit(3)', { junit: 'stale.xml' }));
    expect(stale.syntheticReport).toBe(true);
    expect(parseCases(await readFile(join(dir, 'stale.xml'), 'utf8'))).toHaveLength(2);

    const truncate = `require('fs').writeFileSync(process.env.SPLIT_TESTS_JUNIT, '<testsuites><testsuite name="s"><testcase'); process.exit(1)`;
    const truncated = await runShard(shard(truncate, { junit: 'cut.xml' }));
    expect(truncated.syntheticReport).toBe(true);
    expect(narration.at(-1)).toMatch(/cut\.xml is not well-formed XML/);
    expect(parseCases(await readFile(join(dir, 'cut.xml'), 'utf8')).map((c) => c.message)).toEqual([
      'the command exited with code 1; no JUnit report was written for shard 2/3',
      'the command exited with code 1; no JUnit report was written for shard 2/3',
    ]);
  });

  it('never removes or replaces what is not a regular file at --junit (a device such as /dev/null, a FIFO, a folder)', async () => {
    // a FIFO stands in for /dev/null: as root, the old rm + rename replaced the device with a file
    execFileSync('mkfifo', [join(dir, 'fifo.xml')]);
    await expect(runShard(shard('process.exit(0)', { junit: 'fifo.xml' }))).rejects.toThrow('--junit fifo.xml: is not a regular file; split-tests replaces the report at this path');
    expect(statSync(join(dir, 'fifo.xml')).isFIFO()).toBe(true);
    await mkdir(join(dir, 'folder'));
    await expect(runShard(shard('process.exit(0)', { junit: 'folder' }))).rejects.toThrow('--junit folder: is a folder; split-tests replaces the report at this path');
    await writeFile(join(dir, 'file'), '');
    await expect(runShard(shard('process.exit(0)', { junit: 'file/r.xml' }))).rejects.toThrow('--junit file/r.xml: cannot create its folder file');
    expect(existsSync(join(dir, 'seen.json'))).toBe(false);
  });

  it('succeeds on an empty shard without starting the command, and still reports it', async () => {
    const result = await runShard({ ...shard(''), files: [], command: ['no-such-runner-xyz'], junit: 'reports/{shard}.xml' });
    expect(result.exitCode).toBe(0);
    expect(result.outcome).toEqual({ kind: 'empty' });
    expect(narration[0]).toBe('shard 2/3 has no test files; the command was not started');
    const xml = await readFile(join(dir, 'reports/2.xml'), 'utf8');
    expect(parseCases(xml)).toEqual([]);
    expect(xml).toContain('<testsuites');
    expect(await meta(join(dir, 'reports/2.xml'))).toMatchObject({ files: [], exitCode: 0 });
  });
});
