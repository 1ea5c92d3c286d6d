import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, useTestRedis, type TestRedis } from '../queue/redis-server.js';
import { casesPerFile, startWorker, SUITE_ARGS, writeSuite } from '../queue/workers.js';
import { makeTempDir, processAlive as alive, removeTempDirs, runCli } from './helpers.js';

// Faults of one worker while others run: stopped (SIGTERM), Redis unreachable only for it, a flaky file.
const redis = useTestRedis();
const servers: TestRedis[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  removeTempDirs();
});

const MS = [200, 150, 120, 100, 80, 60, 40, 20];
/** The suite's command, but waiting (HANG: forever, in the background; GATE: until the file `go` exists) before it runs. */
const held = (): string[] => [
  ...SUITE_ARGS.slice(0, SUITE_ARGS.indexOf('--') + 1),
  'bash', '-c',
  'if [ -n "$HANG" ]; then sleep 1000 & echo $! > hang.pid; echo hanging; wait; fi; ' +
    'if [ -n "$GATE" ]; then echo gated; while [ ! -e go ]; do sleep 0.05; done; fi; exec node runner.mjs --junit-out "$0" "$@"',
  '{junit}', '{files}',
];

async function waitAndMerge(dir: string, url: string, queueId: string) {
  const wait = await runCli(['queue', 'wait', '--queue', url, '--queue-id', queueId, '--timeout', '60s', '--json'], { cwd: dir });
  const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml'], { cwd: dir });
  return { wait, summary: JSON.parse(wait.stdout), merge, cases: [...casesPerFile(join(dir, 'merged.xml')).entries()].sort() };
}

