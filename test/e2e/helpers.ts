import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in test/e2e). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI, as users run it: `npm run build` (or `npx tsc -p .`) first. */
export const cliPath = join(repoRoot, 'dist', 'cli', 'index.js');
/** Real timing histories shared by the team (../shared/data/timings). */
export const sharedTimings = resolve(repoRoot, '..', 'shared', 'data', 'timings');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunCliOptions {
  cwd: string;
  /** Added to the minimal environment (PATH, HOME, NO_COLOR=1); nothing else leaks in from the host. */
  env?: Record<string, string>;
  /** Written to the CLI's stdin (then closed); stdin is empty otherwise. */
  input?: string;
}

/**
 * Spawns `node dist/cli/index.js ...args` with a minimal environment, so that CI variables of the
 * machine running the tests (CI_NODE_INDEX on GitLab, ...) never change what the CLI does.
 */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOME: process.env['HOME'] ?? tmpdir() };
  Object.assign(env, options.env ?? {});
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? (signal ? 128 : 1),
      });
    });
    child.stdin.on('error', () => {
      // the CLI may exit before reading stdin (e.g. a usage error); that is not a test failure
    });
    child.stdin.end(options.input ?? '');
  });
}

const made: string[] = [];

/** A fresh temporary folder; removed by `removeTempDirs()` (call it in afterAll). */
export function makeTempDir(prefix = 'split-tests-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes files (path relative to `root` -> content), creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Non-empty stdout lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Alive and not a zombie (this container's init does not reap orphans). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}
