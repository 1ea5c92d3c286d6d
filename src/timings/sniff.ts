import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';

export type SourceFormat = 'xml' | 'json';

/**
 * Tells XML from JSON by the first significant character, never by the name: CI artifacts are
 * renamed freely and pytest-split's `.test_durations` has no extension at all.
 */
export async function sniffFormat(absolute: string, source: string): Promise<SourceFormat> {
  let head: string;
  try {
    const handle = await open(absolute, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(source, error);
  }
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') {
    if (head.length < 4096) throw new UserError(`${source}: the timings file is empty`, { hint: 'remove it from --timings, or let the test runner write it again' });
    throw new UserError(`${source}: the timings file starts with 4 KiB of blank space`, { hint: 'pass JUnit XML, a JSON map of seconds, or a split-tests history file' });
  }
  if (text.startsWith('<')) return 'xml';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  throw new UserError(`${source}:1:1: neither JUnit XML nor JSON (starts with ${JSON.stringify(text.slice(0, 12))})`, {
    hint: 'pass JUnit XML, a JSON map of seconds, or a split-tests history file',
  });
}

export function unreadable(source: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code === 'ENOENT' ? 'no such file' : (code ?? String(error));
  return new UserError(`${source}: cannot read the timings file (${why})`, { hint: 'check the path and permissions given to --timings', cause: error });
}
