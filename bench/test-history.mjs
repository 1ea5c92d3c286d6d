// Per-test history: size on disk, load and plan time of 100,000 testcases x 10 runs (issue 10:
// "a few MB and loads fast"), the old format (history version 2: plain per-test columns) against
// the new one (version 3: the same columns encoded, decoded only when a command reads them) and
// against the same history without per-test data, side by side in one run.
// Tests: 2,000 files x 50, realistic ids and real durations (bench/lib/test-ids.mjs: pytest node
// ids with params, vitest "describe > test" names, rspec descriptions and playwright titles from
// ../shared/data, words renamed per file), +-10% noise per run, 2% failed, 2 of 50 tests renamed
// every 4 runs. Seeded: same numbers every run.
// Usage: npm run build && node bench/test-history.mjs [--quick]  (re-runs itself with --expose-gc:
// a collection before each timed step, so one case's garbage is not billed to the next)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { planShards } from '../dist/plan/plan.js';
import { addRun, readHistory, serialiseHistory, writeHistory } from '../dist/timings/history.js';
import { historyToRuns } from '../dist/timings/history-runs.js';
import { loadTimings } from '../dist/timings/load.js';
import { rng } from './lib/generate.mjs';
import { idCalibration, realisticSuite } from './lib/test-ids.mjs';

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const quick = process.argv.includes('--quick');
const FILES = quick ? 200 : 2000;
const TESTS = 50;
const RUNS = 10;
const SHARDS = 8;
const REPEAT = quick ? 3 : 5;
const CLI = new URL('../dist/cli/index.js', import.meta.url).pathname;

const { suite, meanIdLength } = realisticSuite({ files: FILES, testsPerFile: TESTS });
const random = rng(42);
let history;
// the exact milliseconds, as version 2 stored them (version 3 keeps two significant digits)
const exact = new Map();
const foldStarted = performance.now();
for (let r = 0; r < RUNS; r++) {
  const fileSeconds = new Map();
  const tests = new Map();
  for (const { file, tests: list } of suite) {
    const byTest = new Map();
    let sum = 0;
    list.forEach(({ id, seconds: base }, t) => {
      // 2 of 50 tests renamed every 4 runs: the history keeps what a kept run has, no more
      const name = t % 25 === 0 ? `${id}_v${Math.floor(r / 4)}` : id;
      const seconds = base * (0.9 + 0.2 * random());
      byTest.set(name, { seconds, status: random() < 0.02 ? 'failed' : 'passed' });
      sum += seconds;
      const key = `${file}\u0000${name}`;
      if (!exact.has(key)) exact.set(key, new Array(RUNS).fill(null));
      exact.get(key)[r] = Math.round(seconds * 1000);
    });
    tests.set(file, byTest);
    fileSeconds.set(file, { seconds: sum });
  }
  history = addRun(history, { id: `run-${r}`, time: new Date(Date.UTC(2026, 0, 1, r)).toISOString(), files: fileSeconds, tests }, { runsPerFile: RUNS, runs: 50 });
}
const foldMs = (performance.now() - foldStarted) / RUNS;
const files = suite.map((s) => s.file).sort();

