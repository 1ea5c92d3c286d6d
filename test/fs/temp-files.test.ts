import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'split-tests-temp-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const module = pathToFileURL(join(repoRoot, 'dist', 'fs', 'temp-files.js')).href;

/**
 * Runs `script` (an ES module importing createTempPath and friends from the built module) in a
 * child; once it prints "ready", sends it `signal`. Resolves with how it ended.
 */
function runThenSignal(script: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import { createTempPath, releaseTempPath } from ${JSON.stringify(module)};\n${script}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.includes('ready')) child.kill(signal);
  });
  return new Promise((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig, out })));
}

const temps = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('temporary files beside an output', () => {
  it('are removed on SIGTERM, and the process still dies of that signal', async () => {
    const ended = await runThenSignal(
      `import { writeFileSync } from 'node:fs';
       const temp = createTempPath('out.xml'); writeFileSync(temp, 'half');
       console.log('ready'); setInterval(() => {}, 1000);`,
      'SIGTERM',
    );
    expect(ended.signal).toBe('SIGTERM');
    expect(temps()).toEqual([]);
  });

  it("are removed on SIGINT when a worker thread wrote them (the merge's streaming writer)", async () => {
    writeFileSync(
      join(dir, 'worker.mjs'),
      `import { writeFileSync } from 'node:fs'; import { parentPort } from 'node:worker_threads';
      import { createTempPath } from ${JSON.stringify(module)};
      const temp = createTempPath('merged.xml'); writeFileSync(temp, 'half'); parentPort.postMessage(temp);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
    );
    const ended = await runThenSignal(
      `import { Worker } from 'node:worker_threads';
       const w = new Worker('./worker.mjs', { execArgv: [] });
       w.on('message', () => console.log('ready'));`,
      'SIGINT',
    );
    expect(ended.out).toContain('ready');
    expect(ended.signal).toBe('SIGINT');
    expect(temps()).toEqual([]);
  });

  it('are left to a command that listens for the signal itself, and removed when it exits', async () => {
    const ended = await runThenSignal(
      `import { existsSync, writeFileSync } from 'node:fs';
       const temp = createTempPath('plan.json'); writeFileSync(temp, 'half');
       process.on('SIGTERM', () => { console.log(existsSync(temp) ? 'kept' : 'gone'); process.exit(143); });
       console.log('ready'); setInterval(() => {}, 1000);`,
      'SIGTERM',
    );
    expect(ended.out).toContain('kept');
    expect(ended.code).toBe(143);
    expect(temps()).toEqual([]);
  });

  it('a released path is not touched', async () => {
    const ended = await runThenSignal(
      `import { renameSync, writeFileSync } from 'node:fs';
       const temp = createTempPath('done.json'); writeFileSync(temp, 'whole'); renameSync(temp, 'done.json'); releaseTempPath(temp);
       writeFileSync(temp, 'not ours any more');
       console.log('ready'); setInterval(() => {}, 1000);`,
      'SIGTERM',
    );
    expect(ended.signal).toBe('SIGTERM');
    expect(existsSync(join(dir, 'done.json'))).toBe(true);
    expect(temps()).toHaveLength(1);
    for (const f of temps()) rmSync(join(dir, f));
  });
});
