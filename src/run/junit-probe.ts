import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SaxesParser } from 'saxes';

export type ProbeResult =
  | { readonly usable: true }
  | { readonly usable: false; readonly reason: string };

const ROOTS = new Set(['testsuites', 'testsuite']);

/**
 * Whether a shard's JUnit report exists and is a complete XML document with a JUnit root. A command
 * killed mid-write leaves a truncated file; that counts as no report, so a synthetic one replaces
 * it. Streams the file (reports can be large) and never expands entities.
 */
export async function probeJUnitReport(path: string): Promise<ProbeResult> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { usable: false, reason: 'is not a file' };
    size = info.size;
  } catch {
    return { usable: false, reason: 'is missing' };
  }
  if (size === 0) return { usable: false, reason: 'is empty' };

  const parser = new SaxesParser({ xmlns: false, position: true });
  let root: string | undefined;
  let failure: string | undefined;
  parser.on('error', (error) => {
    failure ??= error.message.split('\n')[0] ?? 'malformed XML';
    throw error; // stop parsing at the first error
  });
  parser.on('opentag', (tag) => {
    root ??= tag.name;
  });
  parser.on('doctype', () => {
    failure ??= 'has a DOCTYPE (not a JUnit report)';
  });
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      parser.write(chunk as string);
      if (failure !== undefined) break;
    }
    if (failure === undefined) parser.close();
  } catch {
    // failure was recorded by the error handler
  }
  if (failure !== undefined) return { usable: false, reason: `is not well-formed XML (${failure})` };
  if (root === undefined || !ROOTS.has(root)) return { usable: false, reason: `has root <${root ?? '?'}>, not <testsuites> or <testsuite>` };
  return { usable: true };
}
