// The resident pytest driver (runners/pytest/split_tests_feed.py) against one `python3 -m pytest`
// per batch, side by side in one run, on a generated project whose conftest.py imports an app that
// takes about a second of CPU to import (200 modules of classes and tables, like a real app or
// Django). The same 10 batches of 2 test files each, in both modes, alternating rounds:
//   total     wall from the first spawn to the last batch's end (driver: its start-up included)
//   overhead  per batch: its wall (command: spawn to exit; driver: batch sent to "done") less the
//             test time its JUnit report gives (the sum of the testcases' times)
// The driver's per-batch overhead is the figure the queue simulation (bench/queue.mjs --startup)
// takes for a resident pytest; its start-up (spawn to "ready") is paid once per worker.
// Usage: node bench/resident-pytest.mjs [--quick] [--rounds N] [--files F]   (F files per batch,
// default 2: two values of F split the overhead per batch from the overhead per file; PYTHON: an
// interpreter with pytest, default /usr/bin/python3, Debian's python3-pytest)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'runners', 'pytest', 'split_tests_feed.py');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const at = args.indexOf('--rounds');
const ROUNDS = at === -1 ? (quick ? 1 : 3) : Number(args[at + 1]);
const BATCHES = 10;
const filesAt = args.indexOf('--files');
const FILES_PER_BATCH = filesAt === -1 ? 2 : Number(args[filesAt + 1]);
const TESTS_PER_FILE = 5;
const APP_MODULES = 200;

function write(root, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A module of the app: 40 classes, functions and tables, so importing it costs real CPU. */
function appModule() {
  const parts = [];
  for (let i = 0; i < 40; i++) {
    parts.push(
      `class Model${i}:\n    field = ${i}\n    def method_a(self, x):\n        return x + ${i}\n    def method_b(self, y):\n        return [y * k for k in range(${(i % 7) + 1})]\n`,
      `def helper${i}(z):\n    return {'k${i}': z, 'n': ${i}}\n`,
      `TABLE${i} = {f"key{j}": j * ${i} for j in range(40)}\n`,
    );
  }
  return parts.join('\n');
}

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-pyfeed-'));
  const files = { 'pytest.ini': '[pytest]\n', 'app/__init__.py': '' };
  for (let m = 0; m < APP_MODULES; m++) {
    files['app/__init__.py'] += `from . import m${m}\n`;
    files[`app/m${m}.py`] = appModule();
  }
  files['conftest.py'] = 'import pytest\n\nimport app\n\n\n@pytest.fixture(scope="session")\ndef models():\n    return app.m0.Model0()\n';
  for (let f = 0; f < BATCHES * FILES_PER_BATCH; f++) {
    const tests = Array.from({ length: TESTS_PER_FILE }, (_, t) => `def test_${t}(models):\n    time.sleep(0.01)\n    assert models.method_a(${t}) == ${t}\n`);
    files[`tests/test_f${f}.py`] = `import time\n\n\n${tests.join('\n\n')}`;
  }
  write(dir, files);
  return dir;
}

const batchFiles = (b) => Array.from({ length: FILES_PER_BATCH }, (_, i) => `tests/test_f${b * FILES_PER_BATCH + i}.py`);
const batchArgs = (dir, mode, b) => [`--junitxml=${join(dir, 'reports', `${mode}-${b}.xml`)}`, '-o', 'junit_family=xunit1', ...batchFiles(b)];
const environment = (extra = {}) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra });

/** The report's test time: the sum of its testcases' times. */
function testSeconds(report) {
  let sum = 0;
  for (const m of readFileSync(report, 'utf8').matchAll(/<testcase [^>]*\btime="([\d.]+)"/g)) sum += Number(m[1]);
  return sum;
}

function exitOf(child) {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

async function commands(dir) {
  const started = performance.now();
  const overheads = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const code = await exitOf(spawn(PYTHON, ['-m', 'pytest', '-q', ...batchArgs(dir, 'command', b)], { cwd: dir, env: environment(), stdio: 'ignore' }));
    if (code !== 0) throw new Error(`python3 -m pytest, batch ${b}: exit ${code}`);
    overheads.push((performance.now() - t0) / 1000 - testSeconds(join(dir, 'reports', `command-${b}.xml`)));
  }
  return { total: (performance.now() - started) / 1000, overheads };
}

async function driver(dir) {
  const started = performance.now();
  const child = spawn(PYTHON, [DRIVER], { cwd: dir, env: environment({ SPLIT_TESTS_FEED_FD: '3' }), stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const exited = exitOf(child);
  const feed = child.stdio[3];
  const pending = [];
  let buffered = '';
  feed.on('data', (chunk) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      pending.shift()?.(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
  });
  const next = () => Promise.race([new Promise((resolve) => pending.push(resolve)), exited.then((code) => ({ type: 'exit', code }))]);
  if ((await next()).type !== 'ready') throw new Error('driver: no ready');
  const startup = (performance.now() - started) / 1000;
  const overheads = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    feed.write(`${JSON.stringify({ type: 'batch', batch: b, args: ['-q', ...batchArgs(dir, 'driver', b)], env: {} })}\n`);
    const done = await next();
    if (done.type !== 'done' || done.exitCode !== 0) throw new Error(`driver, batch ${b}: ${JSON.stringify(done)}`);
    overheads.push((performance.now() - t0) / 1000 - testSeconds(join(dir, 'reports', `driver-${b}.xml`)));
  }
  const total = (performance.now() - started) / 1000;
  feed.end();
  if ((await exited) !== 0) throw new Error('driver: non-zero exit at end of input');
  return { total, overheads, startup };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x) => x.toFixed(3);

const dir = project();
try {
  // compiles the app and the tests once (__pycache__), as a CI cache or an earlier step would
  await commands(dir);
  const runs = { command: [], driver: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // alternate which mode goes first, so that a drift of the machine's speed hits both
    const order = r % 2 === 0 ? ['driver', 'command'] : ['command', 'driver'];
    for (const mode of order) runs[mode].push(mode === 'driver' ? await driver(dir) : await commands(dir));
  }
  const totals = (mode) => runs[mode].map((r) => r.total);
  const later = runs.driver.flatMap((r) => r.overheads.slice(1));
  console.log(`${BATCHES} batches of ${FILES_PER_BATCH} files (${TESTS_PER_FILE} tests of 10 ms each), conftest imports a ${APP_MODULES}-module app; ${ROUNDS} round(s), medians`);
  console.log(`total wall            python3 -m pytest per batch ${f(median(totals('command')))} s   resident driver ${f(median(totals('driver')))} s   driver/commands ${f(median(runs.driver.map((d, i) => d.total / runs.command[i].total)))}`);
  console.log(`overhead per batch    python3 -m pytest per batch ${f(median(runs.command.flatMap((r) => r.overheads)))} s   resident driver ${f(median(runs.driver.flatMap((r) => r.overheads)))} s`);
  console.log(`resident driver       start-up (spawn to ready) ${f(median(runs.driver.map((r) => r.startup)))} s   first batch overhead ${f(median(runs.driver.map((r) => r.overheads[0])))} s   later batches ${f(median(later))} s (min ${f(Math.min(...later))}, max ${f(Math.max(...later))})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
