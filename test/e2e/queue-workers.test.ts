import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, useTestRedis } from '../queue/redis-server.js';
import { casesPerFile, startWorker, SUITE_ARGS, writeSuite } from '../queue/workers.js';
import { makeTempDir, removeTempDirs, runCli } from './helpers.js';

// Four worker processes of the built CLI on one real redis-server, as four CI jobs would run.
const redis = useTestRedis();
afterAll(() => removeTempDirs());

const MS = [240, 210, 180, 150, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10];

async function waitAndMerge(dir: string, queueId: string) {
  const wait = await runCli(['queue', 'wait', '--queue', redis.url(), '--queue-id', queueId, '--timeout', '60s', '--json'], { cwd: dir });
  const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml'], { cwd: dir });
  return { wait, summary: JSON.parse(wait.stdout), merge, cases: casesPerFile(join(dir, 'merged.xml')) };
}

describe('queue mode with 4 worker processes and a real Redis', () => {
  it('runs every file exactly once with a verdict; the batch reports merge complete', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const workers = [1, 2, 3, 4].map(() => startWorker(['run', '--queue', redis.url(), '--queue-id', 'all-once', ...SUITE_ARGS], dir, { CI_NODE_TOTAL: '4' }));
    const results = await Promise.all(workers.map((w) => w.done));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(results.filter((r) => r.stderr.includes('seeded with 16 files'))).toHaveLength(1);
    const { wait, summary, merge, cases } = await waitAndMerge(dir, 'all-once');
    expect(wait.exitCode).toBe(0);
    expect(summary).toMatchObject({ items: 16, passed: 16, failed: 0, requeued: 0, lost: 0, complete: true });
    expect(summary.workers).toHaveLength(4);
    expect(summary.workers.reduce((n: number, w: { items: number }) => n + w.items, 0)).toBe(16);
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('complete: all 16 planned files have testcases');
    expect([...cases.entries()].sort()).toEqual(files.map((f) => [f, 1]));
    // each batch's note says which worker ran it
    const notes = readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.split-tests.json'));
    const workersSeen = new Set(notes.map((f) => JSON.parse(readFileSync(join(dir, 'reports', f), 'utf8')).queue.worker));
    expect(workersSeen.size).toBeGreaterThan(1);
  });

  it('a worker SIGKILLed mid-batch loses nothing: its batch is requeued once and run by another', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const args = ['run', '--queue', redis.url(), '--queue-id', 'killed', '--queue-lease', '1s', ...SUITE_ARGS];
    const victim = startWorker(args, dir, { CI_NODE_TOTAL: '4' });
    await victim.seen('batch start');
    const others = [1, 2, 3].map(() => startWorker(args, dir, { CI_NODE_TOTAL: '4' }));
    victim.killGroup();
    const killed = await victim.done;
    const lostItems = Number(/batch start (\d+) files/.exec(killed.stdout)![1]);
    const results = await Promise.all(others.map((w) => w.done));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(results.filter((r) => r.stderr.includes('(its lease expired)'))).toHaveLength(1);
    const { wait, summary, merge, cases } = await waitAndMerge(dir, 'killed');
    expect(wait.exitCode, wait.stdout).toBe(0);
    expect(summary).toMatchObject({ items: 16, passed: 16, failed: 0, lost: 0, expiredLeases: 1, requeued: lostItems });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect([...cases.entries()].sort()).toEqual(files.map((f) => [f, 1]));
  });

  it('a late worker and a 2x slower worker: every file still once', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const args = ['run', '--queue', redis.url(), '--queue-id', 'late-slow', ...SUITE_ARGS];
    const env = { CI_NODE_TOTAL: '4' };
    const first = [startWorker(args, dir, env), startWorker(args, dir, env), startWorker(args, dir, { ...env, QUEUE_FIXTURE_SLOW: '2' })];
    await Promise.all(first.map((w) => w.seen('batch start')));
    const late = startWorker(args, dir, env);
    const results = await Promise.all([...first, late].map((w) => w.done));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const { wait, summary, cases } = await waitAndMerge(dir, 'late-slow');
    expect(wait.exitCode).toBe(0);
    expect(summary).toMatchObject({ items: 16, passed: 16, lost: 0 });
    expect(summary.workers.map((w: { worker: number }) => w.worker)).toEqual([1, 2, 3, 4]);
    expect([...cases.entries()].sort()).toEqual(files.map((f) => [f, 1]));
  });
});

describe('Redis stopped mid-run', () => {
  it('every worker exits non-zero with a clear error, and nothing says green', { timeout: 60_000 }, async () => {
    const own = await startRedis();
    const dir = makeTempDir();
    writeSuite(dir, MS.map((ms) => ms * 2));
    const args = ['run', '--queue', own.url, '--queue-id', 'stopped', ...SUITE_ARGS];
    const workers = [1, 2].map(() => startWorker(args, dir, { CI_NODE_TOTAL: '2' }));
    await Promise.all(workers.map((w) => w.seen('batch start')));
    await own.stop();
    const results = await Promise.all(workers.map((w) => w.done));
    for (const r of results) {
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain('lost the connection to Redis mid-run');
    }
    const wait = await runCli(['queue', 'wait', '--queue', own.url, '--queue-id', 'stopped', '--timeout', '1s'], { cwd: dir });
    expect(wait.exitCode).toBe(1);
    expect(wait.stderr).toContain('cannot reach Redis');
  });
});
