// Per-test history: size on disk and load time of 100,000 testcases x 10 runs (issue 10/11 bound:
// "a few MB, loads fast"), against the same history without its per-test part, side by side.
// Tests: 2,000 files x 50 tests, pytest-like ids (Class::test_name[param]), lognormal durations
// (median 40 ms), 2% of results not passed, a few tests added/removed per run. Seeded: same numbers every run.
// Usage: npm run build && node bench/test-history.mjs [--quick]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { addRun, readHistory, serialiseHistory } from '../dist/timings/history.js';
import { historyToRuns } from '../dist/timings/history-runs.js';

const quick = process.argv.includes('--quick');
const FILES = quick ? 200 : 2000;
const TESTS = 50;
const RUNS = 10;

let seed = 42;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

const files = Array.from({ length: FILES }, (_, f) => `tests/pkg_${f % 40}/test_module_${f}.py`);
const base = files.map(() => Array.from({ length: TESTS }, () => 0.04 * Math.exp(1.2 * gauss())));
let history;
const started = performance.now();
for (let r = 0; r < RUNS; r++) {
  const fileSeconds = new Map();
  const tests = new Map();
  files.forEach((file, f) => {
    const byTest = new Map();
    let sum = 0;
    for (let t = 0; t < TESTS; t++) {
      // 2 of 50 tests renamed every 4 runs: the history keeps what a kept run has, no more
      const id = t % 25 === 0 ? `TestFeature${t % 5}::test_renamed_${t}_v${Math.floor(r / 4)}` : `TestFeature${t % 5}::test_behaviour_${t}[case-${t % 7}]`;
      const seconds = base[f][t] * (0.9 + 0.2 * random());
      const status = random() < 0.02 ? 'failed' : 'passed';
      byTest.set(id, { seconds, status });
      sum += seconds;
    }
    tests.set(file, byTest);
    fileSeconds.set(file, { seconds: sum });
  });
  history = addRun(history, { id: `run-${r}`, time: new Date(Date.UTC(2026, 0, 1, r)).toISOString(), files: fileSeconds, tests }, { runsPerFile: RUNS, runs: 50 });
}
const foldMs = performance.now() - started;

const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-'));
try {
  const withTests = join(dir, 'with-tests.json');
  const withoutTests = join(dir, 'without-tests.json');
  writeFileSync(withTests, serialiseHistory(history));
  writeFileSync(withoutTests, serialiseHistory({ ...history, tests: undefined }));
  const load = async (path) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const h = await readHistory(path);
      historyToRuns(h);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[2];
  };
  const cases = Object.values(history.tests.files).reduce((n, tests) => n + Object.keys(tests).length, 0);
  const mb = (path) => statSync(path).size / 1e6;
  const loadWith = await load(withTests);
  const loadWithout = await load(withoutTests);
  console.log(`per-test history: ${FILES} files x ${TESTS} tests, ${RUNS} runs (${cases} test ids kept, ${history.tests.runs.length} columns)`);
  console.log(`  size: ${mb(withTests).toFixed(2)} MB with per-test columns, ${mb(withoutTests).toFixed(2)} MB without (${(mb(withTests) / mb(withoutTests)).toFixed(1)}x)`);
  const gz = (path) => gzipSync(readFileSync(path)).length / 1e6;
  console.log(`  gzipped (as CI caches store it): ${gz(withTests).toFixed(2)} MB with, ${gz(withoutTests).toFixed(2)} MB without`);
  console.log(`  load (read + validate + to runs, median of 5): ${loadWith.toFixed(0)} ms with, ${loadWithout.toFixed(0)} ms without (${(loadWith / loadWithout).toFixed(1)}x)`);
  console.log(`  folding ${RUNS} runs in: ${foldMs.toFixed(0)} ms (${(foldMs / RUNS).toFixed(0)} ms per record)`);
} finally {
  if (process.env.KEEP) console.log(dir); else rmSync(dir, { recursive: true, force: true });
}
