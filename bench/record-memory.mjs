// Peak memory of reading one huge JUnit report for timings (`record`, `plan --timings`) against
// `merge` of the same file, side by side in one run: every reader must stream with memory bounded
// by a window, whatever the report's size. The report (~320 MB; --quick ~80 MB) is generated.
//   npm run build && node bench/record-memory.mjs [--quick] [--keep]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './lib/junit-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const cli = join(root, 'dist/cli/index.js');
if (!existsSync(cli)) {
  console.error('bench/record-memory: build first (npm run build)');
  process.exit(2);
}

// one huge report: parts generated one at a time (the generator holds a part in memory), each
// appended under one <testsuites> root
const dir = mkdtempSync(join(tmpdir(), 'split-tests-record-bench-'));
const big = join(dir, 'big.xml');
const parts = quick ? 2 : 8;
let t0 = performance.now();
writeFileSync(big, '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="huge">\n');
let tests = 0;
for (let i = 0; i < parts; i++) {
  const part = join(dir, 'part.xml');
  tests += writeReport(part, 3 * i + 1, 40e6).tests; // seeds 1, 4, 7...: testsuites > testsuite with nested describes
  appendFileSync(big, readFileSync(part, 'utf8').replace(/^<\?xml[^>]*>\n/, ''));
}
appendFileSync(big, '</testsuites>\n');
rmSync(join(dir, 'part.xml'), { force: true });
const mb = statSync(big).size / 1e6;
console.log(`report: ${mb.toFixed(0)} MB, ${tests} testcases (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s) in ${dir}`);

const hasTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMaximum resident set size (kbytes): '+process.resourceUsage().maxRSS+'\\n'))`;

function measure(args) {
  const start = performance.now();
  const command = hasTime ? '/usr/bin/time' : process.execPath;
  const argv = hasTime ? ['-v', process.execPath, cli, ...args] : ['--import', REPORT_RSS, cli, ...args];
  const r = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { seconds: (performance.now() - start) / 1000, rssMB: rss ? Number(rss[1]) / 1024 : NaN, status: r.status, stderr: r.stderr };
}

writeFileSync(join(dir, 'files.txt'), 'tests/area-1/feature-1-0.test.ts\ntests/area-1/feature-1-1.test.ts\n');
const rows = [
  ['merge', ['merge', 'big.xml', '--output', 'merged.xml', '--allow-failures']],
  ['record', ['record', 'big.xml', '--history', 'history.json']],
  ['plan --timings', ['plan', '--shards', '2', '--timings', 'big.xml', '--files-from', 'files.txt', '--json']],
];
t0 = performance.now();
console.log(`${'command'.padEnd(16)} ${'wall'.padStart(9)} ${'peak RSS'.padStart(10)}`);
const results = [];
for (const [name, args] of rows) {
  const r = measure(args);
  results.push(r);
  console.log(`${name.padEnd(16)} ${r.seconds.toFixed(2).padStart(7)} s ${r.rssMB.toFixed(0).padStart(7)} MB   exit ${r.status}`);
  if (r.status !== 0) console.log(r.stderr.slice(-1500));
}
const worst = Math.max(...results.map((r) => r.rssMB));
console.log(`peak RSS of the readers over merge's: record ${(results[1].rssMB / results[0].rssMB).toFixed(2)}x, plan --timings ${(results[2].rssMB / results[0].rssMB).toFixed(2)}x; worst ${worst.toFixed(0)} MB for a ${mb.toFixed(0)} MB report`);
if (!keep) rmSync(dir, { recursive: true, force: true });
