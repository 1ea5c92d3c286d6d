// Planning speed: planShards on 100,000 files x 64 shards (one JSON map of timings as the only run)
// beside a bare in-process LPT on the same estimates (sort + least-loaded shard by linear scan, as
// a minimal script would), best of several rounds each, in one process.
// Usage: npm run build && node bench/plan-speed.mjs [--quick]
import { planShards } from '../dist/plan/index.js';
import { bigTimings } from './lib/generate.mjs';

const quick = process.argv.includes('--quick');
const FILES = 100_000;
const SHARDS = 64;
const ROUNDS = quick ? 2 : 5;

const map = bigTimings(7, FILES);
const files = Object.keys(map);
const runs = [{ source: 'timings.json', seconds: new Map(Object.entries(map)) }];

function bareLpt() {
  const items = files.map((f) => [f, map[f]]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const loads = new Array(SHARDS).fill(0);
  const out = loads.map(() => []);
  for (const [f, v] of items) {
    let k = 0;
    for (let i = 1; i < SHARDS; i++) if (loads[i] < loads[k]) k = i;
    loads[k] += v;
    out[k].push(f);
  }
  return Math.max(...loads);
}

function best(fn) {
  let min = Infinity;
  let result;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    result = fn();
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, result };
}

const lpt = best(bareLpt);
const ours = best(() => planShards({ files, shards: SHARDS, runs }));
const oursMax = Math.max(...ours.result.shards.map((s) => s.estimatedSeconds));
console.log(`plan speed: ${FILES.toLocaleString('en')} files x ${SHARDS} shards, best of ${ROUNDS}`);
console.log(`  bare LPT in-process   ${lpt.ms.toFixed(0).padStart(6)} ms   makespan/lower bound ${(lpt.result / ours.result.lowerBoundSeconds).toFixed(5)}`);
console.log(`  planShards            ${ours.ms.toFixed(0).padStart(6)} ms   makespan/lower bound ${(oursMax / ours.result.lowerBoundSeconds).toFixed(5)}`);
console.log(`  ratio planShards / bare LPT: ${(ours.ms / lpt.ms).toFixed(2)}x (in-process; the 1.5x target is end to end, bench/speed.mjs (a))`);
