// Estimator benchmark: each fixed rule against the adaptive choice, on two kinds of history.
// - real: ../shared/data/timings (Knapsack reports months apart; drift, so "last" should win);
// - noisy: generated, stable true times, runs close together, files now and then 3-10x slower
//   (so a median should win).
// Each replay plans version t+1 with versions t-4..t and scores with t+1's real times:
// makespan / max(total/N, largest file), split by LPT on the estimates, for N = 4, 8, 16, 32.
// Usage: npm run build && node bench/estimator.mjs
import { CANDIDATE_RULES, estimateFiles, lptPartitioner, orderRuns } from '../dist/plan/index.js';
import { noisyHistory } from './lib/generate.mjs';
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

const real = score(loadRealHistories().map((p) => p.versions));
const noisy = score(
  Array.from({ length: 10 }, (_, seed) =>
    noisyHistory(seed + 1).map((map, r) => ({ name: `noisy-${seed + 1}/run-${String(r).padStart(2, '0')}`, seconds: new Map(Object.entries(map)) })),
  ),
);

const head = (label) => `${label.padEnd(8)}` + SHARDS.map((n) => `N=${n}`.padStart(7)).join('') + '    all';
console.log(`makespan / lower bound of the real next run, LPT on each rule's estimates (lower is better)`);
console.log(`${''.padEnd(16)}| ${head('real')} | ${head('noisy')}`);
const best = (res) => Math.min(...rules.slice(0, -1).map((_, r) => mean(res.ratios[r].flat())));
rules.forEach((rule, r) => {
  const cells = (res) => `${''.padEnd(8)}` + res.ratios[r].map((xs) => fmt(mean(xs)).padStart(7)).join('') + fmt(mean(res.ratios[r].flat())).padStart(7);
  console.log(`${rule.name.padEnd(16)}| ${cells(real)} | ${cells(noisy)}`);
});
const adaptive = (res) => mean(res.ratios[rules.length - 1].flat());
console.log(`adaptive - best fixed rule: real ${(adaptive(real) - best(real)).toFixed(4)}, noisy ${(adaptive(noisy) - best(noisy)).toFixed(4)} (target <= 0.01 on both)`);
console.log(`adaptive picked: real ${JSON.stringify(Object.fromEntries(real.picks))}, noisy ${JSON.stringify(Object.fromEntries(noisy.picks))}`);
