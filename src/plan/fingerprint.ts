import { createHash } from 'node:crypto';

/** Bump when a change to estimating, grouping or partitioning can change plans for the same inputs. */
export const PLAN_ALGORITHM_VERSION = 'split-tests-plan/4';

/**
 * sha256 over a canonical text of what decides the plan: the algorithm version, the shard count,
 * the files (sorted by code units), each file's estimate and each file's group. Two nodes that
 * agree on the fingerprint computed the same plan.
 *
 * The text is built column by column with native calls (one JSON.stringify of the file list, one
 * join of the estimates) rather than a line per file: on 100,000 files that is several times
 * cheaper, and the fingerprint is on the path of every `--shard K/N`.
 */
export function planFingerprint(
  sortedFiles: readonly string[],
  /** Per file, or (what the planner passes) the estimate of sortedFiles[i] at index i. */
  estimates: ReadonlyMap<string, number> | ArrayLike<number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): string {
  const byIndex: ArrayLike<number> =
    estimates instanceof Map ? sortedFiles.map((file) => (estimates as ReadonlyMap<string, number>).get(file) ?? 0) : (estimates as ArrayLike<number>);
  const values = new Float64Array(sortedFiles.length);
  for (let i = 0; i < sortedFiles.length; i++) {
    const value = byIndex[i] ?? 0;
    // finite estimates print as String(n) does; -0 as 0; anything else as null, as JSON would
    values[i] = Number.isFinite(value) ? value + 0 : Number.NaN;
  }
  const hash = createHash('sha256');
  hash.update(`${JSON.stringify(PLAN_ALGORITHM_VERSION)}\n${shards}\n`);
  hash.update(JSON.stringify(sortedFiles));
  hash.update('\n');
  hash.update(values.join(','));
  hash.update('\n');
  hash.update(groups.size === 0 ? 'null' : JSON.stringify(sortedFiles.map((file) => groups.get(file) ?? null)));
  return hash.digest('hex');
}
