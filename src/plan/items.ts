import { compareCodeUnits } from '../paths.js';
import { lptPartitioner } from './lpt.js';

/** What the partitioner places: one file, one whole feature group, or one piece of a large group. */
export interface PlanItem {
  /** Canonical tie-break key: `f:<path>` or `g:<group>` / `g:<group>#<piece>`. */
  readonly key: string;
  readonly size: number;
  /** Sorted by code units. */
  readonly files: readonly string[];
  readonly group?: string | undefined;
}

/**
 * Turns files into items: every file in no group is an item; a group is one item (the sum of its
 * files) so it lands on one shard, unless it is larger than a fair share (total / shards). Such a
 * group is cut into the fewest pieces that each fit a fair share (or hold a single file larger than
 * one), balanced within the group by LPT, so it is spread over as few shards as balance allows.
 * Returned largest first, ties by key, which is the order the partitioners expect.
 */
export function buildItems(
  files: readonly string[],
  estimates: ReadonlyMap<string, number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): PlanItem[] {
  let total = 0;
  for (const file of files) total += estimates.get(file) ?? 0;
  const fairShare = total / shards;

  const items: PlanItem[] = [];
  const members = new Map<string, string[]>();
  for (const file of files) {
    const group = groups.get(file);
    if (group === undefined) {
      items.push({ key: `f:${file}`, size: estimates.get(file) ?? 0, files: [file] });
    } else {
      let list = members.get(group);
      if (list === undefined) members.set(group, (list = []));
      list.push(file);
    }
  }
  for (const [group, list] of members) {
    list.sort(compareCodeUnits);
    let size = 0;
    for (const file of list) size += estimates.get(file) ?? 0;
    if (size <= fairShare * (1 + 1e-12) || list.length === 1) {
      items.push({ key: `g:${group}`, size, files: list, group });
      continue;
    }
    items.push(...splitGroup(group, list, estimates, size, fairShare, shards));
  }
  return items.sort((a, b) => b.size - a.size || compareCodeUnits(a.key, b.key));
}

function splitGroup(
  group: string,
  files: readonly string[],
  estimates: ReadonlyMap<string, number>,
  size: number,
  fairShare: number,
  shards: number,
): PlanItem[] {
  // largest first, ties by path, as lptPartitioner expects
  const ordered = [...files].sort((a, b) => (estimates.get(b) ?? 0) - (estimates.get(a) ?? 0) || compareCodeUnits(a, b));
  const sizes = ordered.map((f) => estimates.get(f) ?? 0);
  const largest = sizes[0] ?? 0;
  const cap = Math.max(fairShare, largest) * (1 + 1e-12);
  const maxPieces = Math.min(files.length, shards);
  let pieces = Math.min(maxPieces, Math.max(2, Math.ceil(size / fairShare - 1e-9)));
  let assignment = lptPartitioner.partition(sizes, pieces);
  // a big file can leave one piece over the fair share; one more piece usually fixes that
  while (pieces < maxPieces && maxLoad(sizes, assignment, pieces) > cap) {
    pieces++;
    assignment = lptPartitioner.partition(sizes, pieces);
  }
  const out: { files: string[]; size: number }[] = Array.from({ length: pieces }, () => ({ files: [], size: 0 }));
  ordered.forEach((file, i) => {
    const piece = out[assignment[i]!]!;
    piece.files.push(file);
    piece.size += sizes[i]!;
  });
  const width = String(pieces).length;
  return out
    .filter((piece) => piece.files.length > 0)
    .map((piece, i) => ({
      key: `g:${group}#${String(i + 1).padStart(width, '0')}`,
      size: piece.size,
      files: piece.files.sort(compareCodeUnits),
      group,
    }));
}

function maxLoad(sizes: readonly number[], assignment: Int32Array, bins: number): number {
  const loads = new Float64Array(bins);
  for (let i = 0; i < sizes.length; i++) loads[assignment[i]!]! += sizes[i]!;
  let max = 0;
  for (const l of loads) if (l > max) max = l;
  return max;
}
