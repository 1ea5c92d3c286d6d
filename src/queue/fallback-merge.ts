import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createFileMatcher } from '../junit/match.js';
import type { ShardNote } from '../junit/shard-notes.js';
import { SHARD_META_SUFFIX, type ShardMeta } from '../run/shard-meta.js';
import { dropSupersededCases } from './superseded.js';

export interface FallbackTrim {
  /** The reports to merge: an unreported fallback shard's report replaced by its trimmed copy. */
  readonly paths: string[];
  /** One line per trimmed report, for stderr. */
  readonly lines: string[];
  /** Removes the trimmed copies. */
  cleanup(): Promise<void>;
}

/**
 * A worker that could not reach Redis ran its static shard; if it could not report that to the
 * queue either (ShardMeta.queueFallback, not `reported`), the queue's workers ran the same files
 * too. The queue's verdicts are the ones `queue wait` judged, so the merge counts those files from
 * the queue's batch reports: the fallback report is merged as a copy without their testcases (and
 * a note without them), so that no file counts twice. Files only the fallback ran stay.
 */
export async function trimUnreportedFallbacks(notes: readonly ShardNote[], paths: readonly string[], labelOf: (path: string) => string): Promise<FallbackTrim> {
  const out = [...paths];
  const lines: string[] = [];
  let dir: string | undefined;
  for (const note of notes) {
    const fallback = note.meta.queueFallback;
    if (fallback === undefined || fallback.reported) continue;
    const inQueue = new Set(notes.filter((n) => n.meta.queue?.id === fallback.id).flatMap((n) => n.meta.files));
    const overlap = new Set(note.meta.files.filter((file) => inQueue.has(file)));
    if (overlap.size === 0) continue;
    const at = out.indexOf(note.report);
    if (at === -1) continue;
    let xml: string;
    try {
      xml = await readFile(note.report, 'utf8');
    } catch {
      continue; // the merge itself says what is wrong with it
    }
    let kept: string;
    try {
      kept = dropSupersededCases(xml, labelOf(note.report), createFileMatcher(note.meta.files), overlap).xml;
    } catch (error) {
      lines.push(`${labelOf(note.report)}: could not leave out the files the queue also ran (${(error as Error).message}); they count twice`);
      continue;
    }
    const line = `${labelOf(note.report)} is static shard ${note.meta.index}/${note.meta.total} of a worker that never reached queue ${fallback.id}: `;
    if (overlap.size === note.meta.files.length) {
      // every file of it ran in the queue: the report has nothing the merge should count
      out.splice(at, 1);
      lines.push(`${line}all ${overlap.size} of its files also ran in the queue and count from the queue's reports; this report is left out`);
      continue;
    }
    dir ??= await mkdtemp(join(tmpdir(), 'split-tests-fallback-'));
    const copy = join(dir, `${at}-${basename(note.report)}`);
    const meta: ShardMeta = { ...note.meta, files: note.meta.files.filter((file) => !overlap.has(file)) };
    await writeFile(copy, kept);
    await writeFile(`${copy}${SHARD_META_SUFFIX}`, `${JSON.stringify(meta, null, 2)}\n`);
    out[at] = copy;
    lines.push(`${line}${overlap.size} of its ${note.meta.files.length} files also ran in the queue and count from the queue's reports`);
  }
  return {
    paths: out,
    lines,
    cleanup: async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}
