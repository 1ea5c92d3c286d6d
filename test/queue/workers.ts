import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliPath, writeFiles, type CliResult } from '../e2e/helpers.js';

/** A worker process of the built CLI, in its own process group (so a test can kill it with its child). */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves when the worker's output (stdout or stderr) first contains `text`. */
  seen(text: string): Promise<void>;
  readonly done: Promise<CliResult>;
  /** SIGKILL to the worker and the test command it runs: a CI node lost mid-batch. */
  killGroup(): void;
}

export function startWorker(args: readonly string[], cwd: string, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOME: process.env['HOME'] ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (stdout.includes(w.text) || stderr.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); check(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); check(); });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ stdout, stderr, exitCode: code ?? (signal ? 128 : 1) }));
  });
  return {
    child,
    done,
    seen: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        void done.then(() => reject(new Error(`worker exited before printing ${JSON.stringify(text)}:\n${stdout}\n${stderr}`)));
      }),
    killGroup: () => {
      // split-tests runs each command in a process group of its own: a lost node loses those too
      for (const pid of childrenOf(child.pid!)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.kill(-child.pid!, 'SIGKILL');
    },
  };
}

/** The pids whose parent is `parent` (Linux /proc). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after the command name: state, ppid, ...
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

const RUNNER = fileURLToPath(new URL('./fixture-runner.mjs', import.meta.url));

/** A suite of `count` test files, file i "running" ms[i] milliseconds; FAIL in the names listed. */
export function writeSuite(dir: string, ms: readonly number[], failing: readonly number[] = []): string[] {
  const files: Record<string, string> = {};
  const names = ms.map((_, i) => `tests/t${String(i + 1).padStart(2, '0')}.test.mjs`);
  names.forEach((name, i) => (files[name] = `${ms[i]}${failing.includes(i) ? ' FAIL' : ''}\n`));
  writeFiles(dir, files);
  copyFileSync(RUNNER, join(dir, 'runner.mjs'));
  return names;
}

/** The worker command line after the queue options. */
export const SUITE_ARGS = ['tests/*.test.mjs', '--junit', 'reports/junit-{shard}.xml', '--', 'node', 'runner.mjs', '--junit-out', '{junit}', '{files}'];

/** Each file's testcases in a merged report (file attribute -> count). */
export function casesPerFile(mergedXml: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of readFileSync(mergedXml, 'utf8').matchAll(/<testcase [^>]*file="([^"]+)"/g)) {
    counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  }
  return counts;
}
