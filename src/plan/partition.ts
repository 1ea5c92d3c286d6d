/**
 * Multiway number partitioning behind one small interface: items (already sorted by size, largest
 * first, ties broken by the caller's canonical key) go to `shards` bins; the result is the bin of
 * each item. Implementations are deterministic: they depend only on the sizes and their order.
 */
export interface Partitioner {
  readonly name: string;
  partition(sizes: readonly number[], shards: number): Int32Array;
}

/** Sum of sizes per shard. */
export function shardLoads(sizes: readonly number[], assignment: Int32Array, shards: number): Float64Array {
  const loads = new Float64Array(shards);
  for (let i = 0; i < sizes.length; i++) loads[assignment[i]!]! += sizes[i]!;
  return loads;
}

export function makespanOf(sizes: readonly number[], assignment: Int32Array, shards: number): number {
  let max = 0;
  for (const load of shardLoads(sizes, assignment, shards)) if (load > max) max = load;
  return max;
}
