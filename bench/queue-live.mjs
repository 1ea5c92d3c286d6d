// Queue mode with real processes: a real redis-server, 4 worker processes of the built CLI and a
// real pytest suite (Debian's python3-pytest) whose conftest imports an "application" that takes
// START seconds to import (Django-like). Worker 3 runs 2x slower and worker 4 starts late. Compared
// side by side in one run:
//   command   --no-resident: a new Python + pytest + application import for every batch;
//   resident  the resident pytest driver: one Python per worker, fed its batches.
// Score: makespan (first start to last worker's exit) against the ideal queue for the same true
// durations, speeds and start times (one file at a time, longest estimate first, start-up once per
// worker) and against the lower bound of those workers (as bench/queue.mjs).
// Usage: node bench/queue-live.mjs [--start SECONDS] [--files N] [--seconds TOTAL]   (npm run build first)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heavyTailedTimes, rng } from './lib/generate.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const START = flag('--start', 1.5);
const FILES = flag('--files', 32);
const TOTAL = flag('--seconds', 48);
const WORKERS = 4;
const SLOW = 2; // worker 3
const LATE = TOTAL / WORKERS / 3; // worker 4 starts a third of the way into a fair share

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${seen}`)));
  });
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => child.kill('SIGTERM') };
}

/** The suite: true seconds per file, heavy-tailed, summing to TOTAL; estimates off by up to ±25%. */
function writeSuite(dir) {
  const random = rng(7);
  const raw = heavyTailedTimes(random, FILES, { median: 1, sigma: 0.8 });
  const sum = raw.reduce((a, b) => a + b, 0);
  const truth = new Map();
  const cases = [];
  raw.forEach((t, i) => {
    const file = `tests/test_f${String(i + 1).padStart(2, '0')}.py`;
    const seconds = Math.round((t / sum) * TOTAL * 1000) / 1000;
    truth.set(file, seconds);
    writeFileSync(join(dir, file), `import os, time\n\ndef test_work():\n    time.sleep(${seconds} * float(os.environ.get("SLOW", "1")))\n`);
    cases.push(`<testcase classname="tests.test_f${String(i + 1).padStart(2, '0')}" name="test_work" file="${file}" time="${(seconds * (0.8 + 0.45 * random())).toFixed(3)}"/>`);
  });
  writeFileSync(join(dir, 'app.py'), `import time\ntime.sleep(${START})  # an application's imports\n`);
  writeFileSync(join(dir, 'conftest.py'), 'import app  # noqa: F401\n');
  writeFileSync(join(dir, 'previous.xml'), `<testsuites><testsuite name="pytest">${cases.join('')}</testsuite></testsuites>\n`);
  return truth;
}

function worker(dir, env, queueId, redis, mode) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--queue', redis.url, '--queue-id', queueId, '--runner', 'pytest', '--timings', 'previous.xml', '--junit', `r-${queueId}/junit-{shard}.xml`, '--json', ...(mode === 'command' ? ['--no-resident'] : []), 'tests'],
    { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      if (code !== 0) process.stderr.write(stderr);
      const batches = JSON.parse(stdout).workers.flatMap((w) => w.batches).length;
      resolve({ code, end: performance.now(), started, batches });
    }),
  );
}

async function scenario(dir, baseEnv, redis, mode) {
  const queueId = `live-${mode}`;
  const t0 = performance.now();
  const runs = [1, 2, 3].map((w) => worker(dir, { ...baseEnv, ...(w === 3 ? { SLOW: String(SLOW) } : {}) }, queueId, redis, mode));
  await new Promise((resolve) => setTimeout(resolve, LATE * 1000));
  runs.push(worker(dir, baseEnv, queueId, redis, mode));
  const results = await Promise.all(runs);
  return { makespan: (Math.max(...results.map((r) => r.end)) - t0) / 1000, batches: results.map((r) => r.batches), codes: results.map((r) => r.code) };
}

/** The ideal queue for these workers: files one at a time, longest estimate first, start-up once. */
function idealQueue(order, truth, workers, startup) {
  const free = workers.map((w) => w.start + startup);
  for (const file of order) {
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[w]) w = i;
    free[w] += truth.get(file) / workers[w].speed;
  }
  return Math.max(...free);
}

function lowerBound(workers, total, largest, startup) {
  const done = (t) => workers.reduce((sum, w) => sum + w.speed * Math.max(0, t - w.start - startup), 0);
  let lo = 0;
  let hi = 1e6;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (done(mid) >= total) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, Math.min(...workers.map((w) => w.start + startup + largest / w.speed)));
}

const dir = mkdtempSync(join(tmpdir(), 'split-tests-queue-live-'));
mkdirSync(join(dir, 'tests'));
mkdirSync(join(dir, '.bin'));
symlinkSync('/usr/bin/python3', join(dir, '.bin', 'python3')); // Debian's python3 has pytest
const truth = writeSuite(dir);
const env = { PATH: `${join(dir, '.bin')}:${process.env.PATH}`, CI_NODE_TOTAL: String(WORKERS), NO_COLOR: '1' };
// the start-up as the workers pay it: python3 -m pytest on no test, with the application's import
const probeStart = performance.now();
await new Promise((resolve) => spawn(join(dir, '.bin', 'python3'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'conftest.py'], { cwd: dir, stdio: 'ignore' }).once('close', resolve));
const startup = (performance.now() - probeStart) / 1000;

const redis = await startRedis();
try {
  const workers = [1, 2, 3, 4].map((w) => ({ speed: w === 3 ? 1 / SLOW : 1, start: w === 4 ? LATE : 0 }));
  const estimates = new Map();
  for (const m of (await import('node:fs')).readFileSync(join(dir, 'previous.xml'), 'utf8').matchAll(/file="([^"]+)" time="([^"]+)"/g)) estimates.set(m[1], Number(m[2]));
  const order = [...truth.keys()].sort((a, b) => estimates.get(b) - estimates.get(a));
  const total = [...truth.values()].reduce((a, b) => a + b, 0);
  const ideal = idealQueue(order, truth, workers, startup);
  const bound = lowerBound(workers, total, Math.max(...truth.values()), startup);
  console.log(`real pytest suite: ${FILES} files, ${total.toFixed(1)} s of tests; start-up (python3 -m pytest + application import) ${startup.toFixed(2)} s`);
  console.log(`4 workers on one real redis-server; worker 3 ${SLOW}x slower, worker 4 starts ${LATE.toFixed(1)} s late; ideal queue ${ideal.toFixed(1)} s, lower bound ${bound.toFixed(1)} s`);
  console.log('mode       makespan   / ideal   / bound   batches per worker   exit codes');
  for (const mode of ['command', 'resident']) {
    const r = await scenario(dir, env, redis, mode);
    console.log(`${mode.padEnd(9)}  ${`${r.makespan.toFixed(1)} s`.padStart(8)}   ${(r.makespan / ideal).toFixed(3)}     ${(r.makespan / bound).toFixed(3)}     ${r.batches.join(' / ').padEnd(18)}   ${r.codes.join(' ')}`);
  }
  console.log('makespan includes each worker process\'s own start (node, planning, Redis) and its exit; the ideal and the bound count only the test runner\'s start-up');
} finally {
  redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
