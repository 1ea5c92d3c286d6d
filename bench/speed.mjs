// Speed benchmark of the CLI, measured side by side in one run (wall time of whole processes,
// node startup included on both sides):
// (a) planning 100,000 files into 64 shards: `split-tests plan --files-from - --timings map.json
//     --json` against a bare Node script that reads the same list and JSON map and runs LPT.
//     Target: ratio <= 1.5.
// (b) `split-tests --shard 1/4 'tests/**/*.test.ts'` on 5,000 real files in a temp dir, without and
//     with a timings map. Target: well under 0.5 s.
// Usage: npm run build && node bench/speed.mjs [--quick]   (CLI='node path/to/cli.js' to override)
// Before/after: COMPARE='before=node /tmp/old/dist/cli/index.js;try=node /tmp/try/dist/cli/index.js'
// adds those CLIs to (a), measured in the same alternating loop, each with its ratio to the bare script.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './lib/generate.mjs';

const quick = process.argv.includes('--quick');
const repeats = quick ? 1 : 5;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.CLI ? process.env.CLI.split(' ') : [process.execPath, join(root, 'dist', 'cli', 'index.js')];
const compare = (process.env.COMPARE ?? '')
  .split(';')
  .filter((entry) => entry.includes('='))
  .map((entry) => ({ name: entry.slice(0, entry.indexOf('=')), command: entry.slice(entry.indexOf('=') + 1).trim().split(' ') }));
const work = mkdtempSync(join(tmpdir(), 'split-tests-speed-'));

// The bare baseline: read the list and the map, estimate unknown files at the median, LPT, print.
const BARE = `
import { readFileSync } from 'node:fs';
const files = readFileSync(0, 'utf8').split('\\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const map = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const shards = Number(process.argv[3]);
const known = files.filter((f) => typeof map[f] === 'number').map((f) => map[f]).sort((a, b) => a - b);
const median = known.length ? known[known.length >> 1] : 1;
const items = files.map((f) => [f, typeof map[f] === 'number' ? map[f] : median]);
items.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const loads = new Float64Array(shards);
const out = Array.from({ length: shards }, () => []);
for (const [f, v] of items) {
  let k = 0;
  for (let i = 1; i < shards; i++) if (loads[i] < loads[k]) k = i;
  loads[k] += v;
  out[k].push(f);
}
process.stdout.write(JSON.stringify({ shards: out.map((files, i) => ({ index: i + 1, files: files.sort(), estimatedSeconds: loads[i] })) }) + '\\n');
`;