/** The version 2 writer as split-tests 0.1 had it: one line per file of plain per-test columns, exact ms. */
function serialiseV2(h) {
  const block = (record) => `{\n${Object.keys(record).sort().map((k) => `      ${JSON.stringify(k)}: ${JSON.stringify(record[k])}`).join(',\n')}\n    }`;
  // columns of the last RUNS runs: as many as the history keeps (K = RUNS), so they line up with exact
  const offset = RUNS - h.tests.runs.length;
  const exactFiles = Object.fromEntries(
    Object.entries(h.tests.files).map(([file, byTest]) => [file, Object.fromEntries(Object.keys(byTest).map((id) => [id, exact.get(`${file}\u0000${id}`)?.slice(offset) ?? byTest[id]]))]),
  );
  const t = { ...h.tests, files: exactFiles };
  const tests = `{\n    "runs": ${JSON.stringify(t.runs)},\n    "files": ${block(t.files)}${t.results ? `,\n    "results": ${block(t.results)}` : ''}\n  }`;
  const main = serialiseHistory({ ...h, tests: undefined, version: 2 });
  return `${main.replace(/\n}\n$/, ',\n')}  "tests": ${tests}\n}\n`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Runs each case REPEAT times, interleaved (a b c a b c ...), so that load on the machine hits all alike. */
async function sideBySide(cases, repeat = REPEAT) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < repeat; i++) {
    for (const [name, fn] of Object.entries(cases)) {
      globalThis.gc();
      const t0 = performance.now();
      await fn();
      times[name].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
}

const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-'));
try {
  const paths = { old: join(dir, 'v2.json'), now: join(dir, 'v3.json'), none: join(dir, 'without-tests.json') };
  writeFileSync(paths.old, serialiseV2(history));
  const encodeStarted = performance.now();
  writeFileSync(paths.now, serialiseHistory(history));
  const encodeMs = performance.now() - encodeStarted;
  writeFileSync(paths.none, serialiseHistory({ ...history, tests: undefined }));
  writeFileSync(join(dir, 'files.txt'), files.join('\n'));
  const cases = Object.values(history.tests.files).reduce((n, tests) => n + Object.keys(tests).length, 0);
  const mb = (path) => statSync(path).size / 1e6;
  const gz = (path) => gzipSync(readFileSync(path)).length / 1e6;
  const row = (label, t, unit, digits = 0) =>
    `  ${label}: ${t.old.toFixed(digits)} ${unit} v2, ${t.now.toFixed(digits)} ${unit} v3, ${t.none.toFixed(digits)} ${unit} without per-test data` +
    ` (v3/without ${(t.now / t.none).toFixed(2)}x, v2/without ${(t.old / t.none).toFixed(2)}x)`;
  const each = (fn) => Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, () => fn(p)]));

  console.log(`per-test history: ${FILES} files x ${TESTS} tests, ${RUNS} runs (${cases} test ids kept, mean id ${meanIdLength.toFixed(1)} characters, ${history.tests.runs.length} columns)`);
  console.log(row('size on disk', { old: mb(paths.old), now: mb(paths.now), none: mb(paths.none) }, 'MB', 2) + `; v2/v3 ${(mb(paths.old) / mb(paths.now)).toFixed(1)}x`);
  console.log(row('gzipped (as CI caches store it)', { old: gz(paths.old), now: gz(paths.now), none: gz(paths.none) }, 'MB', 2));

  // the fast steps are repeated more: on a shared machine one stall moves a median of 5
  const load = await sideBySide(each(async (p) => historyToRuns(await readHistory(p))), 3 * REPEAT);
  console.log(row(`load (read + validate + to runs, median of ${3 * REPEAT})`, load, 'ms'));

  const plan = await sideBySide(each(async (p) => planShards({ files, shards: SHARDS, runs: (await loadTimings([p], { cwd: dir, files })).runs })), 3 * REPEAT);
  console.log(row(`plan in process (load timings + plan ${SHARDS} shards, no slicing, median of ${3 * REPEAT})`, plan, 'ms'));

  const cli = await sideBySide(each((p) => execFileSync(process.execPath, [CLI, 'plan', '--shards', String(SHARDS), '--timings', p, '--files-from', 'files.txt', '--json'], { cwd: dir, maxBuffer: 1e9 })));
  console.log(row(`split-tests plan --json (built CLI, whole process, median of ${REPEAT})`, cli, 'ms'));

  // what a command that needs the tests gets: the planner's per-test estimates, and a sliced plan
  const perTest = await sideBySide({
    old: async () => (await loadTimings([paths.old], { cwd: dir, files })).runs.at(-1).tests.size,
    now: async () => (await loadTimings([paths.now], { cwd: dir, files })).runs.at(-1).tests.size,
    none: async () => (await loadTimings([paths.none], { cwd: dir, files })).runs.length,
  });
  console.log(`  load + per-test estimates (what slicing reads): ${perTest.old.toFixed(0)} ms v2, ${perTest.now.toFixed(0)} ms v3 (v3/v2 ${(perTest.now / perTest.old).toFixed(2)}x)`);
  const oldTests = (await loadTimings([paths.old], { cwd: dir, files })).runs.at(-1).tests;
  const newTests = (await loadTimings([paths.now], { cwd: dir, files })).runs.at(-1).tests;
  let ids = 0;
  let same = 0;
  let worst = 0;
  let sumOld = 0;
  let sumNew = 0;
  for (const [file, byTest] of oldTests) {
    for (const [id, seconds] of byTest) {
      ids++;
      const other = newTests.get(file)?.get(id);
      if (other === undefined) continue;
      same++;
      sumOld += seconds;
      sumNew += other;
      if (seconds > 0) worst = Math.max(worst, Math.abs(other - seconds) / seconds);
    }
  }
  console.log(`  per-test estimates v3 vs v2: ${same} of ${ids} test ids found, largest difference ${(worst * 100).toFixed(1)}% of a test (durations kept to 2 significant digits), total ${(sumNew / sumOld).toFixed(4)}x`);
  // enough shards that the largest files exceed a shard's fair share: those are the ones sliced
  const estimates = [...oldTests.values()].map((byTest) => [...byTest.values()].reduce((a, b) => a + b, 0));
  const slicedShards = Math.min(1000, Math.ceil((2 * estimates.reduce((a, b) => a + b, 0)) / Math.max(...estimates)));
  const slicedPlan = async (p) => planShards({ files, shards: slicedShards, runs: (await loadTimings([p], { cwd: dir, files })).runs, slicing: { selectTests: true } });
  const [slicedOld, slicedNew] = [await slicedPlan(paths.old), await slicedPlan(paths.now)];
  const makespan = (pl) => Math.max(...pl.shards.map((s) => s.estimatedSeconds));
  const sameCuts = JSON.stringify(slicedOld.slicing?.files.map((f) => [f.file, f.slices])) === JSON.stringify(slicedNew.slicing?.files.map((f) => [f.file, f.slices]));
  console.log(
    `  sliced plan, ${slicedShards} shards: ${slicedOld.slicing?.files.length ?? 0} files cut from v2, ${slicedNew.slicing?.files.length ?? 0} from v3 (${sameCuts ? 'the same files into the same number of slices' : 'different cuts'}); ` +
      `slowest shard ${makespan(slicedOld).toFixed(2)} s v2, ${makespan(slicedNew).toFixed(2)} s v3`,
  );

  // record: read, fold one more run in, write (v2 as the old writer wrote it, v3 encoded)
  const next = { id: `run-${RUNS}`, time: new Date(Date.UTC(2026, 0, 2)).toISOString(), files: new Map([[files[0], { seconds: 1 }]]), tests: new Map([[files[0], new Map([['new test', { seconds: 1, status: 'passed' }]])]]) };
  const limits = { runsPerFile: RUNS, runs: 50 };
  const record = await sideBySide({
    old: async () => writeFileSync(join(dir, 'out-v2.json'), serialiseV2(addRun(await readHistory(paths.old), next, limits))),
    now: async () => writeHistory(join(dir, 'out-v3.json'), addRun(await readHistory(paths.now), next, limits)),
    none: async () => writeHistory(join(dir, 'out-none.json'), addRun(await readHistory(paths.none), { ...next, tests: undefined }, limits)),
  });
  console.log(row('record one more run (read + fold + write)', record, 'ms'));
  console.log(`  folding a run into the in-memory history: ${foldMs.toFixed(0)} ms; encoding the per-test part once: ${encodeMs.toFixed(0)} ms`);
  const calibration = idCalibration().map((c) => `${c.name}: ${c.generated.toFixed(1)} generated, ${c.real.toFixed(1)} real (${c.count} ids)`);
  console.log(`  ids after gzip, bytes per id: ${calibration.join('; ')}`);
} finally {
  if (process.env.KEEP) console.log(dir);
  else rmSync(dir, { recursive: true, force: true });
}
