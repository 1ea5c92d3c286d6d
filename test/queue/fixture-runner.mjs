// A tiny test runner for the queue tests: each test file holds the milliseconds it "runs" (and
// FAIL to fail). Prints "batch start" first (tests wait for it to kill a worker mid-batch), writes a
// JUnit report with one testcase per file to the path after --junit-out only at the end, so a batch
// killed midway leaves none. QUEUE_FIXTURE_SLOW multiplies the times (a slow worker). FLAKY in a
// file fails its first run only (a marker file beside it remembers the run).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--junit-out');
const out = at === -1 ? undefined : args[at + 1];
const files = args.filter((_, i) => at === -1 || (i !== at && i !== at + 1));
const slow = Number(process.env.QUEUE_FIXTURE_SLOW ?? '1');
console.log(`batch start ${files.length} files`);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
let failed = 0;
const cases = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const ms = Number.parseInt(text, 10) * slow;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const flaky = text.includes('FLAKY') && !existsSync(`${file}.ran`);
  if (text.includes('FLAKY')) writeFileSync(`${file}.ran`, '');
  const bad = text.includes('FAIL') || flaky;
  if (bad) failed++;
  cases.push(`<testcase classname="${esc(file)}" name="runs" file="${esc(file)}" time="${(ms / 1000).toFixed(3)}">${bad ? '<failure message="failed"/>' : ''}</testcase>`);
}
if (out !== undefined) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="queue" tests="${files.length}" failures="${failed}">${cases.join('')}</testsuite></testsuites>\n`);
}
process.exit(failed > 0 ? 1 : 0);
