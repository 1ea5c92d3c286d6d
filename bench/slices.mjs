// Test-level slices (issue 11), side by side in one run on the same timings:
//  A. suites where one file holds a large share of the time (real pytest-split .test_durations:
//     conda-linux, pgmpy, loom; and a generated 47-file suite, one file a third, one test 37 s):
//     makespan / (total / N) of our plan, of per-test LPT (what pytest-split's least_duration does)
//     and of our plan by whole files, two ways:
//     - "bare": the test seconds alone, our planner given shard walls that measure no overhead and
//       no start-up (a cut then costs nothing, as per-test LPT assumes): the planner must be <= LPT;
//     - "walls": tests plus the file's overhead once per shard it runs on (max(0.5 s, 2% of the
//       file), the planner's own default when no walls are recorded), our planner planning with
//       that default: cuts pay for themselves, and per-test LPT pays an overhead for every file it
//       scatters. "js" is the same for a runner whose slices each need a command of their own
//       (vitest, jest, playwright, mocha): 1.5 s of start-up more per slice, planned and scored.
//  B. the real rspec histories (files only): per-test splits made up: a file of S seconds holds
//     ceil(S / 2 s) tests (at most 200) whose times split S by seeded lognormal weights (sigma 1).
//     Ratio to max(total / N, largest single test) at N = 16, 32, 64, on walls.
// Usage: npm run build && node bench/slices.mjs [--quick]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planShards } from '../dist/plan/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = resolve(here, '..', '..', 'shared', 'data', 'timings');
const quick = process.argv.includes('--quick');

const overheadOf = (fileSeconds) => Math.max(0.5, 0.02 * fileSeconds);

/** file -> Map(test id -> seconds) from a pytest-split durations map ("path::test": seconds). */
function fromDurations(path) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const entries = Array.isArray(raw) ? raw : Object.entries(raw);
  const files = new Map();
  for (const [key, seconds] of entries) {
    const cut = key.indexOf('::');
    const file = cut < 0 ? key : key.slice(0, cut);
    const id = cut < 0 ? '(file)' : key.slice(cut + 2);
    if (!files.has(file)) files.set(file, new Map());
    files.get(file).set(id, (files.get(file).get(id) ?? 0) + seconds);
  }
  return files;
}

let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

/** 47 files: one holds a third of the time and a 37 s test; the rest are lognormal. */
function generated() {
  seed = 11;
  const files = new Map();
  const heavy = new Map([['test_slow_import', 37]]);
  for (let t = 0; t < 60; t++) heavy.set(`test_case_${t}`, 0);
  for (let f = 0; f < 46; f++) {
    const tests = new Map();
    for (let t = 0; t < 20; t++) tests.set(`test_${t}`, 0.5 * Math.exp(gauss()));
    files.set(`tests/test_module_${String(f).padStart(2, '0')}.py`, tests);
  }
  let rest = 0;
  for (const tests of files.values()) for (const s of tests.values()) rest += s;
  // the heavy file is a third of the total: its 60 other tests share what the 37 s test leaves
  const heavyTotal = rest / 2;
  for (let t = 0; t < 60; t++) heavy.set(`test_case_${t}`, ((heavyTotal - 37) / 60) * Math.exp(0.5 * gauss()) / Math.exp(0.125));
  files.set('tests/test_heavy.py', heavy);
  return files;
}

/** Made-up tests for a file-only history (see the header). */
function madeUp(seconds) {
  seed = 3;
  const files = new Map();
  for (const file of Object.keys(seconds).sort()) {
    const total = seconds[file];
    const count = Math.min(200, Math.max(1, Math.ceil(total / 2)));
    const weights = Array.from({ length: count }, () => Math.exp(gauss()));
    const sum = weights.reduce((a, b) => a + b, 0);
    files.set(file, new Map(weights.map((w, t) => [`example ${t}`, (total * w) / sum])));
  }
  return files;
}

const COMMAND_SECONDS = 1.5;

/** The planner's request; `zeroWalls`: shard walls that equal their tests (overhead measured 0). */
function request(files, shards, slicing, { zeroWalls = false, commandPerSlice = false } = {}) {
  const seconds = new Map([...files].map(([f, tests]) => [f, [...tests.values()].reduce((a, b) => a + b, 0)]));
  const names = [...files.keys()];
  const wall = (list) => list.reduce((sum, f) => sum + seconds.get(f), 0);
  const ran = [names.slice(0, 1), names.slice(0, 4), names];
  const shardsRan = zeroWalls ? ran.map((list, i) => ({ index: i + 1, wallSeconds: wall(list), files: list })) : undefined;
  return {
    files: names,
    shards,
    runs: [{ source: 'bench', seconds, tests: files, ...(shardsRan ? { shards: shardsRan } : {}) }],
    ...(slicing ? { slicing: { selectTests: true, commandPerSlice } } : {}),
  };
}

