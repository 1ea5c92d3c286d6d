import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../queue/redis-server.js';
import { casesPerFile, startWorker } from '../queue/workers.js';
import { parseCases } from '../run/parse-cases.js';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';
import { runnerProject } from './runner-flow.js';

// Two worker processes of the built CLI on a real redis-server, running a real pytest suite through
// the resident pytest driver: each worker starts Python and pytest once and is fed its batches.
const redis = useTestRedis();
afterAll(() => removeTempDirs());

/** A pytest project: 8 files of 2 tests; every batch's session appends the pid of its Python to pids.log. */
function pytestSuite(extra: Record<string, string> = {}): { dir: string; env: Record<string, string> } {
  const dir = makeTempDir('split-tests-queue-resident-');
  const files: Record<string, string> = {
    'conftest.py': [
      'import os, pytest',
      '@pytest.fixture(scope="session", autouse=True)',
      'def note_pid():',
      '    with open(os.path.join(os.path.dirname(__file__), "pids.log"), "a") as f:',
      '        f.write(f"{os.getpid()}\\n")',
      '    yield',
      '',
    ].join('\n'),
  };
  for (let i = 1; i <= 8; i++) files[`tests/test_f${i}.py`] = `import time\n\ndef test_one():\n    time.sleep(0.05)\n\ndef test_two():\n    assert ${i} > 0\n`;
  writeFiles(dir, { ...files, ...extra });
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/python3', join(bin, 'python3')); // Debian's python3 has pytest
  return { dir, env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, CI_NODE_TOTAL: '2' } };
}

const pids = (dir: string): string[] => readFileSync(join(dir, 'pids.log'), 'utf8').trim().split('\n');

async function runWorkers(dir: string, env: Record<string, string>, queueId: string, extra: string[] = []) {
  const args = ['run', '--queue', redis.url(), '--queue-id', queueId, '--runner', 'pytest', '--junit', 'reports/junit-{shard}.xml', '--json', ...extra, 'tests'];
  const results = await Promise.all([startWorker(args, dir, env), startWorker(args, dir, env)].map((w) => w.done));
  const batches = results.flatMap((r) => JSON.parse(r.stdout).workers.flatMap((w: { batches: unknown[] }) => w.batches)) as { files: string[]; exitCode: number }[];
  const wait = await runCli(['queue', 'wait', '--queue', redis.url(), '--queue-id', queueId, '--timeout', '60s', '--json'], { cwd: dir });
  const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml'], { cwd: dir });
  return { results, batches, wait, summary: JSON.parse(wait.stdout), merge };
}

describe('queue mode with the resident pytest runner and a real Redis', () => {
  it('each worker starts pytest once and is fed all its batches; every test ran once, the merge is complete', { timeout: 90_000 }, async () => {
    const { dir, env } = pytestSuite();
    const { results, batches, summary, merge } = await runWorkers(dir, env, 'resident-py');
    for (const r of results) {
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/the runner stays up between batches \(.*split_tests_feed\.py; ready in/);
    }
    expect(summary).toMatchObject({ items: 8, passed: 8, failed: 0, lost: 0, complete: true });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('complete: all 8 planned files have testcases');
    expect([...casesPerFile(join(dir, 'merged.xml')).values()]).toEqual(Array(8).fill(2));
    // one session per batch, in at most one Python per worker
    expect(pids(dir)).toHaveLength(batches.length);
    expect(batches.length).toBeGreaterThan(2);
    expect(new Set(pids(dir)).size).toBeLessThanOrEqual(2);
  });

  it('--no-resident runs a Python per batch; a failing test and a test that kills its Python fail their batches only', { timeout: 90_000 }, async () => {
    const { dir, env } = pytestSuite();
    const plain = await runWorkers(dir, env, 'plain-py', ['--no-resident']);
    for (const r of plain.results) expect(r.stderr).not.toContain('stays up');
    expect(new Set(pids(dir)).size).toBe(plain.batches.length);

    const broken = pytestSuite({
      'tests/test_f3.py': 'def test_one():\n    assert 1 == 2\n\ndef test_two():\n    pass\n',
      'tests/test_f5.py': 'import os\n\ndef test_one():\n    os._exit(0)\n\ndef test_two():\n    pass\n',
    });
    const { results, summary, merge } = await runWorkers(broken.dir, broken.env, 'broken-py');
    expect(results.some((r) => r.exitCode === 1)).toBe(true);
    expect(results.map((r) => r.stderr).join('\n')).toMatch(/the resident runner exited \(code 0\) in the middle of batch \d+; the next batch starts it again/);
    // test_f3 and test_f5 fail, and whatever shared the killed Python's batch (its report is a placeholder)
    expect(summary).toMatchObject({ items: 8, lost: 0, complete: true });
    expect(summary.failed).toBeGreaterThanOrEqual(2);
    // the killed batch has a placeholder report (the command "exited 0" without one), never a pass
    expect(merge.exitCode).toBe(1);
    const merged = readFileSync(join(broken.dir, 'merged.xml'), 'utf8');
    expect(merged).toMatch(/file="tests\/test_f3.py"[^>]*>\s*<failure/);
    expect(merged).toMatch(/file="tests\/test_f5.py"[^>]*>\s*<(error|failure)/);
  });
});

