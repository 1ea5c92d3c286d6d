import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../run/parse-cases.js';
import { cliPath, makeTempDir, processAlive as alive, removeTempDirs, runCli, writeFiles } from './helpers.js';

const started: ChildProcess[] = [];
afterAll(() => {
  // a failed test may leave its split-tests running: stop it (a passing one has exited)
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  removeTempDirs();
});

const GLOB = 'tests/*.test.js';

function project(extra: Record<string, string> = {}): string {
  const dir = makeTempDir('split-tests-stop-');
  writeFiles(dir, { ...Object.fromEntries(['a', 'b', 'c'].map((n) => [`tests/${n}.test.js`, ''])), ...extra });
  return dir;
}

/** The pids the commands wrote (one file per shard), read once they all exist. */
function pidsIn(dir: string, prefix: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split(/\s+/).filter((p) => p !== '').map(Number));
}

/** Starts the CLI; `until(files)` resolves once the named files exist in dir (polled, no fixed sleep). */
function start(dir: string, args: string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout.resume();
  let exited = false;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));
  const until = async (test: () => boolean): Promise<void> => {
    while (!test()) {
      if (exited) throw new Error(`split-tests exited before the test could signal it:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, closed, until, stderr: () => stderr };
}

// each shard's shell starts a background sleep and a foreground one, writing their pids (and its own)
const shell = (name: string, trap = ''): string[] => ['bash', '-c', `${trap}sleep 1000 & echo $$ $! > ${name}; sleep 1001 & echo $! >> ${name}; wait`, '{files}'];

describe('stopping commands: nothing survives, stdout closes, exit codes follow the shell', () => {
  it('run --timeout stops the whole process group (exit 124), and stdout closes', async () => {
    const dir = project();
    // runCli resolves only once our stdout and stderr close: a surviving sleep would hold them open
    const result = await runCli(['run', '--shard', '1/1', GLOB, '--timeout', '2s', '--junit', 'r.xml', '--', ...shell('pids-1')], { cwd: dir });
    expect(result.exitCode).toBe(124);
    const pids = pidsIn(dir, 'pids-');
    expect(pids).toHaveLength(3);
    expect(pids.filter(alive)).toEqual([]);
    expect(parseCases(readFileSync(join(dir, 'r.xml'), 'utf8')).every((c) => c.status === 'error')).toBe(true);
  });

  it('a command that exits leaving a background job: the job is stopped, stdout closes, the exit code stays', async () => {
    const dir = project();
    const result = await runCli(['run', '--shard', '1/1', GLOB, '--', 'bash', '-c', 'sleep 1000 & echo $! > pids-1; exit 0', '{files}'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('shard 1/1: the command exited but left processes running in its process group; split-tests stopped them');
    expect(pidsIn(dir, 'pids-').filter(alive)).toEqual([]);
  });

  it('SIGINT during run --parallel: every running group stopped, no new shard started, reports finished, exit 130', async () => {
    const dir = project();
    const run = start(dir, ['run', '--parallel', '--shards', '3', '--concurrency', '2', GLOB, '--junit', 'r/{shard}.xml', '--', ...shell('pids-{shard}')]);
    await run.until(() => pidsIn(dir, 'pids-').length === 6);
    run.child.kill('SIGINT');
    expect(await run.closed).toBe(130);
    expect(pidsIn(dir, 'pids-').filter(alive)).toEqual([]);
    const started = readdirSync(dir).filter((f) => f.startsWith('pids-'));
    expect(started).toHaveLength(2);
    const waiting = [1, 2, 3].find((k) => !started.includes(`pids-${k}`))!;
    expect(run.stderr()).toContain(`shard ${waiting}/3 was not started: split-tests received SIGINT (exit 130)`);
    for (const k of [1, 2, 3]) {
      expect(parseCases(readFileSync(join(dir, 'r', `${k}.xml`), 'utf8')).every((c) => c.status === 'error')).toBe(true);
    }
  });

  it('a second SIGINT is not ignored: commands that ignore the first are killed at once', async () => {
    const dir = project();
    const run = start(dir, ['run', '--parallel', '--shards', '2', GLOB, '--junit', 'r/{shard}.xml', '--', ...shell('pids-{shard}', "trap '' INT TERM; ")]);
    await run.until(() => pidsIn(dir, 'pids-').length === 6);
    run.child.kill('SIGINT');
    await run.until(() => run.stderr().includes('received SIGINT: stopping every command'));
    run.child.kill('SIGINT');
    expect(await run.closed).toBe(130);
    expect(run.stderr()).toContain('received SIGINT again: killing every command now (SIGKILL)');
    expect(pidsIn(dir, 'pids-').filter(alive)).toEqual([]);
    expect(existsSync(join(dir, 'r', '1.xml')) && existsSync(join(dir, 'r', '2.xml'))).toBe(true);
  });

  it('SIGTERM during a pipeline step stops what its shell started too (exit 143)', async () => {
    const dir = project({
      'split-tests.config.json': JSON.stringify({
        tests: [GLOB],
        run: { command: ['node', '-e', '0', '{files}'], junit: 'r/{shard}.xml' },
        pipeline: { build: 'sleep 1000 & echo $$ $! > pids-build; wait' },
      }),
    });
    const run = start(dir, ['pipeline', 'run', '--shards', '2']);
    await run.until(() => pidsIn(dir, 'pids-').length === 2);
    run.child.kill('SIGTERM');
    expect(await run.closed).toBe(143);
    expect(pidsIn(dir, 'pids-').filter(alive)).toEqual([]);
  });

  it('SIGTERM of merge mid-write leaves no .tmp beside the output, and merge dies of that signal', async () => {
    const dir = project();
    // a report that is a FIFO: the merge opens its temporary output, then waits for the report forever
    execFileSync('mkfifo', [join(dir, 'stuck.xml')]);
    const merge = start(dir, ['merge', 'stuck.xml', '--output', 'out/merged.xml']);
    const temps = (): string[] => (existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).filter((f) => f.endsWith('.tmp'));
    writeFiles(dir, { 'out/.keep': '' });
    await merge.until(() => temps().length === 1);
    merge.child.kill('SIGTERM');
    await merge.closed;
    expect(merge.child.signalCode).toBe('SIGTERM');
    expect(temps()).toEqual([]);
    expect(existsSync(join(dir, 'out', 'merged.xml'))).toBe(false);
  });
});
