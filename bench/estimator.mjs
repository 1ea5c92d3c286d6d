// Estimator benchmark: each fixed rule against the adaptive choice, on every kind of history.
// - real: ../shared/data/timings (Knapsack reports; mostly months apart, so "last" should win);
// - generated (bench/lib/generate.mjs HISTORY_KINDS, SEEDS seeds each): noise with spikes, drift,
//   renames, added files, plain jitter, a mix with machine speed, files that get slower for good.
// Each replay plans version t+1 with versions t-4..t and scores with t+1's real times:
// makespan / max(total/N, largest file), split by LPT on the estimates, for N = 4, 8, 16, 32.
// gap = adaptive - the best fixed rule of that kind (mean over all replays; target <= 0.005);
// worst = the largest gap to that same rule on one seed (one project for real).
// Usage: npm run build && node bench/estimator.mjs [seeds, default 20]
import { CANDIDATE_RULES, estimateFiles, lptPartitioner, orderRuns } from '../dist/plan/index.js';
import { HISTORY_KINDS, timingHistory } from './lib/generate.mjs';
import { loadRealHistories, lowerBound, makespan, mean, replays, splitBy } from './lib/replay.mjs';

const SHARDS = [4, 8, 16, 32];
const SEEDS = Number(process.argv[2] ?? 20);
const contenders = [...CANDIDATE_RULES.map((r) => ({ name: r.name, rules: [r] })), { name: 'adaptive', rules: CANDIDATE_RULES }];
const ADAPTIVE = contenders.length - 1;
const picks = new Map();

/** Per contender, its ratios over every replay and N of one history. */
function score(versions, kind) {
  const ratios = contenders.map(() => []);
  for (const { runs, truth, files } of replays(versions)) {
    const ordered = orderRuns(runs);
    contenders.forEach((c, k) => {
      const { estimates, estimator } = estimateFiles(files, ordered, () => undefined, c.rules);
      if (k === ADAPTIVE) picks.set(`${kind} ${estimator}`, (picks.get(`${kind} ${estimator}`) ?? 0) + 1);
      for (const n of SHARDS) ratios[k].push(makespan(splitBy(lptPartitioner, files, estimates, n), truth) / lowerBound(truth, n));
    });
  }
  return ratios;
}

const asVersions = (kind, seed, maps) => maps.map((map, r) => ({ name: `${kind}-${seed}/run-${String(r).padStart(2, '0')}`, seconds: new Map(Object.entries(map)) }));
const kinds = [['real', loadRealHistories().map((p) => score(p.versions, 'real'))]];
for (const [kind, options] of Object.entries(HISTORY_KINDS)) {
  kinds.push([kind, Array.from({ length: SEEDS }, (_, s) => score(asVersions(kind, s + 1, timingHistory(s + 1, options)), kind))]);
}

console.log(`makespan / lower bound of the real next run, LPT on each rule's estimates, mean over N = ${SHARDS.join(', ')} (lower is better)`);
console.log(`generated kinds: ${SEEDS} seeds each; real: ${kinds[0][1].length} projects`);
console.log(`${'kind'.padEnd(9)}` + contenders.map((c) => c.name.padStart(18)).join('') + '     gap   worst');
const gaps = [];
for (const [kind, histories] of kinds) {
  const pooled = contenders.map((_, k) => mean(histories.flatMap((h) => h[k])));
  let best = 0;
  for (let k = 1; k < ADAPTIVE; k++) if (pooled[k] < pooled[best]) best = k;
  const gap = pooled[ADAPTIVE] - pooled[best];
  const worst = Math.max(...histories.map((h) => mean(h[ADAPTIVE]) - mean(h[best])));
  gaps.push(gap);
  console.log(`${kind.padEnd(9)}` + pooled.map((x) => x.toFixed(4).padStart(18)).join('') + `${gap.toFixed(4).padStart(8)}${worst.toFixed(4).padStart(8)}`);
}
console.log(`largest gap over the kinds: ${Math.max(...gaps).toFixed(4)} (target <= 0.005)`);
const byKind = new Map();
for (const [key, count] of picks) {
  const [kind, rule] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
  byKind.set(kind, [...(byKind.get(kind) ?? []), `${rule} ${count}`]);
}
console.log('adaptive picked: ' + [...byKind].map(([kind, list]) => `${kind}: ${list.join(', ')}`).join('; '));
