// The resident vitest driver (runners/vitest/split-tests-feed.mjs) against one `npx vitest run`
// per batch, side by side in one run on a generated project of the real vitest: the same 12 batches
// each way, of 1, 2 and 4 files in turn (so that each size sees the same machine load). Per batch: wall (batch sent → done, or the command's start → exit)
// and overhead = wall − the test time its JUnit report holds (what the runner costs around the
// tests). A line through the overheads at 1 and 4 files splits them into a cost per batch and a
// cost per file (vitest starts a worker per test file, with or without the driver). The driver's
// start-up (spawn → ready) is paid once per worker and shown apart.
// Usage: node bench/resident-vitest.mjs [--rounds R] [--files 1,2,4]
//   (each round runs the driver and the commands, in alternating order)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DRIVER = join(repo, 'runners', 'vitest', 'split-tests-feed.mjs');
const args = process.argv.slice(2);
const ROUNDS = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 2;
const SIZES = (args.includes('--files') ? args[args.indexOf('--files') + 1] : '1,2,4').split(',').map(Number);
/** Batch b runs SIZE_OF(b) files, the sizes in turn, 4 batches of each. */
const BATCHES = 4 * SIZES.length;
const sizeOf = (b) => SIZES[b % SIZES.length];
const firstFile = (b) => Array.from({ length: b }, (_, i) => sizeOf(i)).reduce((x, y) => x + y, 0);
const MAX_FILES = firstFile(BATCHES);

/** MAX_FILES test files that import a small app module and run 6 tests each (~0.1 s of awaited work). */
function makeProject() {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-vitest-'));
  const files = {
    'package.json': '{ "private": true, "type": "module" }\n',
    'vitest.config.js': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: {} });\n",
    'src/cart.js': 'export const total = (items) => items.reduce((sum, item) => sum + item.price * item.qty, 0);\n',
  };
  for (let i = 0; i < MAX_FILES; i += 1) {
    files[`tests/t${String(i).padStart(2, '0')}.test.js`] = [
      "import { describe, expect, it } from 'vitest';",
      "import { total } from '../src/cart.js';",
      `describe('file ${i}', () => {`,
      ...Array.from({ length: 6 }, (_, t) => `  it('case ${t}', async () => { await new Promise((r) => setTimeout(r, 15)); expect(total([{ price: ${t}, qty: 2 }])).toBe(${2 * t}); });`),
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
const batchFiles = (b) => Array.from({ length: sizeOf(b) }, (_, i) => `tests/t${String(firstFile(b) + i).padStart(2, '0')}.test.js`);
const batchArgs = (dir, tag, b) => ['run', '--reporter=default', '--reporter=junit', `--outputFile.junit=${join(dir, 'reports', `${tag}-${b}.xml`)}`, ...batchFiles(b)];
const now = () => performance.now() / 1000;

/** The test seconds a vitest JUnit report holds (its testsuites' time). */
function reportSeconds(path) {
  const xml = readFileSync(path, 'utf8');
  return [...xml.matchAll(/<testsuite [^>]*?time="([\d.]+)"/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function drain(stream) {
  stream.on('data', () => {});
}

async function viaDriver(dir, tag) {
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
    feed.write(`${JSON.stringify({ type: 'batch', batch: b + 1, args: batchArgs(dir, tag, b), env: {} })}\n`);
    const done = await next();
    if (done.exitCode !== 0) throw new Error(`driver: batch ${b + 1} exited ${done.exitCode}`);
    walls.push(now() - t);
  }
  feed.end();
  if ((await exited) !== 0) throw new Error('driver: exit code not 0');
  return { total: now() - t0, startup, walls };
}

async function viaCommands(dir, tag) {
  const t0 = now();
  const walls = [];
  for (let b = 0; b < BATCHES; b += 1) {
    const t = now();
    const child = spawn('npx', ['--no', '--', 'vitest', ...batchArgs(dir, tag, b)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    drain(child.stdout);
    drain(child.stderr);
    const code = await new Promise((r) => child.on('close', r));
    if (code !== 0) throw new Error(`npx vitest run: batch ${b + 1} exited ${code}`);
    walls.push(now() - t);
  }
  return { total: now() - t0, startup: 0, walls };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f2 = (x) => x.toFixed(2);

const dir = makeProject();
try {
  const results = { driver: [], commands: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const ways = [['driver', viaDriver], ['commands', viaCommands]];
    for (const [name, run] of round % 2 === 0 ? ways : ways.reverse()) {
      const tag = `${name}-${round}`;
      const r = await run(dir, tag);
      r.overheads = r.walls.map((w, b) => w - reportSeconds(join(dir, 'reports', `${tag}-${b}.xml`)));
      results[name].push(r);
    }
  }
  const ofSize = (xs, size) => xs.filter((_, b) => sizeOf(b) === size);
  const row = (name, size) => {
    const rs = results[name];
    return {
      total: median(rs.map((r) => r.total)),
      startup: median(rs.map((r) => r.startup)),
      wall: median(rs.flatMap((r) => ofSize(r.walls, size))),
      overhead: median(rs.flatMap((r) => ofSize(r.overheads, size))),
    };
  };
  console.log(`vitest resident driver vs one \`npx vitest run\` per batch: ${BATCHES} batches of ${SIZES.join(' / ')} files, ${ROUNDS} round(s), medians over rounds and batches`);
  const d = row('driver', SIZES[0]);
  const c = row('commands', SIZES[0]);
  console.log(`all ${BATCHES} batches: total ${f2(d.total)} s with the driver (start-up ${f2(d.startup)} s once), ${f2(c.total)} s as commands: ${f2(d.total / c.total)}x`);
  console.log('files/batch   batch wall s: driver  commands   overhead/batch s: driver  commands  ratio');
  for (const size of SIZES) {
    const [dw, cw] = [row('driver', size), row('commands', size)];
    console.log(`${String(size).padStart(11)}   ${f2(dw.wall).padStart(20)}  ${f2(cw.wall).padStart(8)}   ${f2(dw.overhead).padStart(24)}  ${f2(cw.overhead).padStart(8)}  ${f2(dw.overhead / cw.overhead).padStart(5)}`);
  }
  if (SIZES.includes(1) && SIZES.includes(4)) {
    for (const name of ['driver', 'commands']) {
      const perFile = (row(name, 4).overhead - row(name, 1).overhead) / 3;
      console.log(`${name}: overhead = ${f2(row(name, 1).overhead - perFile)} s per batch + ${f2(perFile)} s per file`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
