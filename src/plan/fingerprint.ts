import { createHash } from 'node:crypto';

/** Bump when a change to estimating, grouping or partitioning can change plans for the same inputs. */
export const PLAN_ALGORITHM_VERSION = 'split-tests-plan/3';

/**
 * sha256 over a canonical text of what decides the plan: the algorithm version, the shard count,
 * and per file (sorted by code units) its estimate and group. Two nodes that agree on the
 * fingerprint computed the same plan.
 */
export function planFingerprint(
  sortedFiles: readonly string[],
  estimates: ReadonlyMap<string, number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): string {
  const hash = createHash('sha256');
  hash.update(`${JSON.stringify(PLAN_ALGORITHM_VERSION)}\n${shards}\n`);
  let chunk = '';
  for (const file of sortedFiles) {
    chunk += `${JSON.stringify([file, estimates.get(file) ?? 0, groups.get(file) ?? null])}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return hash.digest('hex');
}
