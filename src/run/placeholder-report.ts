import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PLACEHOLDER_PROPERTY, SYNTHETIC_ERROR_TYPE } from './placeholder-marks.js';

/** A report split-tests wrote in place of one a shard's command never wrote. */
export interface PlaceholderReport {
  readonly report: string;
  /** "K/N", as the report's marker says. */
  readonly shard: string;
  /** The files its placeholder testcases stand for: planned, but not shown to have run. */
  readonly files: readonly string[];
}

/** Our marker sits in the first few hundred bytes; a real report is never read further. */
const HEAD_BYTES = 4096;
const MARKER = `<property name="${PLACEHOLDER_PROPERTY}"`;

/**
 * The placeholder reports among `reports` (src/run/synthetic-report.ts), found by the marker in
 * the report itself, so they are known even when the sidecar notes were not kept with them.
 */
export async function findPlaceholderReports(reports: readonly string[]): Promise<PlaceholderReport[]> {
  const found: PlaceholderReport[] = [];
  for (const report of reports) {
    if (!(await headHasMarker(report))) continue;
    const read = await readPlaceholders(report);
    if (read !== undefined) found.push({ report, ...read });
  }
  return found;
}

async function headHasMarker(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return false; // unreadable reports are the merge's to report
  }
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.toString('utf8', 0, bytesRead).includes(MARKER);
  } finally {
    await handle.close();
  }
}

async function readPlaceholders(path: string): Promise<{ shard: string; files: string[] } | undefined> {
  // loaded only for a placeholder: saxes alone adds ~15 MB to every merge's peak RSS
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ xmlns: false });
  let shard: string | undefined;
  const files: string[] = [];
  let caseFile: string | undefined;
  let broken = false;
  parser.on('error', () => {
    broken = true;
  });
  parser.on('opentag', (tag) => {
    const attr = (name: string): string | undefined => {
      const value = tag.attributes[name];
      return typeof value === 'string' ? value : undefined;
    };
    if (tag.name === 'property' && attr('name') === PLACEHOLDER_PROPERTY) shard ??= attr('value');
    else if (tag.name === 'testcase') caseFile = attr('file') ?? attr('classname');
    else if (tag.name === 'error' && attr('type') === SYNTHETIC_ERROR_TYPE && caseFile !== undefined) {
      files.push(caseFile);
      caseFile = undefined;
    }
  });
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      parser.write(chunk as string);
      if (broken) break;
    }
    if (!broken) parser.close();
  } catch {
    broken = true;
  }
  // a damaged placeholder is the merge's to refuse; here it simply counts as no placeholder
  if (broken || shard === undefined) return undefined;
  return { shard, files };
}