describe('queue mode: one worker in trouble, the run still counts every file once', () => {
  it('SIGTERM stops a worker as static run does (its process group, exit 143) and its batch goes back to the queue', { timeout: 90_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const args = ['run', '--queue', redis.url(), '--queue-id', 'stop', ...held()];
    const stopped = startWorker(args, dir, { CI_NODE_TOTAL: '2', HANG: '1' });
    await stopped.seen('hanging');
    stopped.child.kill('SIGTERM');
    const result = await stopped.done;
    expect(result.exitCode, result.stderr).toBe(143);
    expect(result.stderr).toContain('received SIGTERM: stopping every command');
    expect(result.stderr).toMatch(/batch 2: stopped midway, given back to the queue; report set aside as reports\/junit-2\.xml\.stopped/);
    expect(alive(Number(readFileSync(join(dir, 'hang.pid'), 'utf8')))).toBe(false);
    const other = await startWorker(args, dir, { CI_NODE_TOTAL: '2' }).done;
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stderr).toContain('took over batch 2 of worker 1');
    const { wait, summary, cases } = await waitAndMerge(dir, redis.url(), 'stop');
    expect(wait.exitCode).toBe(0);
    expect(summary).toMatchObject({ items: 8, passed: 8, lost: 0 });
    expect(cases).toEqual(files.map((f) => [f, 1]));
    expect(existsSync(join(dir, 'reports', 'junit-2.xml.stopped'))).toBe(true);
  });

  it('Redis unreachable for one worker only: its static shard reports once Redis answers, each file counts once, queue wait names it', { timeout: 90_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const late = await startRedis();
    await late.stop(); // a port nothing listens on yet
    const url = `redis://127.0.0.1:${late.port}/0`;
    const args = ['run', '--queue', url, '--queue-id', 'partial', ...held()];
    const fallback = startWorker([...args.slice(0, 1), '--shard', '1/2', ...args.slice(1)], dir, { GATE: '1' });
    await fallback.seen('gated');
    servers.push(await startRedis(late.port));
    const queued = await startWorker([...args.slice(0, 1), '--shard', '2/2', ...args.slice(1)], dir).done;
    expect(queued.exitCode, queued.stderr).toBe(0);
    expect(queued.stderr).toContain('seeded with 8 files');
    writeFileSync(join(dir, 'go'), '');
    const fell = await fallback.done;
    expect(fell.exitCode, fell.stderr).toBe(0);
    expect(fell.stderr).toContain('QUEUE MODE OFF');
    expect(fell.stderr).toMatch(/reported static shard 1\/2 as fallback worker 2: 0 of \d items counted here/);
    expect(fell.stderr).toContain('report set aside as reports/junit-1.xml.late');
    const { wait, summary, merge, cases } = await waitAndMerge(dir, url, 'partial');
    expect(wait.exitCode).toBe(0);
    expect(summary).toMatchObject({ items: 8, passed: 8, fallbacks: 1 });
    expect(summary.workers[1]).toMatchObject({ worker: 2, fallback: '1/2' });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(cases).toEqual(files.map((f) => [f, 1]));
    const text = await runCli(['queue', 'status', '--queue', url, '--queue-id', 'partial'], { cwd: dir });
    expect(text.stdout).toContain('QUEUE MODE WAS OFF for 1 worker (Redis unreachable at its start): worker 2 ran static shard 1/2');
  });

  it('a fallback worker that never reaches Redis: merge counts the files the queue also ran from the queue\'s reports, each once', { timeout: 90_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    const down = await startRedis();
    await down.stop(); // a port nothing listens on
    const fell = await runCli(['run', '--queue', `redis://127.0.0.1:${down.port}/0`, '--queue-id', 'never', '--shard', '1/2', ...SUITE_ARGS], { cwd: dir });
    expect(fell.exitCode, fell.stderr).toBe(0);
    expect(fell.stderr).toContain('still cannot reach Redis');
    const note = JSON.parse(readFileSync(join(dir, 'reports', 'junit-1.xml.split-tests.json'), 'utf8'));
    expect(note.queueFallback).toEqual({ id: 'never', reported: false });
    const queued = await runCli(['run', '--queue', redis.url(), '--queue-id', 'never', '--shard', '2/2', ...SUITE_ARGS], { cwd: dir });
    expect(queued.exitCode, queued.stderr).toBe(0);
    const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml', '--record'], { cwd: dir });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toMatch(new RegExp(`reports/junit-1.xml is static shard 1/2 of a worker that never reached queue never: all ${note.files.length} of its files also ran in the queue and count from the queue's reports; this report is left out`));
    expect(merge.stderr).not.toContain('appear more than once');
    expect([...casesPerFile(join(dir, 'merged.xml')).entries()].sort()).toEqual(files.map((f) => [f, 1]));
    // the user's report is left as it was; only the merge's copy lost the files
    expect(readFileSync(join(dir, 'reports', 'junit-1.xml'), 'utf8').match(/<testcase /g)).toHaveLength(note.files.length);
  });

  it('--max-requeues: a flaky file failed, then passed on another attempt: the merge holds it once, passing', { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files = writeSuite(dir, MS);
    writeFileSync(join(dir, files[5]!), '60 FLAKY\n');
    const result = await runCli(['run', '--parallel', '--queue', '--concurrency', '2', '--max-requeues', '1', ...SUITE_ARGS], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/1 testcase of 1 file dropped from reports\/junit-\d+\.xml/);
    const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml'], { cwd: dir });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect([...casesPerFile(join(dir, 'merged.xml')).entries()].sort()).toEqual(files.map((f) => [f, 1]));
    expect(readdirSync(join(dir, 'reports')).filter((f) => f.endsWith('.xml')).length).toBeGreaterThan(1);
    // the first attempt's failure is not lost: the passing testcase carries it, as run --retries does
    expect(result.stderr).toMatch(/1 flaky \(failed on an earlier attempt, passed here: <flakyFailure>\) in reports\/junit-\d+\.xml/);
    const merged = readFileSync(join(dir, 'merged.xml'), 'utf8');
    expect(merged.match(/<flakyFailure message="failed"\/>/g)).toHaveLength(1);
    expect(merged).toMatch(new RegExp(`file="${files[5]}"[^>]*><flakyFailure`));
  });
});
