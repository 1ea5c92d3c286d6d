import { stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * A failed write (or the mkdir before it) as one line a user can act on: `label` names the flag
 * and the path as given (`--output out/plan.json`), the reason says what is in the way. Errors
 * that are not the file system's (bugs) are returned unchanged, so their stack still shows.
 */
export async function writeError(label: string, absolute: string, error: unknown): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || error instanceof UserError) return error;
  let reason: string;
  let hint = 'write somewhere else, or create the folder and make it writable';
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      // mkdir -p over a file says EEXIST, a write under one ENOTDIR: name the file in the way
      const file = await firstFileAbove(absolute);
      reason = file === undefined ? 'a part of the path is a file, not a folder' : `${relative(process.cwd(), file) || file} is a file, not a folder`;
      break;
    }
    case 'EACCES':
    case 'EPERM':
      reason = 'permission denied';
      break;
    case 'EROFS':
      reason = 'the file system is read-only';
      break;
    case 'EISDIR':
      reason = 'is a folder';
      hint = 'pass a file name, e.g. out/plan.json';
      break;
    case 'ENOSPC':
      reason = 'no space left on the device';
      hint = 'free some space, or write somewhere else';
      break;
    case 'ENAMETOOLONG':
      reason = 'the name is too long';
      hint = 'pass a shorter path';
      break;
    default:
      reason = `cannot write (${code})`;
  }
  return new UserError(`${label}: ${reason}`, { hint, cause: error });
}

async function firstFileAbove(path: string): Promise<string | undefined> {
  for (let dir = dirname(resolve(path)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (!(await stat(dir)).isDirectory()) return dir;
    } catch {
      // not there (yet): look further up
    }
  }
  return undefined;
}
