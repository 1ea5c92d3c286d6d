import { compareCodeUnits } from '../paths.js';
import type { Plan } from '../plan/index.js';
import type { QueueItem } from './types.js';

/**
 * The queue's items from a plan: every planned file with its estimate, longest first, so the large
 * files go out first and the small ones fill the end. Every worker computes the same plan; the
 * first to arrive seeds these items. `groupOf` maps a file to its feature group.
 *
 * Ties go by a hash of the path, not by the path: equal estimates are mostly files the history
 * knows little about (new, or recorded near zero), and their errors come by directory (a new
 * folder of slow tests). In path order they sit side by side and one batch takes them all; spread
 * out, they land in different batches (bench/queue.mjs: the queue's gap to the ideal queue at
 * N = 4/16/32 fell from +0.20 to +0.13 with a 3 s start-up per batch).
 *
 * `newFiles` (files with no history at all), when given, go first, in that hashed order: their
 * estimates are guesses, and a guess that is minutes off hurts least at the start, where the other
 * workers still have work to even it out (bench/queue.mjs, "new files first").
 */
export function queueItemsOf(plan: Plan, groupOf: ReadonlyMap<string, string> = new Map(), newFiles?: ReadonlySet<string>): Omit<QueueItem, 'id'>[] {
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
  const spread = new Map(items.map((item) => [item, spreadKey(item.files[0]!)]));
  const isNew = (item: { files: string[] }): boolean => newFiles !== undefined && item.files.every((f) => newFiles.has(f));
  return items.sort(
    (a, b) =>
      Number(isNew(b)) - Number(isNew(a)) ||
      (isNew(a) ? 0 : b.seconds - a.seconds) ||
      spread.get(a)! - spread.get(b)! ||
      compareCodeUnits(a.files[0]!, b.files[0]!),
  );
}

/** FNV-1a of the path's code units, then murmur3's finaliser so that near-equal paths land far apart. */
function spreadKey(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