function timed(command, args, options) {
  const start = performance.now();
  const result = spawnSync(command, args, { maxBuffer: 1 << 30, encoding: 'utf8', ...options });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

function medianOf(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Alternates the runs so that load from other processes hits both sides alike; medians. */
function measureSideBySide(...runs) {
  for (const run of runs) run(); // warm the file cache once
  const times = runs.map(() => []);
  for (let i = 0; i < repeats; i++) runs.forEach((run, k) => times[k].push(run().ms));
  return times.map((t) => ({ ms: medianOf(t) }));
}


// ---- (a) 100,000 files into 64 shards ----------------------------------------------------------
{
  const random = rng(100_000);
  const files = [];
  const map = {};
  for (let i = 0; i < 100_000; i++) {
    const file = `spec/area_${i % 97}/group_${i % 13}/file_${i.toString(36)}_spec.rb`;
    files.push(file);
    // heavy-tailed seconds; 5% of the files are new (no timing)
    if (random() > 0.05) map[file] = Math.round(Math.exp(random() * 6) * 1000) / 10000;
  }
  const list = files.join('\n') + '\n';
  const mapPath = join(work, 'map.json');
  writeFileSync(mapPath, JSON.stringify(map));
  const barePath = join(work, 'bare-lpt.mjs');
  writeFileSync(barePath, BARE);

  const planWith = (command) => () =>
    timed(command[0], [...command.slice(1), 'plan', '--shards', '64', '--files-from', '-', '--timings', mapPath, '--json'], { input: list, cwd: work });
  const [ours, bare, ...others] = measureSideBySide(
    planWith(cli),
    () => timed(process.execPath, [barePath, mapPath, '64'], { input: list, cwd: work }),
    ...compare.map((c) => planWith(c.command)),
  );
  compare.forEach((c, i) => {
    console.log(`(a) ${c.name}: ${others[i].ms.toFixed(0)} ms, ratio ${(others[i].ms / bare.ms).toFixed(2)}x (same loop as below)`);
  });
  const check = JSON.parse(timed(cli[0], [...cli.slice(1), 'plan', '--shards', '64', '--files-from', '-', '--timings', mapPath, '--json'], { input: list, cwd: work }).stdout);
  const planned = check.shards.reduce((n, s) => n + s.files.length, 0);
  const ratio = ours.ms / bare.ms;
  console.log(
    `(a) plan 100,000 files into 64 shards: split-tests ${ours.ms.toFixed(0)} ms, bare LPT script ${bare.ms.toFixed(0)} ms, ` +
      `ratio ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? 'ok' : 'OVER'}; ${planned} files planned, ` +
      `slowest/lower bound ${(Math.max(...check.shards.map((s) => s.estimatedSeconds)) / check.lowerBoundSeconds).toFixed(4)}`,
  );
}

// ---- (b) --shard 1/4 on 5,000 real files -------------------------------------------------------
{
  const dir = join(work, 'project');
  const map = {};
  const random = rng(5_000);
  for (let i = 0; i < 5_000; i++) {
    const file = `tests/feature_${i % 50}/case_${i}.test.ts`;
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), '');
    map[file] = Math.round(random() * 300) / 10;
  }
  writeFileSync(join(dir, 'timings.json'), JSON.stringify(map));
  const [node, plain, withTimings] = measureSideBySide(
    () => timed(process.execPath, ['-e', ''], { cwd: dir }),
    () => timed(cli[0], [...cli.slice(1), '--shard', '1/4', 'tests/**/*.test.ts'], { cwd: dir }),
    () => timed(cli[0], [...cli.slice(1), '--shard', '1/4', '--timings', 'timings.json', 'tests/**/*.test.ts'], { cwd: dir }),
  );
  const verdict = (ms) => (ms < 500 ? 'ok' : 'OVER');
  console.log(
    `(b) split-tests --shard 1/4 on 5,000 files: ${plain.ms.toFixed(0)} ms by count (${verdict(plain.ms)}), ` +
      `${withTimings.ms.toFixed(0)} ms with a timings map (${verdict(withTimings.ms)}); target < 500 ms; bare node startup ${node.ms.toFixed(0)} ms`,
  );
}

// ---- (c) planning from a history file: 10 runs of 100,000 files --------------------------------
// The history path (several runs: back-test of the estimation rules, samples per file) is slower
// than a single map; measured here with any COMPARE builds in the same loop.
{
  const { addRun } = await import('../dist/timings/history.js');
  const random = rng(10_010);
  const count = quick ? 20_000 : 100_000;
  const files = Array.from({ length: count }, (_, i) => `spec/area_${i % 97}/group_${i % 13}/file_${i.toString(36)}_spec.rb`);
  const base = files.map(() => Math.exp(random() * 6) / 10);
  let history;
  for (let r = 0; r < 10; r++) {
    const seconds = new Map(files.map((f, i) => [f, { seconds: Math.round(base[i] * (random() < 0.05 ? 4 : 0.9 + random() * 0.2) * 1000) / 1000 }]));
    history = addRun(history, { id: `run-${r}`, time: new Date(Date.UTC(2026, 0, 1 + r)).toISOString(), files: seconds });
  }
  const historyPath = join(work, 'history.json');
  writeFileSync(historyPath, JSON.stringify(history));
  const list = files.join('\n') + '\n';
  const planWith = (command) => () =>
    timed(command[0], [...command.slice(1), 'plan', '--shards', '16', '--files-from', '-', '--timings', historyPath, '--json'], { input: list, cwd: work });
  const [ours, ...others] = measureSideBySide(planWith(cli), ...compare.map((c) => planWith(c.command)));
  const vs = compare.map((c, i) => `, ${c.name} ${others[i].ms.toFixed(0)} ms (${(others[i].ms / ours.ms).toFixed(2)}x ours)`).join('');
  console.log(`(c) plan ${count.toLocaleString('en')} files x 16 shards from a 10-run history: split-tests ${ours.ms.toFixed(0)} ms${vs}`);
}

rmSync(work, { recursive: true, force: true });
