// Per-test estimates for slices, back-tested on real per-test histories (issue 11): the planner
// estimates each test by the median of its last five recorded runs; would the last run alone
// divide a split file better? Replay: plan version t+1 from versions up to t (at most 10), score
// the plan with version t+1's real per-test times (a slice runs its listed tests that still exist;
// slice 1 also every test no slice lists), makespan / max(total / N, largest test); mean over t
// and N. Both rules get the same runs for the file-level estimate (the adaptive estimator); only
// the per-test part differs ("last": the older runs carry no per-test times).
// Usage: npm run build && node bench/slices-backtest.mjs DIR...   (DIR: versions of a pytest-split
// .test_durations map, oldest first by name, e.g. extracted with
//   git log --reverse --format=%H -- .test_durations | while read c; do git show $c:.test_durations > DIR/$((++i)).json; done)
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { planShards } from '../dist/plan/index.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0 || dirs[0].startsWith('--')) {
  // npm run bench runs every script: the histories are not in the repository, so nothing to do
  console.log('slices-backtest: skipped (give it folders of .test_durations versions: node bench/slices-backtest.mjs DIR...)');
  process.exit(0);
}
const SHARDS = [4, 8, 16];
const WINDOW = 10;

/** file -> Map(test id -> seconds). */
function load(path) {
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  const files = new Map();
  for (const [key, seconds] of Array.isArray(raw) ? raw : Object.entries(raw)) {
    const cut = key.indexOf('::');
    if (cut < 0 || !(seconds >= 0)) continue;
    const file = key.slice(0, cut);
    if (!files.has(file)) files.set(file, new Map());
    files.get(file).set(key.slice(cut + 2), seconds);
  }
  return files;
}

const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);

function run(source, files, withTests) {
  return { source, seconds: new Map([...files].map(([f, t]) => [f, sum(t)])), ...(withTests ? { tests: files } : {}) };
}

/** The plan's slowest shard on the real times of `actual`. */
function score(plan, actual) {
  const listed = new Map();
  for (const shard of plan.shards) for (const slice of shard.slices ?? []) for (const test of slice.tests) listed.set(`${slice.file}::${test}`, true);
  let worst = 0;
  for (const shard of plan.shards) {
    let load = 0;
    for (const file of shard.files) load += sum(actual.get(file) ?? new Map());
    for (const slice of shard.slices ?? []) {
      const real = actual.get(slice.file) ?? new Map();
      for (const test of slice.tests) load += real.get(test) ?? 0;
      if (slice.slice === 1) for (const [test, s] of real) if (!listed.has(`${slice.file}::${test}`)) load += s;
    }
    worst = Math.max(worst, load);
  }
  return worst;
}

for (const dir of dirs) {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const versions = names.map((n) => load(join(dir, n)));
  const totals = { median: [], last: [], split: 0, plans: 0 };
  for (let t = 1; t < versions.length; t++) {
    const actual = versions[t];
    const from = Math.max(0, t - WINDOW);
    let total = 0;
    let largest = 0;
    for (const tests of actual.values()) for (const s of tests.values()) {
      total += s;
      largest = Math.max(largest, s);
    }
    for (const n of SHARDS) {
      const bound = Math.max(total / n, largest);
      const history = versions.slice(from, t);
      const request = (lastOnly) => ({
        files: [...actual.keys()],
        shards: n,
        runs: history.map((files, i) => run(names[from + i], files, !lastOnly || i === history.length - 1)),
        slicing: { selectTests: true },
      });
      const median = planShards(request(false));
      const last = planShards(request(true));
      totals.median.push(score(median, actual) / bound);
      totals.last.push(score(last, actual) / bound);
      totals.plans++;
      if (median.slicing !== undefined) totals.split++;
    }
  }
  const mean = (list) => (list.reduce((a, b) => a + b, 0) / list.length).toFixed(4);
  console.log(
    `${basename(dir)}: ${versions.length} versions, ${totals.plans} plans (N = ${SHARDS.join(', ')}), ${totals.split} with a split file; ` +
      `makespan / max(total / N, largest test) on the next version's real times: median-of-5 per test ${mean(totals.median)}, last run per test ${mean(totals.last)}`,
  );
}
