// Queue mode against the static plan, simulated on the real histories in ../shared/data/timings:
// plan version t+1 from versions up to t (the real planner), then "run" it with t+1's real times
// on N workers that differ in speed. Two ways a worker runs its batches:
//   command   the runner is started for every batch: a start-up S per batch (any -- command);
//   resident  the runner is started once per worker, before its first lease (S once), then fed
//             batches, each costing a per-batch overhead F (Redis round trips, the runner's set-up
//             of one run: for pytest.main in a loop, config and plugins) plus its tests.
// Three ways to hand out the work:
//   static  the plan's shard k on worker k (one start-up each);
//   queue   split-tests' queue: the batch policy of src/queue/policy.ts (the same functions the
//           workers run), batches cut from the longest-first items; the per-batch cost (S, or F
//           with a resident runner) is learnt from the batches as the workers do (wall - tests);
//           The summary also shows the queue with the files no earlier run timed seeded first
//           (queueItemsOf's newFiles): their estimates are guesses, and some are minutes off.
//   ideal   files handed out one by one, longest estimate first, to whichever worker frees up,
//           paying the start-up only once per worker and nothing per batch (no batching can do
//           better with these estimates).
// Score: makespan / lower bound, where the lower bound is what these workers could at best achieve
// (their speeds, start times and one start-up each, perfectly divisible work, the largest file).
// Usage: node bench/queue.mjs [--quick] [--startup SECONDS] [--feed SECONDS[,SECONDS...]]
//   (npm run build first; --startup is S, default 3; --feed is F of the resident rows, default 0.2;
//   the summary also shows F = 0.05, 0.2 and 0.5)
import { pathToFileURL } from 'node:url';
import { planShards } from '../dist/plan/index.js';
import { queueItemsOf } from '../dist/queue/items.js';
import { batchMaxItems, batchTargetSeconds, DEFAULT_BATCH_POLICY, nextStartupSeconds, takeCount } from '../dist/queue/policy.js';
import { rng } from './lib/generate.mjs';
import { fmt, loadRealHistories, mean, replays } from './lib/replay.mjs';

const SHARDS = [4, 16, 32];
const SCENARIOS = ['mixed speeds', 'one 2x slower', 'one late'];

/** Worker speeds (1 = nominal) and start times (s) per scenario. */
export function workersFor(scenario, n, perWorkerSeconds, seed) {
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

export function lowerBound(workers, total, largest, startup) {
  const done = (t) => workers.reduce((sum, w) => sum + w.speed * Math.max(0, t - w.start - startup), 0);
  const fastestLargest = Math.min(...workers.map((w) => w.start + startup + largest / w.speed));
  let lo = 0;
  let hi = Math.max(...workers.map((w) => w.start)) + startup + total / Math.min(...workers.map((w) => w.speed)) + 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (done(mid) >= total) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, fastestLargest);
}

function staticMakespan(plan, truth, workers, startup) {
  return Math.max(...plan.shards.map((s, k) => {
    const w = workers[k];
    const seconds = s.files.reduce((sum, f) => sum + (truth.get(f) ?? 0), 0);
    return w.start + (s.files.length > 0 ? startup : 0) + seconds / w.speed;
  }));
}

/**
 * Event-driven: the worker that is free first takes the next batch. mode 'command' pays `startup`
 * per batch; 'resident' pays it once per worker and `feed` per batch; 'ideal' pays it once per
 * worker and hands out one item at a time.
 */
export function queueMakespan(items, truth, workers, { mode, startup, feed = 0, policy = DEFAULT_BATCH_POLICY }) {
  const free = workers.map((w) => w.start);
  const learnt = workers.map(() => undefined);
  const started = workers.map(() => false);
  let head = 0;
  let remaining = items.reduce((sum, item) => sum + item.seconds, 0);
  let batches = 0;
  while (head < items.length) {
    batches++;
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[w]) w = i;
    if (!started[w] && mode !== 'command') free[w] += startup; // a resident runner starts before the first lease
    let count = 1;
    if (mode !== 'ideal') {
      const load = { remainingSeconds: remaining, remainingItems: items.length - head, workers: workers.length, startupSeconds: learnt[w] ?? 0 };
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
    const overhead = mode === 'command' ? startup : mode === 'resident' ? feed : 0;
    // as src/queue/worker.ts: a resident runner's first batch (the first imports) is not learnt from
    if (mode !== 'resident' || started[w]) learnt[w] = nextStartupSeconds(learnt[w], overhead + testSeconds, testSeconds);
    started[w] = true;
    free[w] += overhead + testSeconds;
  }
  return { makespan: Math.max(...free.filter((_, i) => started[i])), batches };
}

/** The replays with their plans, made once: the planner is the slow part, and is the same for every row. */
export function prepare(projects, quick) {
  const cases = new Map();
  for (const n of SHARDS) {
    const list = [];
    let seed = 1;
    for (const { versions } of projects) {
      const all = [...replays(versions)];
      for (const replay of quick ? all.slice(-3) : all) {
        const plan = planShards({ files: replay.files, shards: n, runs: replay.runs });
        let total = 0;
        let largest = 0;
        for (const v of replay.truth.values()) {
          total += v;
          largest = Math.max(largest, v);
        }
        // files no earlier run timed: what `newFiles` of queueItemsOf is given to seed them first
        const known = new Set(replay.runs.flatMap((run) => [...run.seconds.keys()]));
        const newFiles = new Set(replay.files.filter((f) => !known.has(f)));
        const items = queueItemsOf(plan);
        list.push({ plan, items, newFirst: queueItemsOf(plan, new Map(), newFiles), truth: replay.truth, total, largest, seed: seed++ });
      }
    }
    cases.set(n, list);
  }
  return cases;
}

