// Walls benchmark, side by side in one run: suites whose files differ in overhead beyond their
// testcases (heavy import + light tests, and the reverse) and a runner start-up per shard. Each
// suite runs four times; run 1 as given (A: split by count, B: planned on test times alone), every
// later run planned from the runs recorded before it, with their shard walls. Beside run 2, the
// same recorded run planned on test times alone (the planner before walls). Each plan is scored
// with the suite's true walls (plus seeded noise of a few percent):
//   wall imbalance = slowest wall / mean wall, and the worst |predicted - measured| / measured.
// B is fixtures/walls (the e2e test's suite); the e2e test checks the same story with looser bounds.
// Usage: npm run build && node bench/walls.mjs   (ONLY=A or ONLY=B for one part, SUITES=N seeds)
import { readFileSync } from 'node:fs';
import { planShards } from '../dist/plan/index.js';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A suite: files with tests and import seconds, a start-up per shard. */
function suite(seed, { files = 40, heavyShare = 0.4, startup = 3, reportsFileWalls = true } = {}) {
  const r = rng(seed);
  const list = [];
  for (let i = 0; i < files; i++) {
    const heavy = r() < heavyShare;
    // heavy import + light tests, or light import + heavy tests
    const tests = heavy ? 0.05 + r() * 0.3 : 1 + r() * 6;
    const overhead = heavy ? 2 + r() * 4 : 0.05 + r() * 0.2;
    list.push({ name: `test/${heavy ? 'imp' : 'work'}-${String(i).padStart(3, '0')}.test.js`, tests, overhead });
  }
  return { files: list, startup, reportsFileWalls };
}

/**
 * Runs a plan on the suite: per shard, true wall with noise; the run as the history records it.
 * With `s.reportsFileWalls`, each file's report suite holds its import and tests, as jest-junit's
 * does (and fixtures/walls/runner.mjs); without, only its tests, as vitest's and playwright's do.
 */
function execute(s, plan, noise, id) {
  const byName = new Map(s.files.map((f) => [f.name, f]));
  const seconds = new Map();
  const fileWalls = new Map();
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
      const o = f.overhead * (1 + (noise() - 0.5) * 0.06);
      seconds.set(name, t);
      fileWalls.set(name, s.reportsFileWalls ? t + o : t);
      wall += t + o;
    }
    walls.push(wall);
    shards.push({ index: shard.index, wallSeconds: wall, files: shard.files });
  }
  return { run: { source: `run-${id}`, timestamp: `2026-01-0${id}T00:00:00Z`, seconds, fileWalls, shards }, walls };
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
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Plans and runs the suite four times: the first run as given, then each planned from the recorded runs before it. */
function sequence(s, shardsCount, noise, firstRuns) {
  const names = s.files.map((f) => f.name);
  const out = [];
  const runs = [];
  let plan = planShards({ files: names, shards: shardsCount, runs: firstRuns });
  for (let k = 1; k <= 4; k++) {
    const done = execute(s, plan, noise, k);
    out.push(score(plan, done.walls));
    runs.push(done.run);
    if (k === 1) {
      // beside run 2: the same recorded run planned on its test times alone (no shard walls)
      const testsOnly = planShards({ files: names, shards: shardsCount, runs: [{ ...done.run, shards: undefined, fileWalls: undefined }] });
      out.push(score(testsOnly, execute(s, testsOnly, noise, 2).walls));
    }
    plan = planShards({ files: names, shards: shardsCount, runs });
  }
  return out;
}

function print(title, rows, labels) {
  console.log(title);
  console.log('plan                                   wall imbalance mean / p90 / worst    |pred - wall| / wall mean / p90 / worst');
  rows.forEach((list, k) => {
    const imb = list.map((r) => r.imbalance);
    const err = list.map((r) => r.error);
    console.log(
      `${labels[k].padEnd(39)}${mean(imb).toFixed(3)} / ${p(imb, 0.9).toFixed(3)} / ${Math.max(...imb).toFixed(3)}` +
        `              ${mean(err).toFixed(3)} / ${p(err, 0.9).toFixed(3)} / ${Math.max(...err).toFixed(3)}`,
    );
  });
}

// A. generated suites: 40 files, 40% heavy import (2-6 s) + light tests, the rest the reverse; first
// run split by count. Twice: reports whose file suites hold the import (jest-junit, the shipped
// reporters), and reports whose suites hold only the tests (vitest, playwright): the model then
// has only the shard walls to go on.
const only = process.env.ONLY; // A or B: one part alone
for (const [label, reportsFileWalls] of only === 'B' ? [] : [['file suites hold the import, as jest-junit', true], ['file suites hold only tests, as vitest', false]]) {
  const a = [[], [], [], [], []];
  for (const shardsCount of [3, 4, 6]) {
    for (let seed = 1; seed <= SUITES; seed++) {
      const s = suite(seed * 7 + shardsCount, { reportsFileWalls });
      sequence(s, shardsCount, rng(seed * 131 + shardsCount), []).forEach((r, k) => a[k].push(r));
    }
  }
  print(`A. ${a[0].length} generated suites (40 files, 40% heavy import + light tests, 3 s start-up; 3, 4, 6 shards), run 1 split by count; ${label}`, a, [
    'run 1: by count (no timings)',
    'run 2: test times only, 1 recorded run',
    'run 2: walls after 1 recorded run',
    'run 3: walls after 2 recorded runs',
    'run 4: walls after 3 recorded runs',
  ]);
  console.log('');
}

// B. the e2e fixture (fixtures/walls/suite.json) with 3% noise; run 1 planned on test times alone (seed JUnit)
const spec = JSON.parse(readFileSync(new URL('../fixtures/walls/suite.json', import.meta.url), 'utf8'));
// its runner writes one suite per file whose time holds the import, as jest-junit does
const fixture = { startup: spec.startupMs / 1000, reportsFileWalls: true, files: spec.kinds.flatMap((k) => Array.from({ length: k.count }, (_, i) => ({ name: `tests/${k.name}-${i + 1}.test.json`, tests: k.testsMs / 1000, overhead: k.importMs / 1000 }))) };
const seedRun = { source: 'seed.xml', seconds: new Map(fixture.files.map((f) => [f.name, f.tests])) };
const b = [[], [], [], [], []];
for (let seed = 1; seed <= SUITES; seed++) sequence(fixture, spec.shards, rng(seed * 977), [seedRun]).forEach((r, k) => b[k].push(r));
print(`B. fixtures/walls (${fixture.files.length} files, ${spec.shards} shards) x ${SUITES} noise seeds, run 1 planned on test times only`, b, [
  'run 1: test times only (before walls)',
  'run 2: test times only, 1 recorded run',
  'run 2: walls after 1 recorded run',
  'run 3: walls after 2 recorded runs',
  'run 4: walls after 3 recorded runs',
]);
