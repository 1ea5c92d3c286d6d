import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createTempPath, releaseTempPath } from './temp-files.js';

export interface WriteAtomicOptions {
  /** Never over an existing file: fails with EEXIST instead, in one step (no check-then-write race). */
  readonly exclusive?: boolean | undefined;
}

/**
 * Writes a file so that readers (a `merge` started early, a CI artifact upload) see either the old
 * content or the whole new one, never half: write a temporary sibling, then rename over it (or,
 * exclusive, hard-link it into place, which fails when the name is taken).
 */
export async function writeFileAtomic(path: string, content: string, options: WriteAtomicOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // registered while it exists: a signal or an exit removes it (src/fs/temp-files.ts)
  const temporary = createTempPath(path);
  try {
    await writeFile(temporary, content);
    if (options.exclusive === true) await linkOrCreate(temporary, path, content);
    else await rename(temporary, path);
  } finally {
    // after a rename there is nothing left; after a link, or a failure, the sibling goes
    await rm(temporary, { force: true });
    releaseTempPath(temporary);
  }
}

/** A file system without hard links (some network and FUSE mounts): create exclusively instead. */
async function linkOrCreate(temporary: string, path: string, content: string): Promise<void> {
  try {
    await link(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await writeFile(path, content, { flag: 'wx' });
  }
}
