// The resident RSpec driver (runners/rspec/split_tests_feed.rb) against one `rspec` per batch,
// side by side in one run, on a generated project whose spec_helper requires an app that takes
// most of a second of CPU to load (200 files of classes and tables, like a real app's models).
// The same 10 batches of 2 spec files each, in both modes, alternating rounds:
//   total     wall from the first spawn to the last batch's end (driver: its start-up included)
//   overhead  per batch: its wall (command: spawn to exit; driver: batch sent to "done") less the
//             test time its JUnit report gives (the sum of the testcases' times)
// The driver's per-batch overhead is the figure the queue simulation (bench/queue.mjs --feed)
// takes for a resident rspec; its start-up (spawn to "ready") is paid once per worker.
// Usage: node bench/resident-rspec.mjs [--quick] [--rounds N]   (rspec and ruby from PATH)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNERS = join(dirname(fileURLToPath(import.meta.url)), '..', 'runners', 'rspec');
const DRIVER = join(RUNNERS, 'split_tests_feed.rb');
const FORMATTER = join(RUNNERS, 'junit_formatter.rb');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const at = args.indexOf('--rounds');
const ROUNDS = at === -1 ? (quick ? 1 : 3) : Number(args[at + 1]);
const BATCHES = 10;
const FILES_PER_BATCH = 2;
const EXAMPLES_PER_FILE = 5;
const APP_FILES = 200;

function write(root, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A file of the app: 40 classes, methods and tables, so loading it costs real CPU. */
function appFile(m) {
  const parts = [`module App\n  module M${m}\n`];
  for (let i = 0; i < 40; i++) {
    parts.push(
      `    class Model${i}\n      FIELD = ${i}\n      def method_a(x)\n        x + ${i}\n      end\n      def method_b(y)\n        (1..${(i % 7) + 1}).map { |k| y * k }\n      end\n    end\n`,
      `    def self.helper${i}(z)\n      { k${i}: z, n: ${i} }\n    end\n`,
      `    TABLE${i} = (0...40).to_h { |j| ["key#{j}", j * ${i}] }\n`,
    );
  }
  parts.push('  end\nend\n');
  return parts.join('');
}

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'split-tests-bench-rsfeed-'));
  const files = { '.rspec': '--require spec_helper\n', 'lib/app.rb': '' };
  for (let m = 0; m < APP_FILES; m++) {
    files['lib/app.rb'] += `require_relative 'app/m${m}'\n`;
    files[`lib/app/m${m}.rb`] = appFile(m);
  }
  files['spec/spec_helper.rb'] = "require 'app'\n\nRSpec.configure do |config|\n  config.before { @model = App::M0::Model0.new }\nend\n";
  for (let f = 0; f < BATCHES * FILES_PER_BATCH; f++) {
    const examples = Array.from({ length: EXAMPLES_PER_FILE }, (_, t) => `  it('works ${t}') do\n    sleep 0.01\n    expect(@model.method_a(${t})).to eq(${t})\n  end\n`);
    files[`spec/f${f}_spec.rb`] = `RSpec.describe 'f${f}' do\n${examples.join('\n')}end\n`;
  }
  write(dir, files);
  return dir;
}

const batchFiles = (b) => Array.from({ length: FILES_PER_BATCH }, (_, i) => `spec/f${b * FILES_PER_BATCH + i}_spec.rb`);
// what the rspec preset passes (src/runners/rspec.ts), with the progress output going nowhere
const batchArgs = (dir, mode, b) => ['--require', FORMATTER, '--format', 'progress', '--format', 'SplitTests::JUnitFormatter', '--out', join(dir, 'reports', `${mode}-${b}.xml`), ...batchFiles(b)];
const environment = (extra = {}) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra });

/** The report's test time: the sum of its testcases' times. */
function testSeconds(report) {
  let sum = 0;
  for (const m of readFileSync(report, 'utf8').matchAll(/<testcase [^>]*\btime="([\d.]+)"/g)) sum += Number(m[1]);
  return sum;
}

function exitOf(child) {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

async function commands(dir) {
  const started = performance.now();
  const overheads = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const code = await exitOf(spawn('rspec', batchArgs(dir, 'command', b), { cwd: dir, env: environment(), stdio: 'ignore' }));
    if (code !== 0) throw new Error(`rspec, batch ${b}: exit ${code}`);
    overheads.push((performance.now() - t0) / 1000 - testSeconds(join(dir, 'reports', `command-${b}.xml`)));
  }
  return { total: (performance.now() - started) / 1000, overheads };
}

async function driver(dir) {
  const started = performance.now();
  const child = spawn('ruby', [DRIVER], { cwd: dir, env: environment({ SPLIT_TESTS_FEED_FD: '3' }), stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const exited = exitOf(child);
  const feed = child.stdio[3];
  const pending = [];
  let buffered = '';
  feed.on('data', (chunk) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      pending.shift()?.(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
  });
  const next = () => Promise.race([new Promise((resolve) => pending.push(resolve)), exited.then((code) => ({ type: 'exit', code }))]);
  if ((await next()).type !== 'ready') throw new Error('driver: no ready');
  const startup = (performance.now() - started) / 1000;
  const overheads = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    feed.write(`${JSON.stringify({ type: 'batch', batch: b, args: batchArgs(dir, 'driver', b), env: {} })}\n`);
    const done = await next();
    if (done.type !== 'done' || done.exitCode !== 0) throw new Error(`driver, batch ${b}: ${JSON.stringify(done)}`);
    overheads.push((performance.now() - t0) / 1000 - testSeconds(join(dir, 'reports', `driver-${b}.xml`)));
  }
  const total = (performance.now() - started) / 1000;
  feed.end();
  if ((await exited) !== 0) throw new Error('driver: non-zero exit at end of input');
  return { total, overheads, startup };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x) => x.toFixed(3);

const dir = project();
try {
  // a first pass, as an earlier step of the job would have warmed the file cache
  await commands(dir);
  const runs = { command: [], driver: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // alternate which mode goes first, so that a drift of the machine's speed hits both
    const order = r % 2 === 0 ? ['driver', 'command'] : ['command', 'driver'];
    for (const mode of order) runs[mode].push(mode === 'driver' ? await driver(dir) : await commands(dir));
  }
  const totals = (mode) => runs[mode].map((r) => r.total);
  const later = runs.driver.flatMap((r) => r.overheads.slice(1));
  console.log(`${BATCHES} batches of ${FILES_PER_BATCH} spec files (${EXAMPLES_PER_FILE} examples of 10 ms each), spec_helper requires a ${APP_FILES}-file app; ${ROUNDS} round(s), medians`);
  console.log(`total wall            rspec per batch ${f(median(totals('command')))} s   resident driver ${f(median(totals('driver')))} s   driver/commands ${f(median(runs.driver.map((d, i) => d.total / runs.command[i].total)))}`);
  console.log(`overhead per batch    rspec per batch ${f(median(runs.command.flatMap((r) => r.overheads)))} s   resident driver ${f(median(runs.driver.flatMap((r) => r.overheads)))} s`);
  console.log(`resident driver       start-up (spawn to ready) ${f(median(runs.driver.map((r) => r.startup)))} s   first batch overhead ${f(median(runs.driver.map((r) => r.overheads[0])))} s   later batches ${f(median(later))} s (min ${f(Math.min(...later))}, max ${f(Math.max(...later))})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
