import { spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHolder, withFileLock } from '../../src/timings/lock.js';
import { tempTree } from './helpers.js';

/** The pid of a process that has exited: a `record` killed with SIGKILL leaves one in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

describe('withFileLock', () => {
  it('takes over at once a fresh lock whose holder on this host is dead, with a note', async () => {
    const dir = await tempTree({});
    const path = join(dir, 'history.json');
    const pid = await deadPid();
    // both shapes: older split-tests wrote the pid alone
    for (const text of [`${pid}\n`, `${pid}\n${hostname()}\nabc\n`]) {
      await writeFile(`${path}.lock`, text);
      const notes: string[] = [];
      const result = await withFileLock(path, async () => 'ran', { timeoutMs: 0, onTakeover: (m) => notes.push(m), label: 'h.json' });
      expect(result).toBe('ran');
      expect(notes).toEqual([`h.json.lock: took over the lock of process ${pid}, which is no longer running`]);
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('waits for a live holder, and for a fresh lock from another host, then gives up naming the lock', async () => {
    const dir = await tempTree({});
    const path = join(dir, 'history.json');
    for (const text of [`${process.ppid}\n${hostname()}\nx\n`, `1\nsome-other-ci-runner\nx\n`]) {
      await writeFile(`${path}.lock`, text);
      const error = await withFileLock(path, async () => 'ran', { timeoutMs: 30 }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/history\.json\.lock: another split-tests record has held the history/);
      expect(await readFile(`${path}.lock`, 'utf8')).toBe(text);
    }
  });

  it("takes over another host's lock once it is older than staleMs", async () => {
    const dir = await tempTree({});
    const path = join(dir, 'history.json');
    await writeFile(`${path}.lock`, '4242\nsome-other-ci-runner\nx\n');
    const old = new Date(Date.now() - 600_000);
    await utimes(`${path}.lock`, old, old);
    const notes: string[] = [];
    await withFileLock(path, async () => undefined, { timeoutMs: 0, staleMs: 120_000, onTakeover: (m) => notes.push(m) });
    expect(notes[0]).toMatch(/took over the lock of process 4242 on some-other-ci-runner, 6\d\ds old$/);
  });

  it('releases only its own lock, and writes pid and host into it', async () => {
    const dir = await tempTree({});
    const path = join(dir, 'history.json');
    await withFileLock(path, async () => {
      const holder = parseHolder(await readFile(`${path}.lock`, 'utf8'));
      expect(holder).toEqual({ pid: process.pid, host: hostname() });
      await writeFile(`${path}.lock`, 'someone else\n'); // as if taken over meanwhile
    });
    expect(await readFile(`${path}.lock`, 'utf8')).toBe('someone else\n');
  });

  it('lets one of many concurrent takers in at a time after a dead holder', async () => {
    const dir = await tempTree({});
    const path = join(dir, 'history.json');
    const pid = await deadPid();
    let inside = 0;
    let most = 0;
    // several rounds: the race between takers is a matter of interleaving
    for (let round = 0; round < 5; round++) {
      await writeFile(`${path}.lock`, `${pid}\n`);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withFileLock(path, async () => {
            most = Math.max(most, ++inside);
            await new Promise((resolve) => setImmediate(resolve));
            inside--;
          }),
        ),
      );
    }
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });
});