describe('queue mode with the resident vitest runner, in-process', () => {
  it('two workers each keep one Vitest up; the batch reports merge complete, every testcase once', { timeout: 90_000 }, async () => {
    const dir = runnerProject('vitest');
    const run = await runCli(['run', '--parallel', '--queue', '--concurrency', '2', '--runner', 'vitest', '--junit', 'r/junit-{shard}.xml', '--json', 'tests'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr.match(/the runner stays up between batches \(.*split-tests-feed\.mjs; ready in/g)).toHaveLength(2);
    const merge = await runCli(['merge', 'r/*.xml', '--output', 'merged.xml'], { cwd: dir });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('merged 3 reports into merged.xml: 14 tests, 0 failures');
    expect(merge.stderr).toContain('complete: all 3 planned files have testcases');
  });
});

describe('run --parallel --queue --runner jest with the resident jest driver', () => {
  it('each worker keeps jest up; the merged report and exit code equal --no-resident', { timeout: 120_000 }, async () => {
    const dir = runnerProject('jest');
    writeFiles(dir, { 'tests/fails.test.js': "test('fails', () => expect(1).toBe(2));\ntest('passes', () => {});\n" });
    const merged = async (reports: string, extra: string[]) => {
      const run = await runCli(['run', '--parallel', '--queue', '--concurrency', '2', '--runner', 'jest', '--junit', `${reports}/junit-{shard}.xml`, ...extra], { cwd: dir });
      const merge = await runCli(['merge', `${reports}/junit-*.xml`, '--output', `${reports}/merged.xml`, '--allow-failures'], { cwd: dir });
      expect(merge.stderr).toContain('complete: all 4 planned files have testcases');
      const cases = parseCases(readFileSync(join(dir, reports, 'merged.xml'), 'utf8')).map((c) => `${c.classname} | ${c.name} | ${c.status}`);
      return { run, cases: cases.sort() };
    };

    const resident = await merged('resident', []);
    expect(resident.run.stderr.match(/worker \d: the runner stays up between batches \(node \S+\/runners\/jest\/split-tests-feed\.mjs; ready in/g)).toHaveLength(2);
    const commands = await merged('commands', ['--no-resident']);
    expect(commands.run.stderr).not.toContain('stays up');

    expect(resident.run.exitCode).toBe(1);
    expect(commands.run.exitCode).toBe(1);
    expect(resident.cases).toHaveLength(15);
    expect(resident.cases).toEqual(commands.cases);
    expect(resident.cases.filter((c) => c.endsWith('failed'))).toEqual(['tests/fails.test.js |  fails | failed']);
  });
});

describe('run --parallel --queue --runner rspec with the resident rspec driver', () => {
  it('each worker loads spec_helper once and is fed all its batches; every example ran once, the merge is complete', { timeout: 90_000 }, async () => {
    const dir = makeTempDir('split-tests-queue-resident-rspec-');
    const files: Record<string, string> = {
      '.rspec': '--require spec_helper\n',
      // every load of spec_helper and every run (a batch) appends the pid of its Ruby
      'spec/spec_helper.rb': [
        "File.open(File.expand_path('../loads.log', __dir__), 'a') { |f| f.puts(Process.pid) }",
        'RSpec.configure do |config|',
        "  config.before(:suite) { File.open(File.expand_path('../runs.log', __dir__), 'a') { |f| f.puts(Process.pid) } }",
        'end',
        '',
      ].join('\n'),
      'spec/f3_spec.rb': "RSpec.describe 'f3' do\n  it('fails') { expect(1).to eq(2) }\n  it('passes') { expect(3).to eq(3) }\nend\n",
    };
    for (const i of [1, 2, 4, 5, 6, 7, 8]) files[`spec/f${i}_spec.rb`] = `RSpec.describe 'f${i}' do\n  it('one') { sleep 0.05 }\n  it('two') { expect(${i}).to be > 0 }\nend\n`;
    writeFiles(dir, files);
    const run = await runCli(['run', '--parallel', '--queue', '--shards', '2', '--concurrency', '2', '--runner', 'rspec', '--junit', 'reports/junit-{shard}.xml', 'spec'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(1); // f3 fails
    expect(run.stderr.match(/the runner stays up between batches \(ruby \S+\/runners\/rspec\/split_tests_feed\.rb; ready in/g)).toHaveLength(2);
    const merge = await runCli(['merge', 'reports/*.xml', '--output', 'merged.xml', '--allow-failures'], { cwd: dir });
    expect(merge.exitCode, merge.stderr).toBe(0);
    expect(merge.stderr).toContain('complete: all 8 planned files have testcases');
    const cases = casesPerFile(join(dir, 'merged.xml'));
    expect([...cases.values()]).toEqual(Array(8).fill(2));
    expect(readFileSync(join(dir, 'merged.xml'), 'utf8')).toMatch(/name="f3 fails" file="spec\/f3_spec.rb"[^>]*>\s*<failure/);
    // one run per batch, in at most one Ruby per worker, which loaded spec_helper once
    const runs = readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');
    const loads = readFileSync(join(dir, 'loads.log'), 'utf8').trim().split('\n');
    expect(runs.length).toBeGreaterThan(2);
    expect(new Set(runs).size).toBeLessThanOrEqual(2);
    expect(loads.sort()).toEqual([...new Set(runs)].sort());
  });
});
