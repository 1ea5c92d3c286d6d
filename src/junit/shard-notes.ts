import { readFile } from 'node:fs/promises';
import { SHARD_META_SUFFIX, type ShardMeta } from '../run/shard-meta.js';

export interface ShardNote {
  readonly report: string;
  readonly meta: ShardMeta;
}

/**
 * The runner's notes beside reports (`<report>.split-tests.json`): which shard of which plan wrote
 * the report, and the files it was given. A report without one (not started by split-tests) is
 * normal; an unreadable or malformed one is a warning, since merging does not depend on it.
 */
export async function readShardNotes(reports: readonly string[]): Promise<{ notes: ShardNote[]; warnings: string[] }> {
  const notes: ShardNote[] = [];
  const warnings: string[] = [];
  for (const report of reports) {
    const path = `${report}${SHARD_META_SUFFIX}`;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)}), ignored`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      warnings.push(`${path}: malformed JSON, ignored`);
      continue;
    }
    const v = value as Partial<Record<keyof ShardMeta, unknown>> | null;
    const ok =
      typeof v === 'object' &&
      v !== null &&
      Number.isInteger(v.index) &&
      Number.isInteger(v.total) &&
      (v.index as number) >= 1 &&
      (v.index as number) <= (v.total as number) &&
      typeof v.fingerprint === 'string' &&
      Array.isArray(v.files) &&
      v.files.every((f) => typeof f === 'string');
    if (!ok) {
      warnings.push(`${path}: not a split-tests shard note (index, total, fingerprint, files), ignored`);
      continue;
    }
    notes.push({ report, meta: value as ShardMeta });
  }
  return { notes, warnings };
}
