// Estimator benchmark: each fixed rule against the adaptive choice, on two kinds of history.
// - real: ../shared/data/timings (Knapsack reports months apart; drift, so "last" should win);
// - noisy: generated, stable true times, runs close together, files now and then 3-10x slower
//   (so a median should win).
// Each replay plans version t+1 with versions t-4..t and scores with t+1's real times:
// makespan / max(total/N, largest file), split by LPT on the estimates, for N = 4, 8, 16, 32.
// Usage: npm run build && node bench/estimator.mjs
import { CANDIDATE_RULES, estimateFiles, lptPartitioner, orderRuns } from '../dist/plan/index.js';
import { filePaths, heavyTailedTimes, noisyHistory, rng } from './lib/generate.mjs';

/** Drift: every file's true time wanders (x0.8-1.25 a run, runs far apart), 3% noise, no spikes: "last" should win. */
function driftHistory(seed, { files = 300, runs = 12 } = {}) {
  const random = rng(seed);
  const paths = filePaths(files);
  const truth = heavyTailedTimes(random, files);
  const out = [];
  for (let r = 0; r < runs; r++) {
    const map = {};
    paths.forEach((p, i) => {
      truth[i] *= Math.exp(0.25 * (random() - 0.5) * 2 * 0.9);
      map[p] = Math.max(0.001, truth[i] * (1 + 0.03 * (random() - 0.5) * 2));
    });
    out.push(map);
  }
  return out;
}

/** The noisy history where, half way, 10% of the files are renamed (new paths, same times). */
function renamedHistory(seed) {
  const maps = noisyHistory(seed, { spike: 0.05 });
  const half = maps.length >> 1;
  return maps.map((map, r) => {
    if (r < half) return map;
    const out = {};
    Object.entries(map).forEach(([p, t], i) => (out[i % 10 === 0 ? p.replace('_spec.rb', '_renamed_spec.rb') : p] = t));
    return out;
  });
}

/** A suite that grows: each run adds 5% new files (heavy-tailed times), with light noise and spikes. */
function addedHistory(seed, { files = 200, runs = 12 } = {}) {
  const random = rng(seed);
  const paths = filePaths(files + runs * 10);
  const truth = heavyTailedTimes(random, paths.length);
  const out = [];
  for (let r = 0; r < runs; r++) {
    const map = {};
    const count = files + r * 10;
    for (let i = 0; i < count; i++) {
      let t = truth[i] * (1 + 0.05 * (random() - 0.5) * 2);
      if (random() < 0.04) t *= 3 + 7 * random();
      map[paths[i]] = Math.max(0.001, t);
    }
    out.push(map);
  }
  return out;
}
import { fmt, loadRealHistories, lowerBound, makespan, mean, replays, splitBy } from './lib/replay.mjs';

const SHARDS = [4, 8, 16, 32];
const rules = [...CANDIDATE_RULES.map((r) => ({ name: r.name, rules: [r] })), { name: 'adaptive', rules: CANDIDATE_RULES }];

function score(histories) {
  // ratios[rule][N] = list of ratios; picks counts which rule "adaptive" chose
  const ratios = rules.map(() => SHARDS.map(() => []));
  const picks = new Map();
  for (const versions of histories) {
    for (const { runs, truth, files } of replays(versions)) {
      const ordered = orderRuns(runs);
      rules.forEach((rule, r) => {
        const { estimates, estimator } = estimateFiles(files, ordered, () => undefined, rule.rules);
        if (rule.name === 'adaptive') picks.set(estimator, (picks.get(estimator) ?? 0) + 1);
        SHARDS.forEach((n, k) => ratios[r][k].push(makespan(splitBy(lptPartitioner, files, estimates, n), truth) / lowerBound(truth, n)));
      });
    }
  }
  return { ratios, picks };
}

const asVersions = (kind, seed, maps) => maps.map((map, r) => ({ name: `${kind}-${seed}/run-${String(r).padStart(2, '0')}`, seconds: new Map(Object.entries(map)) }));
const generated = (kind, make) => score(Array.from({ length: 10 }, (_, seed) => asVersions(kind, seed + 1, make(seed + 1))));
const real = score(loadRealHistories().map((p) => p.versions));
const noisy = generated('noisy', (seed) => noisyHistory(seed));
const kinds = [
  ['real', real],
  ['noisy', noisy],
  ['drift', generated('drift', (seed) => driftHistory(seed))],
  ['renamed', generated('renamed', (seed) => renamedHistory(seed))],
  ['added', generated('added', (seed) => addedHistory(seed))],
];

const head = (label) => `${label.padEnd(8)}` + SHARDS.map((n) => `N=${n}`.padStart(7)).join('') + '    all';
console.log(`makespan / lower bound of the real next run, LPT on each rule's estimates (lower is better)`);
console.log(`${''.padEnd(16)}| ${head('real')} | ${head('noisy')}`);
const best = (res) => Math.min(...rules.slice(0, -1).map((_, r) => mean(res.ratios[r].flat())));
rules.forEach((rule, r) => {
  const cells = (res) => `${''.padEnd(8)}` + res.ratios[r].map((xs) => fmt(mean(xs)).padStart(7)).join('') + fmt(mean(res.ratios[r].flat())).padStart(7);
  console.log(`${rule.name.padEnd(16)}| ${cells(real)} | ${cells(noisy)}`);
});
const adaptive = (res) => mean(res.ratios[rules.length - 1].flat());
console.log(`adaptive picked: real ${JSON.stringify(Object.fromEntries(real.picks))}, noisy ${JSON.stringify(Object.fromEntries(noisy.picks))}`);
console.log('');
console.log('every kind of history, all N: each fixed rule, adaptive, and adaptive - best fixed rule (target <= 0.005)');
console.log(`${'kind'.padEnd(10)}` + rules.map((r) => r.name.padStart(15)).join('') + '   gap');
for (const [kind, res] of kinds) {
  console.log(`${kind.padEnd(10)}` + rules.map((_, r) => fmt(mean(res.ratios[r].flat())).padStart(15)).join('') + `   ${(adaptive(res) - best(res)).toFixed(4)}`);
}
