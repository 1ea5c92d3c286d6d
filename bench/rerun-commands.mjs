// How many commands `run --rerun-failed` takes on a real report, side by side in one run: one per
// file (what a name filter over the whole run needs without grouping) against rerunCommands, which
// lets files share a filter when no selected name is the name of another file's test left out.
// Failures are drawn at 2% and 10% of the tests (seeded); ratio = commands grouped / one per file.
// Usage: npm run build && node bench/rerun-commands.mjs
import { performance } from 'node:perf_hooks';
import { readJUnitFile } from '../dist/junit/read.js';
import { rerunCommands } from '../dist/run/rerun-commands.js';
import { runnerPreset } from '../dist/runners/index.js';

const REPORTS = [
  ['jest', '../../shared/data/junit/jest-junit-jest-monorepo.xml'],
  ['jest', '../../shared/data/junit/jest-junit-openapi-tools-common.xml'],
];
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

for (const [runner, path] of REPORTS) {
  const preset = runnerPreset(runner);
  const known = new Map();
  await readJUnitFile(new URL(path, import.meta.url).pathname, (c) => {
    const ref = preset.testOf(c);
    if (ref === undefined) return;
    if (!known.has(ref.file)) known.set(ref.file, new Set());
    known.get(ref.file).add(ref.test);
  });
  const byFile = new Map([...known].map(([file, ids]) => [file, [...ids]]));
  const tests = [...byFile.values()].reduce((n, ids) => n + ids.length, 0);
  for (const rate of [0.02, 0.1]) {
    const batches = [...byFile].map(([file, ids]) => ({ file, tests: ids.filter(() => random() < rate) })).filter((b) => b.tests.length > 0);
    const started = performance.now();
    const grouped = rerunCommands(preset, batches, byFile).length;
    const ms = performance.now() - started;
    const ratio = batches.length === 0 ? '-' : (grouped / batches.length).toFixed(3);
    console.log(`${path.split('/').pop()} (${runner}, ${byFile.size} files, ${tests} tests), ${rate * 100}% failed: ${batches.length} files -> ${grouped} commands grouped vs ${batches.length} one per file (ratio ${ratio}; grouping took ${ms.toFixed(1)} ms)`);
  }
}
