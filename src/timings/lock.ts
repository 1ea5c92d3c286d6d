import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../errors.js';

export interface LockOptions {
  /** Give up waiting after this long. */
  readonly timeoutMs?: number;
  /** A lock older than this was left by a killed process and is taken over. */
  readonly staleMs?: number;
}

/**
 * Runs `task` while holding `<path>.lock` (created exclusively). The history write is atomic on
 * its own, so two concurrent `record`s can never corrupt the file; the lock makes sure neither
 * loses the other's run (read, add, write is not atomic). A lock left by a killed process is
 * taken over once it is `staleMs` old.
 */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 120_000;
  await mkdir(dirname(lockPath), { recursive: true });
  const started = Date.now();
  let wait = 10;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`${lockPath}: cannot create the lock file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
          hint: 'the history folder must be writable',
          cause: error,
        });
      }
    }
    const age = await lockAge(lockPath);
    if (age !== undefined && age > staleMs) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new UserError(`${lockPath}: another split-tests record has held the history for over ${Math.round(timeoutMs / 1000)}s`, {
        hint: `if no record is running, delete ${lockPath}`,
      });
    }
    // jitter, so that waiting writers do not retry in lockstep
    await delay(wait + Math.floor(Math.random() * wait));
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await task();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function lockAge(lockPath: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined; // released meanwhile: try again at once
  }
}
