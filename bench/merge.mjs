// JUnit merge: split-tests (built CLI) against junit-report-merger, side by side in one run, on a
// generated corpus of 200 reports (~160 MB; --quick: ~40 MB). Prints wall time, peak RSS and
// whether each got the totals right (checked against the generator's own count).
//   npm run build && node bench/merge.mjs [--quick] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './lib/junit-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const cli = join(root, 'dist/cli/index.js');
const jrm = join(root, 'node_modules/junit-report-merger/cli.js');
if (!existsSync(cli)) {
  console.error('bench/merge: build first (npm run build)');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'split-tests-merge-bench-'));
const reportsDir = join(dir, 'reports');
const totalBytes = quick ? 40e6 : 160e6;
let t0 = performance.now();
const expected = writeCorpus(reportsDir, { reports: 200, totalBytes, seed: 7 });
const bytes = expected.files.reduce((s, f) => s + statSync(f).size, 0);
console.log(`corpus: 200 reports, ${(bytes / 1e6).toFixed(1)} MB, ${expected.tests} testcases (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s) in ${dir}`);

const hasTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
// without GNU time, the child reports its own peak RSS (worker threads included) as it exits
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMaximum resident set size (kbytes): '+process.resourceUsage().maxRSS+'\\n'))`;

/** Runs a Node script, returning wall seconds, peak RSS in MB and the exit code. */
function measure(args) {
  const start = performance.now();
  const command = hasTime ? '/usr/bin/time' : process.execPath;
  const argv = hasTime ? ['-v', process.execPath, ...args] : ['--import', REPORT_RSS, ...args];
  const r = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const seconds = (performance.now() - start) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMB: rss ? Number(rss[1]) / 1024 : NaN, status: r.status, stderr: r.stderr };
}

/** The root element's totals, read from the head of the merged file. */
function rootTotals(path) {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const tag = /<testsuites\b[^>]*>/.exec(buf.subarray(0, n).toString('utf8'));
  if (!tag) return undefined;
  const attr = (name) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag[0]);
    return m ? Number(m[1]) : NaN;
  };
  return { tests: attr('tests'), failures: attr('failures'), errors: attr('errors'), skipped: attr('skipped'), time: attr('time') };
}

function verdict(totals) {
  if (!totals) return 'no output';
  const wrong = [];
  for (const k of ['tests', 'failures', 'errors', 'skipped']) if (totals[k] !== expected[k]) wrong.push(`${k} ${totals[k]} (expected ${expected[k]})`);
  if (!(Math.abs(totals.time - expected.timeMs / 1000) < 1e-3)) wrong.push(`time ${totals.time} (expected ${expected.timeMs / 1000})`);
  return wrong.length === 0 ? 'exact' : `WRONG: ${wrong.join(', ')}`;
}

// a cold first run warms the page cache for both tools alike
execFileSync('cat', expected.files, { stdio: 'ignore', maxBuffer: 1 << 30 });

t0 = performance.now();
// the corpus holds failures: merge exits 1 on them unless --allow-failures
const ours = measure([cli, 'merge', 'reports', '--output', 'ours.xml', '--allow-failures']);
const oursTotals = rootTotals(join(dir, 'ours.xml'));
const theirs = measure([jrm, 'theirs.xml', 'reports/*.xml']);
const theirsTotals = rootTotals(join(dir, 'theirs.xml'));

const row = (name, r, totals) =>
  `${name.padEnd(22)} ${r.seconds.toFixed(2).padStart(8)} s ${r.rssMB.toFixed(0).padStart(8)} MB   exit ${r.status}   totals ${verdict(totals)}`;
console.log(`${'tool'.padEnd(22)} ${'wall'.padStart(10)} ${'peak RSS'.padStart(11)}`);
console.log(row('split-tests merge', ours, oursTotals));
console.log(row('junit-report-merger', theirs, theirsTotals));
if (ours.status !== 0) console.log(ours.stderr);
if (theirs.status !== 0) console.log(theirs.stderr.slice(-2000));
console.log(
  `speed-up ${(theirs.seconds / ours.seconds).toFixed(1)}x (target >= 10x); our peak RSS ${ours.rssMB.toFixed(0)} MB (target < 100 MB); ` +
    `expected totals: ${expected.tests} tests, ${expected.failures} failures, ${expected.errors} errors, ${expected.skipped} skipped, ${expected.timeMs / 1000} s`,
);
if (!keep) rmSync(dir, { recursive: true, force: true });
