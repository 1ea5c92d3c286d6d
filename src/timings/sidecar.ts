import { readFile } from 'node:fs/promises';
import { SHARD_META_SUFFIX, type ShardMeta } from '../run/shard-meta.js';

export interface SidecarResult {
  readonly meta?: ShardMeta | undefined;
  readonly warning?: string | undefined;
}

/**
 * The runner's note beside a shard's report (`<report>.split-tests.json`). Missing is normal (a
 * report from a runner split-tests did not start); unreadable or malformed only costs the wall
 * time and plan fingerprint, so it is a warning, not an error.
 */
export async function readSidecar(reportPath: string, reportLabel: string): Promise<SidecarResult> {
  let text: string;
  try {
    text = await readFile(`${reportPath}${SHARD_META_SUFFIX}`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { warning: `${reportLabel}${SHARD_META_SUFFIX}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)}); its shard's wall time is unknown` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { warning: `${reportLabel}${SHARD_META_SUFFIX}: malformed JSON, ignored; its shard's wall time is unknown` };
  }
  const v = value as Partial<Record<keyof ShardMeta, unknown>> | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.index) &&
    Number.isInteger(v.total) &&
    typeof v.wallSeconds === 'number' &&
    Number.isFinite(v.wallSeconds) &&
    (v.fingerprint === undefined || typeof v.fingerprint === 'string') &&
    (v.estimatedSeconds === undefined || typeof v.estimatedSeconds === 'number') &&
    (v.exitCode === undefined || typeof v.exitCode === 'number') &&
    (v.startedAt === undefined || typeof v.startedAt === 'string') &&
    (v.files === undefined || (Array.isArray(v.files) && v.files.every((f) => typeof f === 'string'))) &&
    (v.rerunOf === undefined || (typeof v.rerunOf === 'object' && v.rerunOf !== null && typeof (v.rerunOf as { report?: unknown }).report === 'string'));
  if (!ok) return { warning: `${reportLabel}${SHARD_META_SUFFIX}: not a split-tests shard note, ignored` };
  return { meta: value as ShardMeta };
}
