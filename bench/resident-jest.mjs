// The resident jest driver (runners/jest/split-tests-feed.mjs) against one `npx jest` per batch,
// side by side in one run on a generated project of the real jest (jest-junit as the preset sets
// it): the same 10 batches of 2 files each way, in alternating order each round. Per batch: wall
// (batch sent → done, or the command's start → exit) and overhead = wall − the test time its JUnit
// report holds. Each way twice: as jest chooses (fast files, few per batch: in band, in one
// process) and in jest's worker processes (forced with --workerIdleMemoryLimit, which makes jest
// start its workers whatever the batch: what a suite with slow files gets). The driver's start-up
// (spawn → ready) is paid once per worker and shown apart.
// Usage: node bench/resident-jest.mjs [--rounds R] [--files F]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DRIVER = join(repo, 'runners', 'jest', 'split-tests-feed.mjs');
const args = process.argv.slice(2);
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 2;
const FILES = args.includes('--files') ? Number(args[args.indexOf('--files') + 1]) : 2;
const BATCHES = 10;
const APP_MODULES = 30;

/** BATCHES × FILES test files of 5 tests (10 ms each), each importing a 30-module app. */
function makeProject() {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-jest-'));
  const files = { 'package.json': '{ "private": true, "jest": { "testEnvironment": "node" } }\n', 'src/index.js': '' };
  for (let m = 0; m < APP_MODULES; m += 1) {
    files['src/index.js'] += `exports.m${m} = require('./m${m}.js');\n`;
    files[`src/m${m}.js`] = Array.from({ length: 30 }, (_, i) => `exports.f${i} = (x) => ({ k: x + ${i}, list: [${i}, ${i * 2}].map((y) => y * x) });\n`).join('');
  }
  for (let i = 0; i < BATCHES * FILES; i += 1) {
    files[`tests/t${String(i).padStart(2, '0')}.test.js`] = [
      "const app = require('../src/index.js');",
      `describe('file ${i}', () => {`,
      ...Array.from({ length: 5 }, (_, t) => `  it('case ${t}', async () => { await new Promise((r) => setTimeout(r, 10)); expect(app.m${t}.f${t}(1).k).toBe(${t + 1}); });`),
      '});',
      '',
    ].join('\n');
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'junction');
  return dir;
}

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NO_COLOR: '1', CI: '1' };
const batchFiles = (b) => Array.from({ length: FILES }, (_, i) => `tests/t${String(b * FILES + i).padStart(2, '0')}.test.js`);
const WORKERS = ['--workerIdleMemoryLimit=1GB'];
const batchArgs = (extra, b) => ['--ci', ...extra, '--reporters=default', '--reporters=jest-junit', '--runTestsByPath', ...batchFiles(b)];
// the jest preset's variables (src/runners/jest.ts), with this batch's report
const batchEnv = (dir, tag, b) => ({
  JEST_JUNIT_OUTPUT_FILE: join(dir, 'reports', `${tag}-${b}.xml`),
  JEST_JUNIT_ADD_FILE_ATTRIBUTE: 'true',
  JEST_JUNIT_CLASSNAME: '{filepath}',
  JEST_JUNIT_TITLE: '{classname} {title}',
  JEST_JUNIT_ANCESTOR_SEPARATOR: ' ',
  JEST_JUNIT_REPORT_TEST_SUITE_ERRORS: 'true',
});
const now = () => performance.now() / 1000;

