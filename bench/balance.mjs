// Balance benchmark, side by side in one run:
// 1. generated instances with a known perfect split (8 shards x 3-5 pieces, seeded): makespan /
//    optimum, worst and mean, for our partitioner and for plain LPT on the same sizes;
// 2. the real histories in ../shared/data/timings: plan version t+1 with versions t-4..t
//    (planShards, as `split-tests plan` does) and score with t+1's real times against
//    max(total/N, largest file), for N = 4, 8, 16, 32, beside LPT on the last report (unknown files
//    at its median), a hash split and a contiguous split (count-based, like Vitest and Playwright
//    --shard) and LPT with perfect knowledge of t+1.
// Usage: npm run build && node bench/balance.mjs [--quick]
import { createHash } from 'node:crypto';
import { improvingPartitioner, lptPartitioner, makespanOf, median, planShards } from '../dist/plan/index.js';
import { perfectInstance } from './lib/generate.mjs';
import { fmt, loadRealHistories, lowerBound, makespan, mean, replays, splitBy } from './lib/replay.mjs';

const quick = process.argv.includes('--quick');
const INSTANCES = quick ? 300 : 2000;

// 1. generated instances
const gen = { ours: [], lpt: [] };
for (let seed = 1; seed <= INSTANCES; seed++) {
  const { sizes: raw, shards, optimum } = perfectInstance(seed);
  const sizes = [...raw].sort((a, b) => b - a);
  gen.ours.push(makespanOf(sizes, improvingPartitioner.partition(sizes, shards), shards) / optimum);
  gen.lpt.push(makespanOf(sizes, lptPartitioner.partition(sizes, shards), shards) / optimum);
}
const worst = (xs) => Math.max(...xs);
console.log(`generated: ${INSTANCES} instances, 8 shards x 3-5 pieces with a perfect split; makespan / optimum`);
console.log(`  ${'ours'.padEnd(6)} worst ${fmt(worst(gen.ours))} mean ${(mean(gen.ours)).toFixed(4)}   (target worst <= 1.020, mean <= 1.005)`);
console.log(`  ${'lpt'.padEnd(6)} worst ${fmt(worst(gen.lpt))} mean ${(mean(gen.lpt)).toFixed(4)}`);

// 2. real histories
const SHARDS = [4, 8, 16, 32];
const hashOrder = (files) =>
  files.map((f) => [createHash('sha1').update(`/${f}`).digest('hex'), f]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((x) => x[1]);
const contiguous = (files, n) => {
  const per = Math.ceil(files.length / n);
  return Array.from({ length: n }, (_, s) => files.slice(s * per, (s + 1) * per));
};
const methods = ['ours', 'lpt-last', 'hash', 'contiguous', 'perfect'];
const rows = SHARDS.map(() => Object.fromEntries(methods.map((m) => [m, []])));
for (const { versions } of loadRealHistories()) {
  for (const { runs, truth, files } of replays(versions)) {
    const last = runs[runs.length - 1].seconds;
    const med = median([...last.values()]);
    const lastEst = new Map(files.map((f) => [f, last.get(f) ?? med]));
    SHARDS.forEach((n, k) => {
      const lb = lowerBound(truth, n);
      const plan = planShards({ files, shards: n, runs });
      rows[k].ours.push(makespan(plan.shards.map((s) => s.files), truth) / lb);
      rows[k]['lpt-last'].push(makespan(splitBy(lptPartitioner, files, lastEst, n), truth) / lb);
      rows[k].hash.push(makespan(contiguous(hashOrder(files), n), truth) / lb);
      rows[k].contiguous.push(makespan(contiguous(files, n), truth) / lb);
      rows[k].perfect.push(makespan(splitBy(lptPartitioner, files, truth, n), truth) / lb);
    });
  }
}
console.log(`real histories (${rows[0].ours.length} replays per N): mean makespan / max(total/N, largest) of the real next run`);
console.log(`  ${'N'.padEnd(5)}` + methods.map((m) => m.padStart(12)).join(''));
SHARDS.forEach((n, k) => console.log(`  ${String(n).padEnd(5)}` + methods.map((m) => fmt(mean(rows[k][m])).padStart(12)).join('')));
console.log(`  ${'all'.padEnd(5)}` + methods.map((m) => fmt(mean(rows.flatMap((r) => r[m]))).padStart(12)).join(''));
