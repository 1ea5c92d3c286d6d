// Runs every benchmark in bench/ (bench/*.mjs except this file) one after another, so their
// outputs can be compared in one log. Flags such as --quick are passed through.
// Usage: npm run bench  (or: node bench/run-all.mjs --quick)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
// Known benchmarks first, in a stable order; any other bench/*.mjs after them.
const preferred = ['estimator.mjs', 'balance.mjs', 'speed.mjs', 'merge.mjs'];
const present = readdirSync(here).filter((f) => f.endsWith('.mjs') && join(here, f) !== self);
const order = [...preferred.filter((f) => present.includes(f)), ...present.filter((f) => !preferred.includes(f)).sort()];

let failed = 0;
for (const name of order) {
  const path = join(here, name);
  if (!existsSync(path)) {
    console.log(`== ${name}: missing, skipped`);
    continue;
  }
  console.log(`== ${name} ${args.join(' ')}`.trimEnd());
  const started = performance.now();
  const result = spawnSync(process.execPath, [path, ...args], { stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    console.log(`== ${name}: exited ${result.status ?? result.signal} after ${seconds} s`);
  } else {
    console.log(`== ${name}: done in ${seconds} s`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
