import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../run/parse-cases.js';
import { cliPath, makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const hostile = join(repoRoot, 'fixtures', 'hostile');
const GLOB = 'tests/**/*.test.mjs';
/** The recording runner: `node record-argv.mjs --junit-out {junit} <files>`. */
const RECORD = ['node', 'record-argv.mjs', '--junit-out', '{junit}'];

/** A fresh copy of fixtures/hostile, so nothing the runs write lands in the working tree. */
function project(extra: Record<string, string> = {}): string {
  const dir = makeTempDir('split-tests-run-hostile-');
  cpSync(hostile, dir, { recursive: true });
  writeFiles(dir, extra);
  return dir;
}

/** The file names as stored in the fixture, read from disk (not retyped here). */
const names = readdirSync(join(hostile, 'tests'))
  .map((name) => `tests/${name}`)
  .sort();

function recorded(dir: string, shard: string): { argv: string[]; shard: string; plan: string } {
  return JSON.parse(readFileSync(join(dir, `argv-${shard.replace('/', '-of-')}.json`), 'utf8'));
}

function pwned(dir: string): boolean {
  return existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'tests', 'pwned')) || existsSync(join(repoRoot, 'pwned'));
}

describe('split-tests run: hostile file names', () => {
  it('has the names the issue asks for', () => {
    expect(names).toEqual(
      expect.arrayContaining(['tests/ünïcode ✓.test.mjs', `tests/it's "quoted".test.mjs`, 'tests/$(touch pwned).test.mjs', 'tests/a;b&c.test.mjs']),
    );
  });

  it('two shards one after the other: every name reaches the runner intact, exactly once, and nothing executes', async () => {
    const dir = project();
    const fingerprint = JSON.parse((await runCli(['plan', '--shards', '2', GLOB, '--json'], { cwd: dir })).stdout).fingerprint;
    const seen: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const result = await runCli(['run', '--shard', shard, GLOB, '--junit', 'reports/{shard}.xml', '--', ...RECORD], { cwd: dir });
      expect(result.stderr).toContain(`shard ${shard}: `);
      expect(result.exitCode).toBe(0);
      const got = recorded(dir, shard);
      expect(got.shard).toBe(shard);
      expect(got.plan).toBe(fingerprint);
      const index = shard[0]!;
      expect(got.argv.slice(0, 2)).toEqual(['--junit-out', `reports/${index}.xml`]);
      seen.push(...got.argv.slice(2));
      // the runner's own output streams through to our stdout
      for (const file of got.argv.slice(2)) expect(result.stdout).toContain(`ok   ${file}\n`);
      const cases = parseCases(readFileSync(join(dir, 'reports', `${index}.xml`), 'utf8'));
      expect(cases.map((c) => c.file)).toEqual(got.argv.slice(2));
      expect(cases.every((c) => c.status === 'passed')).toBe(true);
      const sidecar = JSON.parse(readFileSync(join(dir, 'reports', `${index}.xml.split-tests.json`), 'utf8'));
      expect(sidecar).toMatchObject({ schemaVersion: 1, index: Number(index), total: 2, fingerprint, files: got.argv.slice(2), exitCode: 0 });
    }
    expect([...seen].sort()).toEqual(names);
    expect(pwned(dir)).toBe(false);
  });

  it('--parallel: all shards here, output prefixed by shard, a summary table, one JSON document', async () => {
    const dir = project();
    const result = await runCli(['run', '--parallel', '--shards', '3', '--concurrency', '3', GLOB, '--junit', 'reports/{shard}.xml', '--json', '--', ...RECORD], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ schemaVersion: 1, shardCount: 3, exitCode: 0, passed: true });
    expect(summary.shards.map((s: { index: number; status: string }) => [s.index, s.status])).toEqual([[1, 'passed'], [2, 'passed'], [3, 'passed']]);
    const all = summary.shards.flatMap((s: { files: string[] }) => s.files);
    expect([...all].sort()).toEqual(names);
    for (const shard of summary.shards as { index: number; files: string[]; junit: string }[]) {
      expect(recorded(dir, `${shard.index}/3`).argv).toEqual(['--junit-out', `reports/${shard.index}.xml`, ...shard.files]);
      expect(shard.junit).toBe(`reports/${shard.index}.xml`);
      // with --json the children's stdout goes to stderr, each line prefixed by its shard
      for (const file of shard.files) expect(result.stderr).toContain(`[${shard.index}/3] ok   ${file}\n`);
    }
    expect(result.stderr).toMatch(/^shard\s+files\s+estimated\s+measured\s+result$/m);
    expect(result.stderr).toMatch(/^3\/3\s+3\s+-\s+[\d.]+ s\s+passed$/m);
    expect(result.stderr).toMatch(/^all\s+9\s+-\s+[\d.]+ s\s+passed; wall time, 3 at a time$/m);
    expect(pwned(dir)).toBe(false);
  });

  it('puts the files in place of {files} and expands {shard} and {total} in the command, not in file names', async () => {
    const dir = project();
    const result = await runCli(['run', '--shard', '1/1', GLOB, '--', 'node', 'record-argv.mjs', 'first', '{files}', 'shard={shard}', 'of={total}'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(recorded(dir, '1/1').argv).toEqual(['first', ...names, 'shard=1', 'of=1']);
    expect(names).toContain('tests/{files} {shard}.test.mjs');
  });

  it("passes a failing command's exit code through, keeping its own report", async () => {
    const dir = project({ 'tests/a;b&c.test.mjs': 'FAIL' });
    const result = await runCli(['run', '--shard', '1/1', GLOB, '--junit', 'out/junit.xml', '--', ...RECORD], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^split-tests: shard 1\/1 failed \(exit 1\) in [\d.]+ s$/m);
    const cases = parseCases(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8'));
    expect(cases.filter((c) => c.status === 'failed').map((c) => c.file)).toEqual(['tests/a;b&c.test.mjs']);
    expect(cases).toHaveLength(names.length);
  });

  it('writes a synthetic report, one errored testcase per file, when the command dies before writing one', async () => {
    const dir = project();
    const result = await runCli(['run', '--shard', '2/2', GLOB, '--junit', 'reports/{shard}.xml', '--', 'node', '-e', 'process.exit(3)'], { cwd: dir });
    expect(result.exitCode).toBe(3);
    const planned = JSON.parse(readFileSync(join(dir, 'reports', '2.xml.split-tests.json'), 'utf8'));
    expect(planned).toMatchObject({ index: 2, total: 2, exitCode: 3, syntheticReport: true });
    const cases = parseCases(readFileSync(join(dir, 'reports', '2.xml'), 'utf8'));
    expect(cases.map((c) => c.file)).toEqual(planned.files);
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.status === 'error' && c.message?.includes('exited with code 3'))).toBe(true);
    expect(result.stderr).toMatch(/shard 2\/2: the JUnit report .*2\.xml is missing; wrote one errored testcase per file/);
  });

  it('stops a command that outlives --timeout: exit 124, one clear line, and a synthetic report', async () => {
    const dir = project();
    const result = await runCli(
      ['run', '--shard', '1/1', GLOB, '--timeout', '0.5s', '--junit', 'r.xml', '--', 'node', '-e', 'setInterval(() => {}, 1000)'],
      { cwd: dir },
    );
    expect(result.exitCode).toBe(124);
    expect(result.stderr).toContain('split-tests: shard 1/1 timed out after 0.5 s; the command was stopped with SIGTERM (exit 124)');
    expect(parseCases(readFileSync(join(dir, 'r.xml'), 'utf8')).every((c) => c.status === 'error')).toBe(true);
  });

  it('stopping split-tests (SIGTERM) stops the command, finishes the report and exits 128 + 15', async () => {
    const dir = project();
    const hang = "require('fs').writeFileSync('started', ''); setInterval(() => {}, 1000)";
    const child = spawn(process.execPath, [cliPath, 'run', '--shard', '1/1', GLOB, '--junit', 'r.xml', '--', 'node', '-e', hang], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // signal once the command really runs (polling the file it writes, no fixed sleep)
    while (!existsSync(join(dir, 'started'))) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(stderr).toContain('shard 1/1: split-tests received SIGTERM and stopped the command (exit 143)');
    expect(parseCases(readFileSync(join(dir, 'r.xml'), 'utf8')).map((c) => c.status)).toEqual(names.map(() => 'error'));
  });

  it('reports a command killed by a signal as 128 + its number', async () => {
    const dir = project();
    const result = await runCli(['run', '--shard', '1/1', GLOB, '--', 'node', '-e', "process.kill(process.pid, 'SIGKILL')"], { cwd: dir });
    expect(result.exitCode).toBe(137);
    expect(result.stderr).toContain('the command was killed by SIGKILL (exit 137)');
  });

  it('an empty shard succeeds without starting the command, says so, and still writes an empty report and sidecar', async () => {
    const dir = project();
    const result = await runCli(['run', '--shard', '10/10', GLOB, '--junit', 'reports/{shard}.xml', '--', 'no-such-runner-xyz'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('shard 10/10 has no test files; the command was not started');
    expect(parseCases(readFileSync(join(dir, 'reports', '10.xml'), 'utf8'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'reports', '10.xml.split-tests.json'), 'utf8'))).toMatchObject({ index: 10, total: 10, files: [], exitCode: 0 });
  });

  it('takes the command, the JUnit path and the timeout from the config, and the shard from SPLIT_TESTS_SHARD', async () => {
    const dir = project({
      'split-tests.config.json': JSON.stringify({ tests: [GLOB], run: { command: [...RECORD, '{files}'], junit: 'junit/shard-{shard}.xml', timeoutSeconds: 60 } }),
    });
    const result = await runCli(['run'], { cwd: dir, env: { SPLIT_TESTS_SHARD: '2/3' } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('shard 2/3 from SPLIT_TESTS_SHARD');
    const got = recorded(dir, '2/3');
    expect(got.argv.slice(0, 2)).toEqual(['--junit-out', 'junit/shard-2.xml']);
    expect(parseCases(readFileSync(join(dir, 'junit', 'shard-2.xml'), 'utf8')).map((c) => c.file)).toEqual(got.argv.slice(2));
  });

  describe('usage errors: exit 2, one line naming the problem, nothing started', () => {
    const cases: [string, string[], RegExp][] = [
      ['a command that does not exist', ['--shard', '1/2', GLOB, '--', 'no-such-runner-xyz', 'run'], /^split-tests: run: command not found: no-such-runner-xyz$/m],
      ['no command at all', ['--shard', '1/2', GLOB], /^split-tests: run: no test command$/m],
      ['no shard', [GLOB, '--', ...RECORD], /no shard given/],
      ['a bad --timeout', ['--shard', '1/2', GLOB, '--timeout', '5 parsecs', '--', ...RECORD], /^split-tests: --timeout "5 parsecs": expected seconds > 0/m],
      ['--parallel with a --junit that would be overwritten', ['--parallel', '--shards', '2', GLOB, '--junit', 'r.xml', '--', ...RECORD], /--junit r\.xml: must contain \{shard\}/],
      ['--shards and --shard disagreeing', ['--parallel', '--shards', '3', '--shard', '1/2', GLOB, '--', ...RECORD], /disagree/],
      ['{junit} in the command without --junit', ['--shard', '1/2', GLOB, '--', 'node', 'record-argv.mjs', '--junit-out', '{junit}'], /uses \{junit\} but no --junit/],
    ];
    it.each(cases)('%s', async (_, args, message) => {
      const dir = project();
      const result = await runCli(['run', ...args], { cwd: dir });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^hint: /m);
      expect(result.exitCode).toBe(2);
      expect(readdirSync(dir).filter((f) => f.startsWith('argv-'))).toEqual([]);
    });
  });
});