/** The test seconds a jest-junit report holds (its testsuites' time). */
function reportSeconds(path) {
  const xml = readFileSync(path, 'utf8');
  return [...xml.matchAll(/<testsuite [^>]*?time="([\d.]+)"/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function drain(stream) {
  stream.on('data', () => {});
}

async function viaDriver(dir, tag, extra) {
  const t0 = now();
  const child = spawn('node', [DRIVER], { cwd: dir, env: { ...env, SPLIT_TESTS_FEED_FD: '3' }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  drain(child.stdout);
  drain(child.stderr);
  const exited = new Promise((r) => child.on('close', r));
  const feed = child.stdio[3];
  const lines = createInterface({ input: feed })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  if ((await next()).type !== 'ready') throw new Error('driver: no ready');
  const startup = now() - t0;
  const walls = [];
  for (let b = 0; b < BATCHES; b += 1) {
    const t = now();
    feed.write(`${JSON.stringify({ type: 'batch', batch: b + 1, args: batchArgs(extra, b), env: batchEnv(dir, tag, b) })}\n`);
    const done = await next();
    if (done.exitCode !== 0) throw new Error(`driver: batch ${b + 1} exited ${done.exitCode}`);
    walls.push(now() - t);
  }
  feed.end();
  if ((await exited) !== 0) throw new Error('driver: exit code not 0');
  return { total: now() - t0, startup, walls };
}

async function viaCommands(dir, tag, extra) {
  const t0 = now();
  const walls = [];
  for (let b = 0; b < BATCHES; b += 1) {
    const t = now();
    const child = spawn('npx', ['--no', '--', 'jest', ...batchArgs(extra, b)], { cwd: dir, env: { ...env, ...batchEnv(dir, tag, b) }, stdio: ['ignore', 'pipe', 'pipe'] });
    drain(child.stdout);
    drain(child.stderr);
    const code = await new Promise((r) => child.on('close', r));
    if (code !== 0) throw new Error(`npx jest: batch ${b + 1} exited ${code}`);
    walls.push(now() - t);
  }
  return { total: now() - t0, startup: 0, walls };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);

const WAYS = [
  ['driver', viaDriver, []],
  ['commands', viaCommands, []],
  ['driver, workers', viaDriver, WORKERS],
  ['commands, workers', viaCommands, WORKERS],
];

const dir = makeProject();
try {
  // jest's transform cache and test timings, once, as an earlier CI run would leave them
  await viaCommands(dir, 'warm', []);
  const results = Object.fromEntries(WAYS.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    const ways = round % 2 === 0 ? WAYS : [...WAYS].reverse();
    for (const [name, run, extra] of ways) {
      const tag = `${name.replace(/\W+/g, '-')}-${round}`;
      const r = await run(dir, tag, extra);
      r.overheads = r.walls.map((w, b) => w - reportSeconds(join(dir, 'reports', `${tag}-${b}.xml`)));
      results[name].push(r);
    }
  }
  console.log(`jest resident driver vs one \`npx jest\` per batch: ${BATCHES} batches of ${FILES} files (5 tests of 10 ms, a ${APP_MODULES}-module app), ${ROUNDS} round(s), medians`);
  console.log('way                  total s   start-up s   batch wall s   overhead/batch s   later batches (2nd on)');
  for (const [name] of WAYS) {
    const rs = results[name];
    const later = rs.flatMap((r) => r.overheads.slice(1));
    console.log(
      `${name.padEnd(20)} ${f2(median(rs.map((r) => r.total))).padStart(7)}   ${f2(median(rs.map((r) => r.startup))).padStart(10)}   ${f3(median(rs.flatMap((r) => r.walls))).padStart(12)}   ${f3(median(rs.flatMap((r) => r.overheads))).padStart(16)}   ${f3(median(later))} (min ${f3(Math.min(...later))}, max ${f3(Math.max(...later))})`,
    );
  }
  // the batch walls side by side (the same files, so the same tests): what a batch costs less
  const saved = (d, c) => median(results[c].flatMap((r) => r.walls)) - median(results[d].flatMap((r) => r.walls));
  console.log(`saved per batch: ${f3(saved('driver', 'commands'))} s as jest chooses, ${f3(saved('driver, workers', 'commands, workers'))} s in workers; total driver/commands ${f2(median(results.driver.map((d, i) => d.total / results.commands[i].total)))}x, in workers ${f2(median(results['driver, workers'].map((d, i) => d.total / results['commands, workers'][i].total)))}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