/** Per shard: [test seconds, wall = tests + overhead per (file or slice) it runs (+ a start-up per slice command)]. */
function ourLoads(plan, files, command = 0) {
  return plan.shards.map((s) => {
    let tests = 0;
    let wall = 0;
    for (const file of s.files) {
      const t = [...files.get(file).values()].reduce((a, b) => a + b, 0);
      tests += t;
      wall += t + overheadOf(t);
    }
    for (const slice of s.slices ?? []) {
      const all = files.get(slice.file);
      const fileSeconds = [...all.values()].reduce((a, b) => a + b, 0);
      const t = slice.tests.reduce((sum, id) => sum + all.get(id), 0);
      tests += t;
      wall += t + overheadOf(fileSeconds) + command;
    }
    return [tests, wall];
  });
}

/** pytest-split's least_duration: tests longest first, each to the least loaded group. */
function perTestLpt(files, shards, command = 0) {
  const tests = [];
  for (const [file, byTest] of files) for (const [id, s] of byTest) tests.push([file, id, s]);
  tests.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const loads = new Float64Array(shards);
  const touched = Array.from({ length: shards }, () => new Set());
  for (const [file, , s] of tests) {
    let k = 0;
    for (let j = 1; j < shards; j++) if (loads[j] < loads[k]) k = j;
    loads[k] += s;
    touched[k].add(file);
  }
  const fileSeconds = new Map([...files].map(([f, t]) => [f, [...t.values()].reduce((a, b) => a + b, 0)]));
  // a JS runner runs each file it touches on a shard as a slice in a command of its own, unless the
  // file is whole there: charged like ours (a file on one shard only is a whole file)
  const shardsOf = new Map();
  for (const set of touched) for (const f of set) shardsOf.set(f, (shardsOf.get(f) ?? 0) + 1);
  return [...loads].map((tests, k) => [tests, tests + [...touched[k]].reduce((sum, f) => sum + overheadOf(fileSeconds.get(f)) + (shardsOf.get(f) > 1 ? command : 0), 0)]);
}

const max = (loads, i) => Math.max(...loads.map((l) => l[i]));

function compare(name, files, shardCounts, bound) {
  let total = 0;
  let largestTest = 0;
  for (const tests of files.values()) for (const s of tests.values()) {
    total += s;
    largestTest = Math.max(largestTest, s);
  }
  const [heavyFile, heavySeconds] = [...files].map(([f, t]) => [f, [...t.values()].reduce((a, b) => a + b, 0)]).sort((a, b) => b[1] - a[1])[0];
  console.log(`${name}: ${files.size} files, ${[...files.values()].reduce((n, t) => n + t.size, 0)} tests, ${total.toFixed(0)} s; largest file ${heavyFile} ${(100 * heavySeconds / total).toFixed(0)}%, largest test ${largestTest.toFixed(1)} s`);
  for (const n of shardCounts) {
    const denominator = bound === 'lower' ? Math.max(total / n, largestTest) : total / n;
    const ratio = (loads, i) => (max(loads, i) / denominator).toFixed(3);
    const byFile = ourLoads(planShards(request(files, n, false)), files);
    const lpt = perTestLpt(files, n);
    if (bound !== 'lower') {
      const bare = ourLoads(planShards(request(files, n, true, { zeroWalls: true })), files);
      console.log(`  N=${String(n).padStart(2)}  bare   slices ${ratio(bare, 0)}  per-test LPT ${ratio(lpt, 0)}  whole files ${ratio(byFile, 0)}`);
    }
    const ours = ourLoads(planShards(request(files, n, true)), files);
    console.log(`  N=${String(n).padStart(2)}  walls  slices ${ratio(ours, 1)}  per-test LPT ${ratio(lpt, 1)}  whole files ${ratio(byFile, 1)}`);
    const js = ourLoads(planShards(request(files, n, true, { commandPerSlice: true })), files, COMMAND_SECONDS);
    console.log(`  N=${String(n).padStart(2)}  js     slices ${ratio(js, 1)}  per-test LPT ${ratio(perTestLpt(files, n, COMMAND_SECONDS), 1)}  whole files ${ratio(byFile, 1)}`);
  }
}

console.log(`A. makespan / (total / N); "bare" = test seconds, overhead measured 0; "walls" = tests + max(0.5 s, 2% of the file) per file or slice on a shard; "js" = walls + ${COMMAND_SECONDS} s per slice command`);
compare('generated (47 files, one a third, one 37 s test)', generated(), [4, 8]);
for (const [dir, file] of [['conda-linux', 'durations-Linux.json'], ['pgmpy', 'test_durations.json'], ['loom', 'test_durations.json']]) {
  compare(dir, fromDurations(join(data, dir, file)), quick ? [4] : [4, 8, 16]);
}

console.log(`\nB. rspec histories (latest version, files only; tests made up: ceil(S / 2 s) per file, at most 200, lognormal split): makespan / max(total / N, largest test), walls`);
for (const dir of ['identity-idp', 'openfoodnetwork', 'dfe-early-careers-framework', 'discourse']) {
  const versions = readdirSync(join(data, dir)).filter((f) => f.endsWith('.json')).sort();
  const seconds = JSON.parse(readFileSync(join(data, dir, versions.at(-1)), 'utf8'));
  compare(dir, madeUp(seconds), quick ? [16] : [16, 32, 64], 'lower');
}
