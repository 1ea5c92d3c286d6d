// Queue mode against the static plan, simulated on the real histories in ../shared/data/timings:
// plan version t+1 from versions up to t (the real planner), then "run" it with t+1's real times
// on N workers that differ in speed and pay a start-up per batch. Three ways to hand out the work:
//   static  the plan's shard k on worker k (one start-up each);
//   queue   split-tests' queue: the batch policy of src/queue/policy.ts (the same functions the
//           workers run), batches cut from the longest-first items, start-up paid per batch and
//           learnt from the batches as the workers do;
//   ideal   files handed out one by one, longest estimate first, to whichever worker frees up,
//           paying the start-up only once per worker (no batching can do better with these estimates).
// Score: makespan / lower bound, where the lower bound is what these workers could at best achieve
// (their speeds, start times and one start-up each, perfectly divisible work, the largest file).
// Usage: node bench/queue.mjs [--quick] [--startup SECONDS]   (npm run build first)
import { planShards } from '../dist/plan/index.js';
import { queueItemsOf } from '../dist/queue/items.js';
import { batchMaxItems, batchTargetSeconds, nextStartupSeconds, takeCount } from '../dist/queue/policy.js';
import { rng } from './lib/generate.mjs';
import { fmt, loadRealHistories, mean, replays } from './lib/replay.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const at = args.indexOf('--startup');
const STARTUP_FLAG = at === -1 ? 3 : Number(args[at + 1]);
let STARTUP = STARTUP_FLAG;
const SHARDS = [4, 16, 32];

/** Worker speeds (1 = nominal) and start times (s) per scenario. */
function workersFor(scenario, n, perWorkerSeconds, seed) {
  const random = rng(seed);
  const workers = Array.from({ length: n }, () => ({ speed: 0.8 + 0.4 * random(), start: 0 }));
  if (scenario === 'one 2x slower') {
    for (const w of workers) w.speed = 1;
    // the last worker: ties in free time go to the lowest index, so worker 1 gets the longest file
    workers[n - 1].speed = 0.5;
  } else if (scenario === 'one late') {
    for (const w of workers) w.speed = 1;
    // joins when the others are half-way through their fair share
    workers[n - 1].start = perWorkerSeconds / 2;
  }
  return workers;
}

function lowerBound(workers, total, largest) {
  const done = (t) => workers.reduce((sum, w) => sum + w.speed * Math.max(0, t - w.start - STARTUP), 0);
  const fastestLargest = Math.min(...workers.map((w) => w.start + STARTUP + largest / w.speed));
  let lo = 0;
  let hi = Math.max(...workers.map((w) => w.start)) + STARTUP + total / Math.min(...workers.map((w) => w.speed)) + 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (done(mid) >= total) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, fastestLargest);
}

function staticMakespan(plan, truth, workers) {
  return Math.max(...plan.shards.map((s, k) => {
    const w = workers[k];
    const seconds = s.files.reduce((sum, f) => sum + (truth.get(f) ?? 0), 0);
    return w.start + (s.files.length > 0 ? STARTUP : 0) + seconds / w.speed;
  }));
}

/** Event-driven: the worker that is free first takes the next batch. */
export function queueMakespan(items, truth, workers, { batching, policy }) {
  const free = workers.map((w) => w.start);
  const startup = workers.map(() => undefined);
  const started = workers.map(() => false);
  let head = 0;
  let remaining = items.reduce((sum, item) => sum + item.seconds, 0);
  let batches = 0;
  while (head < items.length) {
    batches++;
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[w]) w = i;
    let count = 1;
    if (batching) {
      const load = { remainingSeconds: remaining, remainingItems: items.length - head, workers: workers.length, startupSeconds: startup[w] ?? 0 };
      const look = items.slice(head, head + 200).map((item) => item.seconds);
      count = takeCount(look, batchTargetSeconds(load, policy), batchMaxItems(load, policy));
    }
    let tests = 0;
    for (let i = head; i < head + count; i++) {
      remaining -= items[i].seconds;
      for (const f of items[i].files) tests += truth.get(f) ?? 0;
    }
    head += count;
    const testSeconds = tests / workers[w].speed;
    const overhead = batching || !started[w] ? STARTUP : 0;
    started[w] = true;
    free[w] += overhead + testSeconds;
    startup[w] = nextStartupSeconds(startup[w], overhead + testSeconds, testSeconds);
  }
  return { makespan: Math.max(...free.filter((_, i) => started[i])), batches };
}

const projects = loadRealHistories();
// [workers, start-up per batch in seconds]
const scenarios = [['mixed speeds', 0], ['mixed speeds', STARTUP_FLAG], ['one 2x slower', STARTUP_FLAG], ['one late', STARTUP_FLAG]];
console.log(`queue mode vs static plan, real histories (${projects.map((p) => p.project).join(', ')}); makespan / lower bound`);
console.log('workers         start-up   N   static  queue   ideal   queue-ideal  batches/worker');
const worst = { gap: -Infinity };
// the second target: with one slow or late worker, the queue within 10% of the lower bound
const oneOff = { queue: -Infinity, ideal: -Infinity };
for (const [scenario, startup] of scenarios) {
  STARTUP = startup;
  for (const n of SHARDS) {
    const rows = { static: [], queue: [], ideal: [], batches: [] };
    let seed = 1;
    for (const { versions } of projects) {
      const list = [...replays(versions)];
      for (const replay of quick ? list.slice(-3) : list) {
        const plan = planShards({ files: replay.files, shards: n, runs: replay.runs });
        const items = queueItemsOf(plan);
        let total = 0;
        let largest = 0;
        for (const v of replay.truth.values()) {
          total += v;
          largest = Math.max(largest, v);
        }
        const workers = workersFor(scenario, n, total / n, seed++);
        const bound = lowerBound(workers, total, largest);
        rows.static.push(staticMakespan(plan, replay.truth, workers) / bound);
        const queue = queueMakespan(items, replay.truth, workers, { batching: true });
        rows.queue.push(queue.makespan / bound);
        rows.ideal.push(queueMakespan(items, replay.truth, workers, { batching: false }).makespan / bound);
        rows.batches.push(queue.batches / n);
      }
    }
    const gap = mean(rows.queue) - mean(rows.ideal);
    if (gap > worst.gap) Object.assign(worst, { gap, scenario, n, startup });
    if (scenario !== 'mixed speeds') {
      oneOff.queue = Math.max(oneOff.queue, mean(rows.queue));
      oneOff.ideal = Math.max(oneOff.ideal, mean(rows.ideal));
    }
    console.log(
      `${scenario.padEnd(15)} ${`${startup} s`.padStart(8)}  ${String(n).padStart(3)}   ${fmt(mean(rows.static))}   ${fmt(mean(rows.queue))}   ${fmt(mean(rows.ideal))}   ${(gap >= 0 ? '+' : '') + gap.toFixed(3)}       ${mean(rows.batches).toFixed(1)}`,
    );
  }
}
console.log(`largest queue - ideal gap: ${worst.gap.toFixed(3)} (${worst.scenario}, start-up ${worst.startup} s, N = ${worst.n}); target: within 0.02`);
console.log(`one worker 2x slower or late: queue at most ${fmt(oneOff.queue)} of the lower bound, ideal queue ${fmt(oneOff.ideal)}; target: within 1.10`);

