import { compareCodeUnits } from '../paths.js';
import type { Plan } from '../plan/index.js';
import type { QueueItem } from './types.js';

/**
 * The queue's items from a plan: every planned file with its estimate, longest first (ties by
 * path), so the large files go out first and the small ones fill the end. Every worker computes
 * the same plan; the first to arrive seeds these items.
 */
export function queueItemsOf(plan: Plan): Omit<QueueItem, 'id'>[] {
  const items: { files: string[]; seconds: number }[] = [];
  for (const shard of plan.shards) {
    shard.files.forEach((file, i) => items.push({ files: [file], seconds: shard.fileSeconds[i] ?? 0 }));
  }
  return items.sort((a, b) => b.seconds - a.seconds || compareCodeUnits(a.files[0]!, b.files[0]!));
}
