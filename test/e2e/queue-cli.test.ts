import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, useTestRedis } from '../queue/redis-server.js';
import { casesPerFile, SUITE_ARGS, writeSuite } from '../queue/workers.js';
import { makeTempDir, removeTempDirs, runCli } from './helpers.js';

const redis = useTestRedis();
afterAll(() => removeTempDirs());

const MS = [120, 100, 80, 60, 40, 30, 20, 10];
/** A loopback port nothing listens on: the one of a server we started and stopped. */
async function deadUrl(auth = ''): Promise<string> {
  const gone = await startRedis();
  await gone.stop();
  return `redis://${auth}127.0.0.1:${gone.port}/0`;
}

describe('run --parallel --queue (in-process, no Redis)', () => {
  it('runs every file once over 3 workers, one report per batch, merge complete', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const result = await runCli(['run', '--parallel', '--queue', '--concurrency', '3', ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('in-process queue: 3 workers, 8 files');
    expect(result.stderr).toMatch(/worker 3: \d+ batch/);
    const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml'], { cwd: dir });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect([...casesPerFile(join(dir, 'merged.xml')).entries()].sort()).toEqual(files.map((f) => [f, 1]));
  });

  it('a failing file fails the run (exit 1); with --max-requeues 1 it is retried once, then fails', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS, [2]);
    const result = await runCli(['run', '--parallel', '--queue', '--concurrency', '2', '--max-requeues', '1', '--json', ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout);
    const batches = summary.workers.flatMap((w: { batches: { files: string[]; requeued: number }[] }) => w.batches);
    expect(batches.filter((b: { files: string[] }) => b.files.includes('tests/t03.test.mjs'))).toHaveLength(2);
    expect(batches.reduce((n: number, b: { requeued: number }) => n + b.requeued, 0)).toBe(1);
    // the last attempt's report keeps the first attempt's failure beside its own
    const last = batches.find((b: { files: string[]; requeued: number }) => b.files.includes('tests/t03.test.mjs') && b.requeued === 0);
    const xml = readFileSync(join(dir, last.junit), 'utf8');
    expect(xml).toMatch(/<failure message="failed"\/><rerunFailure message="failed"\/><\/testcase>/);
    expect(result.stderr).toContain('1 failed again (<rerunFailure>)');
  });
});

describe('run --queue: the order of the queue', () => {
  it('files no recorded run timed go out first (their estimate is a guess), then the rest longest first', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    // the history timed every file but the last; its guess would put it at the end
    const cases = files.slice(0, -1).map((f, i) => `<testcase classname="c" name="runs" file="${f}" time="${(MS[i]! / 1000).toFixed(3)}"/>`);
    writeFileSync(join(dir, 'previous.xml'), `<testsuites><testsuite name="s">${cases.join('')}</testsuite></testsuites>\n`);
    const result = await runCli(['run', '--parallel', '--queue', '--concurrency', '1', '--timings', 'previous.xml', '--json', ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    const order = JSON.parse(result.stdout).workers[0].batches.flatMap((b: { files: string[] }) => b.files);
    expect(order[0]).toBe(files.at(-1));
    expect(order.slice(1, 4)).toEqual(files.slice(0, 3)); // then longest first
  });
});

describe('run --queue URL: input errors and an unreachable Redis', () => {
  it('no --queue-id and no CI pipeline id: exit 2 naming the flag', async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS);
    const result = await runCli(['run', '--queue', redis.url(), ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--queue-id: no queue id given and no CI pipeline id found');
  });

  it('--junit without {shard}, a bad URL, --queue-id without --queue: exit 2', async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS);
    const noShard = await runCli(['run', '--queue', redis.url(), '--queue-id', 'x', 'tests/*.test.mjs', '--junit', 'r.xml', '--', 'node', 'runner.mjs'], { cwd: dir });
    expect(noShard.exitCode).toBe(2);
    expect(noShard.stderr).toContain('must contain {shard} in queue mode');
    const badUrl = await runCli(['run', '--queue', 'http://h:1', '--queue-id', 'x', ...SUITE_ARGS], { cwd: dir });
    expect(badUrl.exitCode).toBe(2);
    expect(badUrl.stderr).toContain('the scheme must be redis:// or rediss://');
    const stray = await runCli(['run', '--shard', '1/1', '--queue-id', 'x', ...SUITE_ARGS], { cwd: dir });
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toContain('--queue-id is for queue mode');
    const noResident = await runCli(['run', '--shard', '1/1', '--no-resident', ...SUITE_ARGS], { cwd: dir });
    expect(noResident.exitCode).toBe(2);
    expect(noResident.stderr).toContain('split-tests: --no-resident is for queue mode\nhint: add --queue URL (or --parallel --queue)');
  });

  it('Redis unreachable: the worker runs its static shard with a loud warning, never printing the password; queue wait says incomplete', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS);
    const url = await deadUrl('ci:s3cret-pw@');
    const result = await runCli(['run', '--queue', url, '--shard', '2/2', ...SUITE_ARGS], { cwd: dir, env: { CI_PIPELINE_ID: '991' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('QUEUE MODE OFF');
    expect(result.stderr).toContain('running static shard 2/2 of the same plan');
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
    expect(readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.xml'))).toEqual(['junit-2.xml']);
    // the live Redis never saw this queue: incomplete, exit 1
    const wait = await runCli(['queue', 'wait', '--queue', redis.url(), '--timeout', '1s', '--json'], { cwd: dir, env: { CI_PIPELINE_ID: '991' } });
    expect(wait.exitCode).toBe(1);
    expect(JSON.parse(wait.stdout)).toMatchObject({ queueId: 'gitlab-991', seeded: false, complete: false, passedAll: false });
    // Redis unreachable for the gate too: exit 1, not green
    const unreachable = await runCli(['queue', 'status', '--queue', url, '--queue-id', 'gitlab-991'], { cwd: dir });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach Redis at redis://***:***@127.0.0.1');
    expect(unreachable.stderr).not.toContain('s3cret-pw');
  });

  it('unreachable and no K/N to fall back to: exit 1 saying so, nothing run', { timeout: 30_000 }, async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS);
    const result = await runCli(['run', '--queue', await deadUrl(), '--queue-id', 'x', ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('and no shard K/N to fall back to');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});

describe('queue wait', () => {
  it('exit 1 when an item failed; the JSON names items, passed, failed, requeued, lost, workers', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    writeSuite(dir, MS, [0]);
    const env = { SPLIT_TESTS_REDIS_URL: redis.url(), GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '2' };
    const run = await runCli(['run', '--queue', ...SUITE_ARGS], { cwd: dir, env });
    expect(run.exitCode).toBe(1);
    const wait = await runCli(['queue', 'wait', '--json'], { cwd: dir, env });
    expect(wait.exitCode).toBe(1);
    const summary = JSON.parse(wait.stdout);
    expect(summary).toMatchObject({ queueId: 'github-77-2', items: 8, passed: 7, failed: 1, requeued: 0, lost: 0, complete: true, passedAll: false });
    expect(summary.workers).toHaveLength(1);
    const text = await runCli(['queue', 'status'], { cwd: dir, env });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('queue github-77-2: 8 items: 7 passed, 1 failed, 0 requeued, 0 lost (complete, with failures)');
  });
});
