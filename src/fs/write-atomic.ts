import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createTempPath, releaseTempPath } from './temp-files.js';

/**
 * Writes a file so that readers (a `merge` started early, a CI artifact upload) see either the old
 * content or the whole new one, never half: write a temporary sibling, then rename over.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // registered while it exists: a signal or an exit removes it (src/fs/temp-files.ts)
  const temporary = createTempPath(path);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    releaseTempPath(temporary);
  }
}
