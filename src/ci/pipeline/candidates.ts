/**
 * Which shard counts `pipeline plan` tries. Every count up to 16 (where most suites' knee is),
 * then a coarser ladder up to 64, never more shards than files (extra nodes would idle), plus the
 * count the user fixed. Pure.
 */
export const CANDIDATE_LADDER: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 24, 28, 32, 40, 48, 56, 64,
];

export function candidateShardCounts(fileCount: number, fixed?: number): number[] {
  const limit = Math.max(1, fileCount);
  const counts = new Set(CANDIDATE_LADDER.filter((n) => n <= limit));
  if (fixed !== undefined) counts.add(fixed);
  return [...counts].sort((a, b) => a - b);
}