/** One row: means over the replays of makespan / lower bound. */
export function scoreRow(cases, { scenario, mode, startup, feed, n, policy, newFirst = false }) {
  const rows = { static: [], queue: [], ideal: [], batches: [], idealSameOrder: [] };
  for (const c of cases.get(n)) {
    const workers = workersFor(scenario, n, c.total / n, c.seed);
    const bound = lowerBound(workers, c.total, c.largest, startup);
    rows.static.push(staticMakespan(c.plan, c.truth, workers, startup) / bound);
    const queue = queueMakespan(newFirst ? c.newFirst : c.items, c.truth, workers, { mode, startup, feed, policy });
    rows.queue.push(queue.makespan / bound);
    rows.ideal.push(queueMakespan(c.items, c.truth, workers, { mode: 'ideal', startup }).makespan / bound);
    // the ideal queue handing out the same order: how much of the gain is the order itself
    if (newFirst) rows.idealSameOrder.push(queueMakespan(c.newFirst, c.truth, workers, { mode: 'ideal', startup }).makespan / bound);
    rows.batches.push(queue.batches / n);
  }
  const out = { static: mean(rows.static), queue: mean(rows.queue), ideal: mean(rows.ideal), batches: mean(rows.batches) };
  return { ...out, gap: out.queue - out.ideal, gapSameOrder: newFirst ? out.queue - mean(rows.idealSameOrder) : out.queue - out.ideal };
}

/** Every row of one mode and per-batch cost, with its two target figures. */
export function scoreMode(cases, { mode, startup, feed, policy, newFirst, scenarios = SCENARIOS }) {
  const rows = [];
  const worst = { gap: -Infinity, gapSameOrder: -Infinity };
  const oneOff = { queue: -Infinity, ideal: -Infinity };
  for (const scenario of scenarios) {
    for (const n of SHARDS) {
      const row = { scenario, n, ...scoreRow(cases, { scenario, mode, startup, feed, n, policy, newFirst }) };
      rows.push(row);
      if (row.gap > worst.gap) Object.assign(worst, { gap: row.gap, scenario, n });
      worst.gapSameOrder = Math.max(worst.gapSameOrder, row.gapSameOrder);
      if (scenario !== 'mixed speeds') {
        oneOff.queue = Math.max(oneOff.queue, row.queue);
        oneOff.ideal = Math.max(oneOff.ideal, row.ideal);
      }
    }
  }
  return { rows, worst, oneOff };
}

const signed = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);

function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const flag = (name, fallback) => {
    const at = args.indexOf(name);
    return at === -1 ? fallback : args[at + 1];
  };
  const startup = Number(flag('--startup', '3'));
  const feeds = String(flag('--feed', '0.2')).split(',').map(Number);
  if (!(startup >= 0) || feeds.some((f) => !(f >= 0))) throw new Error('--startup and --feed take seconds >= 0 (--feed may list several: 0.05,0.2)');
  const projects = loadRealHistories();
  const cases = prepare(projects, quick);

  console.log(`queue mode vs static plan, real histories (${projects.map((p) => p.project).join(', ')}); makespan / lower bound`);
  console.log('workers         runner    start-up  per batch    N   static  queue   ideal   queue-ideal  batches/worker');
  const print = (mode, start, perBatch, { rows }) => {
    for (const r of rows) {
      console.log(
        `${r.scenario.padEnd(15)} ${mode.padEnd(8)}  ${`${start} s`.padStart(8)}  ${`${perBatch} s`.padStart(9)}  ${String(r.n).padStart(3)}   ${fmt(r.static)}   ${fmt(r.queue)}   ${fmt(r.ideal)}   ${signed(r.gap)}       ${r.batches.toFixed(1)}`,
      );
    }
  };
  // with no start-up at all the two modes are one: every batch is one file, the ideal queue. The
  // rows seed as `run --queue` does: files no earlier run timed first (queueItemsOf's newFiles)
  print('command', 0, 0, scoreMode(cases, { mode: 'command', startup: 0, scenarios: ['mixed speeds'], newFirst: true }));
  const command = scoreMode(cases, { mode: 'command', startup, newFirst: true });
  print('command', startup, startup, command);
  const summaries = [['command', startup, command, 'new files first']];
  const perBatch = [...new Set([...feeds, 0.05, 0.2, 0.5])].sort((a, b) => a - b);
  for (const feed of perBatch) {
    const resident = scoreMode(cases, { mode: 'resident', startup, feed, newFirst: true });
    if (feeds.includes(feed)) print('resident', startup, feed, resident);
    summaries.push(['resident', feed, resident, 'new files first']);
  }
  // the same seeded longest first only (before run --queue took the new files first)
  summaries.push(['command', startup, scoreMode(cases, { mode: 'command', startup }), 'longest first']);
  for (const feed of perBatch) summaries.push(['resident', feed, scoreMode(cases, { mode: 'resident', startup, feed }), 'longest first']);
  console.log('targets: queue - ideal within 0.02; with one worker 2x slower or late, the queue within 1.10 of the lower bound');
  console.log('runner    per batch  order            largest queue-ideal               one slow/late: queue (ideal)  met   vs an ideal queue in the same order');
  for (const [mode, cost, { worst, oneOff }, order] of summaries) {
    const where = `(${worst.scenario}, N = ${worst.n})`;
    const met = worst.gap <= 0.02 && oneOff.queue <= 1.1 ? 'yes' : 'no';
    console.log(`${mode.padEnd(8)}  ${`${cost} s`.padStart(9)}  ${(order || 'longest first').padEnd(15)}  ${signed(worst.gap)} ${where.padEnd(26)}  ${fmt(oneOff.queue)} (${fmt(oneOff.ideal)})              ${met.padEnd(4)}  ${signed(worst.gapSameOrder)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
