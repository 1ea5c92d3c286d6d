/**
 * Writes a generated CI configuration where the CI system looks for it, never over a file the
 * user has (possibly edited) unless they said --force, and never half: the text goes to a
 * temporary sibling first, which then takes the name in one step.
 */
import { link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import { createTempPath, releaseTempPath } from '../../fs/temp-files.js';

export async function writeTemplateFile(path: string, label: string, text: string, force: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // registered while it exists: a signal or an exit removes it (src/fs/temp-files.ts)
  const temporary = createTempPath(path);
  try {
    await writeFile(temporary, text);
    // rename replaces; link fails with EEXIST when the file exists, in one step (no check-then-write race)
    if (force) await rename(temporary, path);
    else await linkOrCreate(temporary, path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UserError(`${label} already exists; not overwriting it`, {
        hint: 'pass --force to replace it, or --output FILE to write elsewhere (--output - prints it)',
      });
    }
    if (code === 'EISDIR') throw new UserError(`${label}: is a folder`, { hint: 'pass --output FILE' });
    throw new UserError(`${label}: cannot write (${code ?? String(error)})`, { cause: error });
  } finally {
    await rm(temporary, { force: true });
    releaseTempPath(temporary);
  }
}

/** A file system without hard links (some network and FUSE mounts): create exclusively instead. */
async function linkOrCreate(temporary: string, path: string, text: string): Promise<void> {
  try {
    await link(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await writeFile(path, text, { flag: 'wx' });
  }
}
