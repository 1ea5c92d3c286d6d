import { compareCodeUnits } from '../paths.js';
import type { Plan } from '../plan/index.js';
import type { QueueItem } from './types.js';

/**
 * The queue's items from a plan: every planned file with its estimate, longest first (ties by
 * path), so the large files go out first and the small ones fill the end. Every worker computes
 * the same plan; the first to arrive seeds these items. `groupOf` maps a file to its feature group.
 */
export function queueItemsOf(plan: Plan, groupOf: ReadonlyMap<string, string> = new Map()): Omit<QueueItem, 'id'>[] {
  const items: { files: string[]; seconds: number }[] = [];
  for (const shard of plan.shards) {
    // a feature group (or the piece of one the plan put on this shard) stays together: one item
    const groups = new Map<string, { files: string[]; seconds: number }>();
    shard.files.forEach((file, i) => {
      const seconds = shard.fileSeconds[i] ?? 0;
      const group = groupOf.get(file);
      if (group === undefined) {
        items.push({ files: [file], seconds });
        return;
      }
      const item = groups.get(group) ?? { files: [], seconds: 0 };
      item.files.push(file);
      item.seconds += seconds;
      groups.set(group, item);
    });
    items.push(...groups.values());
  }
  return items.sort((a, b) => b.seconds - a.seconds || compareCodeUnits(a.files[0]!, b.files[0]!));
}
