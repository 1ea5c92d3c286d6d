/**
 * Writes a generated CI configuration where the CI system looks for it, never over a file the
 * user has (possibly edited) unless they said --force, and never half (src/fs/write-atomic.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';

export async function writeTemplateFile(path: string, label: string, text: string, force: boolean): Promise<void> {
  // outside the try: a folder that cannot be made is the caller's --output error, not "already exists"
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFileAtomic(path, text, { exclusive: !force });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UserError(`${label} already exists; not overwriting it`, {
        hint: 'pass --force to replace it, or --output FILE to write elsewhere (--output - prints it)',
      });
    }
    if (code === 'EISDIR') throw new UserError(`${label}: is a folder`, { hint: 'pass --output FILE' });
    throw new UserError(`${label}: cannot write (${code ?? String(error)})`, { cause: error });
  }
}
