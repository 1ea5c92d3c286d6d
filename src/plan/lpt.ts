import type { Partitioner } from './partition.js';

/**
 * Longest processing time first: each item, largest first, goes to the least loaded shard; ties go
 * to the shard with fewer items (so zero-second items still spread out and no shard stays empty
 * while items remain), then to the lowest index. A binary heap keeps it O(n log N).
 */
export const lptPartitioner: Partitioner = {
  name: 'lpt',
  partition(sizes, shards) {
    const assignment = new Int32Array(sizes.length);
    const loads = new Float64Array(shards);
    const counts = new Int32Array(shards);
    const heap = new Int32Array(shards);
    for (let i = 0; i < shards; i++) heap[i] = i;
    const less = (a: number, b: number): boolean =>
      loads[a]! < loads[b]! || (loads[a] === loads[b] && (counts[a]! < counts[b]! || (counts[a] === counts[b] && a < b)));
    for (let i = 0; i < sizes.length; i++) {
      const shard = heap[0]!;
      assignment[i] = shard;
      loads[shard]! += sizes[i]!;
      counts[shard]! += 1;
      // sift the root down: it only ever grows
      let pos = 0;
      for (;;) {
        const left = 2 * pos + 1;
        if (left >= shards) break;
        const right = left + 1;
        let child = left;
        if (right < shards && less(heap[right]!, heap[left]!)) child = right;
        if (!less(heap[child]!, heap[pos]!)) break;
        const tmp = heap[pos]!;
        heap[pos] = heap[child]!;
        heap[child] = tmp;
        pos = child;
      }
    }
    return assignment;
  },
};
