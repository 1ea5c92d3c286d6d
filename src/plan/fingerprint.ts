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
  /** Per file, or (what the planner passes) the estimate of sortedFiles[i] at index i. */
  estimates: ReadonlyMap<string, number> | ArrayLike<number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): string {
  const hash = createHash('sha256');
  hash.update(`${JSON.stringify(PLAN_ALGORITHM_VERSION)}\n${shards}\n`);
  const byFile = estimates instanceof Map ? (estimates as ReadonlyMap<string, number>) : undefined;
  const byIndex = estimates as ArrayLike<number>;
  const noGroups = groups.size === 0;
  let chunk = '';
  for (let i = 0; i < sortedFiles.length; i++) {
    const file = sortedFiles[i]!;
    const estimate = (byFile !== undefined ? byFile.get(file) : byIndex[i]) ?? 0;
    const group = noGroups ? undefined : groups.get(file);
    // the text of JSON.stringify([file, estimate, group ?? null]) without building the array:
    // JSON prints a finite number as String(n) (-0 as 0) and anything else as null
    chunk += `[${JSON.stringify(file)},${Number.isFinite(estimate) ? String(estimate === 0 ? 0 : estimate) : 'null'},${group === undefined ? 'null' : JSON.stringify(group)}]\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return hash.digest('hex');
}
