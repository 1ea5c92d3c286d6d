// The resident vitest driver (runners/vitest/split-tests-feed.mjs) against one `npx vitest run`
// per batch, side by side in one run on a generated project of the real vitest: the same 10 batches
// of 2 files each way. Per batch: wall (batch sent → done, or the command's start → exit) and
// overhead = wall − the test time its JUnit report holds (what the runner costs around the tests).
// The driver's start-up (spawn → ready) is paid once per worker and shown apart.
// Usage: node bench/resident-vitest.mjs [--rounds R] [--files F]   (rounds alternate driver and
// commands; F files per batch, default 2: run with 1 and 4 to split the overhead per batch and per file)
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
const BATCHES = 10;
const PER_BATCH = args.includes('--files') ? Number(args[args.indexOf('--files') + 1]) : 2;

/** BATCHES x PER_BATCH test files that import a small app module and run 6 tests each (~0.1 s of awaited work). */
function makeProject() {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-vitest-'));
  const files = {
    'package.json': '{ "private": true, "type": "module" }\n',
    'vitest.config.js': "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: {} });\n",
    'src/cart.js': 'export const total = (items) => items.reduce((sum, item) => sum + item.price * item.qty, 0);\n',
  };
  for (let i = 0; i < BATCHES * PER_BATCH; i += 1) {
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
const batchFiles = (b) => Array.from({ length: PER_BATCH }, (_, i) => `tests/t${String(b * PER_BATCH + i).padStart(2, '0')}.test.js`);
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
    for (const [name, run] of round % 2 === 0 ? [['driver', viaDriver], ['commands', viaCommands]] : [['commands', viaCommands], ['driver', viaDriver]]) {
      const tag = `${name}-${round}`;
      const r = await run(dir, tag);
      r.overheads = r.walls.map((w, b) => w - reportSeconds(join(dir, 'reports', `${tag}-${b}.xml`)));
      results[name].push(r);
    }
  }
  console.log(`vitest resident driver vs one \`npx vitest run\` per batch: ${BATCHES} batches of ${PER_BATCH} files, ${ROUNDS} round(s), medians over rounds and batches`);
  const row = (name) => {
    const rs = results[name];
    const overheads = rs.flatMap((r) => r.overheads);
    const walls = rs.flatMap((r) => r.walls);
    return {
      total: median(rs.map((r) => r.total)),
      startup: median(rs.map((r) => r.startup)),
      wall: median(walls),
      overhead: median(overheads),
      first: median(rs.map((r) => r.overheads[0])),
      rest: median(rs.flatMap((r) => r.overheads.slice(1))),
    };
  };
  const d = row('driver');
  const c = row('commands');
  console.log('                 total s  start-up s  batch wall s  overhead/batch s (1st, rest)');
  console.log(`driver          ${f2(d.total).padStart(8)}  ${f2(d.startup).padStart(10)}  ${f2(d.wall).padStart(12)}  ${f2(d.overhead).padStart(8)} (${f2(d.first)}, ${f2(d.rest)})`);
  console.log(`npx vitest run  ${f2(c.total).padStart(8)}  ${'-'.padStart(10)}  ${f2(c.wall).padStart(12)}  ${f2(c.overhead).padStart(8)} (${f2(c.first)}, ${f2(c.rest)})`);
  console.log(`ratios driver/commands: total ${f2(d.total / c.total)}, overhead per batch ${f2(d.overhead / c.overhead)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
