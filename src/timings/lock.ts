import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { writeError } from '../fs/write-error.js';

export interface LockOptions {
  /** Give up waiting for a live holder after this long. */
  readonly timeoutMs?: number;
  /** A lock from another host older than this was left by a killed process and is taken over. */
  readonly staleMs?: number;
  /** How messages name the locked file (the path as the user gave it); default `path`. */
  readonly label?: string | undefined;
  /** Told when a lock left by a process that is gone is taken over. */
  readonly onTakeover?: ((message: string) => void) | undefined;
}

/** What a lock file says about its holder: `pid`, `host`, a token unique to this taking. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/**
 * Runs `task` while holding `<path>.lock` (created exclusively). The history write is atomic on
 * its own, so two concurrent `record`s can never corrupt the file; the lock makes sure neither
 * loses the other's run (read, add, write is not atomic). A lock whose holder is gone is taken
 * over at once: on this host when its pid is no longer alive (a `record` killed with SIGKILL
 * never ran its cleanup), from another host (a shared cache folder) once it is `staleMs` old,
 * since that pid cannot be checked from here.
 */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const label = `${options.label ?? path}.lock`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 120_000;
  try {
    await mkdir(dirname(lockPath), { recursive: true });
  } catch (error) {
    throw await writeError(label, lockPath, error);
  }
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const started = Date.now();
  let wait = 10;
  for (;;) {
    if (await tryCreate(lockPath, label, me)) break;
    const gone = await holderGone(lockPath, staleMs);
    if (gone !== undefined) {
      if (await takeOver(lockPath, gone.text)) options.onTakeover?.(`${label}: took over the lock of ${gone.why}`);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new UserError(`${label}: another split-tests record has held the history for over ${Math.round(timeoutMs / 1000)}s`, {
        hint: `if no record is running, delete ${label}`,
      });
    }
    // jitter, so that waiting writers do not retry in lockstep
    await delay(wait + Math.floor(Math.random() * wait));
    wait = Math.min(wait * 2, 200);
  }
  try {
    return await task();
  } finally {
    // only our own lock: had it been taken from us (we looked dead), the new holder's stays
    if ((await readText(lockPath)) === describeHolder(me)) await rm(lockPath, { force: true });
  }
}

function describeHolder(holder: Holder): string {
  return `${holder.pid}\n${holder.host}\n${holder.token}\n`;
}

/** Reads `pid\nhost\ntoken`; older split-tests wrote the pid alone. */
export function parseHolder(text: string): { pid?: number; host?: string } {
  const [pidLine, hostLine] = text.split('\n');
  const pid = /^\d+$/.test(pidLine?.trim() ?? '') ? Number(pidLine!.trim()) : undefined;
  const host = hostLine?.trim() || undefined;
  return { ...(pid !== undefined ? { pid } : {}), ...(host !== undefined ? { host } : {}) };
}

async function tryCreate(lockPath: string, label: string, me: Holder): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw await writeError(label, lockPath, error);
  }
  try {
    await handle.writeFile(describeHolder(me));
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Whether the lock's holder is gone, and why; undefined while it may still be working. A lock
 * with no readable holder (killed between creating and writing it) is judged by its age alone.
 */
async function holderGone(lockPath: string, staleMs: number): Promise<{ text: string; why: string } | undefined> {
  const text = await readText(lockPath);
  if (text === undefined) return undefined; // released meanwhile: try again at once
  const holder = parseHolder(text);
  const sameHost = holder.host === undefined ? undefined : holder.host === hostname();
  // a lock without a host (older split-tests) was most likely written here: check its pid too
  if (holder.pid !== undefined && sameHost !== false && !isAlive(holder.pid)) {
    return { text, why: `process ${holder.pid}, which is no longer running` };
  }
  const age = await ageMs(lockPath);
  if (age !== undefined && age > staleMs) {
    const who = holder.pid === undefined ? 'an unknown process' : `process ${holder.pid}${sameHost === false ? ` on ${holder.host}` : ''}`;
    return { text, why: `${who}, ${Math.round(age / 1000)}s old` };
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the stale lock only if it still holds what was judged stale: two waiters may judge the
 * same dead lock, and the slower one must not remove the lock the faster one has just taken. The
 * check and the removal happen under a second, short-lived lock (`<lock>.takeover`), so no two
 * takers interleave; a takeover lock is held for milliseconds, so an old one was left by a taker
 * killed meanwhile and is cleared.
 */
async function takeOver(lockPath: string, staleText: string): Promise<boolean> {
  const mutex = `${lockPath}.takeover`;
  try {
    await (await open(mutex, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const age = await ageMs(mutex);
      if (age !== undefined && age > TAKEOVER_STALE_MS) await rm(mutex, { force: true });
    }
    return false;
  }
  try {
    if ((await readText(lockPath)) !== staleText) return false;
    await rm(lockPath, { force: true });
    return true;
  } finally {
    await rm(mutex, { force: true });
  }
}

const TAKEOVER_STALE_MS = 10_000;

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}
