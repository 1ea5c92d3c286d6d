// Walls benchmark, side by side in one run: suites whose files differ in overhead beyond their
// testcases (heavy import + light tests, and the reverse) and a runner start-up per shard.
// Run 1 is split by count (no timings yet) and recorded with its shard walls; run 2 is planned
// from it twice: on test times only (the planner before walls) and on predicted walls. Each plan
// is scored with the suite's true walls (plus seeded noise of a few percent per shard):
//   wall imbalance = slowest wall / mean wall, and the worst |predicted - measured| / measured.
// A third column plans run 3 after two recorded runs (per-file overheads become identifiable once
// files have run beside different companions).
// Usage: npm run build && node bench/walls.mjs
import { planShards } from '../dist/plan/index.js';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A suite: files with tests and import seconds, a start-up per shard. */
function suite(seed, { files = 40, heavyShare = 0.4, startup = 3 } = {}) {
  const r = rng(seed);
  const list = [];
  for (let i = 0; i < files; i++) {
    const heavy = r() < heavyShare;
    // heavy import + light tests, or light import + heavy tests
    const tests = heavy ? 0.05 + r() * 0.3 : 1 + r() * 6;
    const overhead = heavy ? 2 + r() * 4 : 0.05 + r() * 0.2;
    list.push({ name: `test/${heavy ? 'imp' : 'work'}-${String(i).padStart(3, '0')}.test.js`, tests, overhead });
  }
  return { files: list, startup };
}

/** Runs a plan on the suite: per shard, true wall with noise; the run as the history records it. */
function execute(s, plan, noise, id) {
  const byName = new Map(s.files.map((f) => [f.name, f]));
  const seconds = new Map();
  const shards = [];
  const walls = [];
  for (const shard of plan.shards) {
    if (shard.files.length === 0) {
      walls.push(0);
      continue;
    }
    let wall = s.startup;
    for (const name of shard.files) {
      const f = byName.get(name);
      const t = f.tests * (1 + (noise() - 0.5) * 0.06);
      seconds.set(name, t);
      wall += t + f.overhead * (1 + (noise() - 0.5) * 0.06);
    }
    walls.push(wall);
    shards.push({ index: shard.index, wallSeconds: wall, files: shard.files });
  }
  return { run: { source: `run-${id}`, timestamp: `2026-01-0${id}T00:00:00Z`, seconds, shards }, walls };
}

function score(plan, walls) {
  const used = walls.filter((w, i) => plan.shards[i].files.length > 0);
  const mean = used.reduce((a, b) => a + b, 0) / used.length;
  let worstError = 0;
  plan.shards.forEach((s, i) => {
    if (s.files.length > 0) worstError = Math.max(worstError, Math.abs(s.estimatedSeconds - walls[i]) / walls[i]);
  });
  return { imbalance: Math.max(...used) / mean, error: worstError };
}

const SUITES = Number(process.env.SUITES ?? 30);
const DEBUG = process.env.DEBUG === "1";
const rows = { testsOnly: [], walls1: [], walls2: [] };
for (const shardsCount of [3, 4, 6]) {
  for (let seed = 1; seed <= SUITES; seed++) {
    const s = suite(seed * 7 + shardsCount);
    const noise = rng(seed * 131 + shardsCount);
    const names = s.files.map((f) => f.name);
    const first = execute(s, planShards({ files: names, shards: shardsCount, runs: [] }), noise, 1);
    const testsOnlyPlan = planShards({ files: names, shards: shardsCount, runs: [{ ...first.run, shards: undefined }] });
    const wallPlan = planShards({ files: names, shards: shardsCount, runs: [first.run] });
    if (DEBUG) console.log(shardsCount, seed, JSON.stringify(wallPlan.walls), first.run.shards.map((x) => x.files.length).join(','));
    const second = execute(s, wallPlan, noise, 2);
    const third = planShards({ files: names, shards: shardsCount, runs: [first.run, second.run] });
    rows.testsOnly.push(score(testsOnlyPlan, execute(s, testsOnlyPlan, noise, 2).walls));
    rows.walls1.push(score(wallPlan, second.walls));
    rows.walls2.push(score(third, execute(s, third, noise, 3).walls));
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
console.log(`walls: ${rows.testsOnly.length} suites (40 files, 40% heavy import + light tests, 3 s start-up; 3, 4, 6 shards)`);
console.log('plan                          wall imbalance mean / p90 / worst    |pred - wall| / wall mean / p90 / worst');
for (const [label, key] of [['test times only (before)', 'testsOnly'], ['walls, after 1 recorded run', 'walls1'], ['walls, after 2 recorded runs', 'walls2']]) {
  const imb = rows[key].map((r) => r.imbalance);
  const err = rows[key].map((r) => r.error);
  console.log(
    `${label.padEnd(30)}${mean(imb).toFixed(3)} / ${p(imb, 0.9).toFixed(3)} / ${Math.max(...imb).toFixed(3)}` +
      `              ${mean(err).toFixed(3)} / ${p(err, 0.9).toFixed(3)} / ${Math.max(...err).toFixed(3)}`,
  );
}
