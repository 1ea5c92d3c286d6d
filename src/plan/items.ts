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

/** A whole group, or one piece of a group larger than a fair share. */
export interface GroupPiece {
  readonly key: string;
  readonly group: string;
  readonly size: number;
  /** Indices into the sorted file list, ascending (so the files are in code-unit order). */
  readonly files: readonly number[];
}

/**
 * The items of a plan in the compact form the planner works on (100,000 files make 100,000 items:
 * no per-item objects or key strings for single files). Items are in partitioning order: largest
 * first, ties by key, where a single file's key `f:<path>` sorts before every group's `g:...` and
 * single files tie by path, i.e. by their index in the sorted file list.
 */
export interface ItemTable {
  /** Size of each item, in partitioning order. */
  readonly sizes: number[];
  /** Per item: the file index (>= 0) of a single file, or -1 - p for `pieces[p]`. */
  readonly refs: Int32Array;
  readonly pieces: readonly GroupPiece[];
}

/**
 * Turns files into items: every file in no group is an item; a group is one item (the sum of its
 * files) so it lands on one shard, unless it is larger than a fair share (total / shards). Such a
 * group is cut into the fewest pieces that each fit a fair share (or hold a single file larger than
 * one), balanced within the group by LPT, so it is spread over as few shards as balance allows.
 *
 * `files` is sorted by code units and de-duplicated; `estimates[i]` is the seconds of `files[i]`.
 */
export function buildItemTable(
  files: readonly string[],
  estimates: ArrayLike<number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): ItemTable {
  let total = 0;
  for (let i = 0; i < files.length; i++) total += estimates[i]!;
  const fairShare = total / shards;

  const singles: number[] = [];
  const pieces: GroupPiece[] = [];
  if (groups.size === 0) {
    for (let i = 0; i < files.length; i++) singles.push(i);
  } else {
    const members = new Map<string, number[]>();
    for (let i = 0; i < files.length; i++) {
      const group = groups.get(files[i]!);
      if (group === undefined) {
        singles.push(i);
        continue;
      }
      let list = members.get(group);
      if (list === undefined) members.set(group, (list = []));
      list.push(i);
    }
    for (const [group, list] of members) {
      let size = 0;
      for (const i of list) size += estimates[i]!;
      if (size <= fairShare * (1 + 1e-12) || list.length === 1) {
        pieces.push({ key: `g:${group}`, group, size, files: list });
      } else {
        pieces.push(...splitGroup(group, list, estimates, size, fairShare, shards));
      }
    }
  }

  // One id per item: singles first (0..S-1), then pieces (S..S+P-1).
  const count = singles.length + pieces.length;
  const ids = new Array<number>(count);
  const sizeOf = new Float64Array(count);
  for (let k = 0; k < singles.length; k++) {
    ids[k] = k;
    sizeOf[k] = estimates[singles[k]!]!;
  }
  for (let p = 0; p < pieces.length; p++) {
    ids[singles.length + p] = singles.length + p;
    sizeOf[singles.length + p] = pieces[p]!.size;
  }
  const firstPiece = singles.length;
  ids.sort((a, b) => {
    const d = sizeOf[b]! - sizeOf[a]!;
    if (d !== 0) return d;
    // `f:` keys before `g:` keys; singles by path (their ids follow the sorted files); pieces by key
    if (a < firstPiece || b < firstPiece) return a - b;
    const ka = pieces[a - firstPiece]!.key;
    const kb = pieces[b - firstPiece]!.key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

  const sizes = new Array<number>(count);
  const refs = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const id = ids[k]!;
    sizes[k] = sizeOf[id]!;
    refs[k] = id < firstPiece ? singles[id]! : -1 - (id - firstPiece);
  }
  return { sizes, refs, pieces };
}

/**
 * The same items as objects with their keys, largest first, ties by key: for tests and library
 * users. The planner itself works on buildItemTable.
 */
export function buildItems(
  files: readonly string[],
  estimates: ReadonlyMap<string, number>,
  groups: ReadonlyMap<string, string>,
  shards: number,
): PlanItem[] {
  const sorted = [...new Set(files)].sort();
  const values = sorted.map((file) => estimates.get(file) ?? 0);
  const table = buildItemTable(sorted, values, groups, shards);
  return table.sizes.map((size, k) => {
    const ref = table.refs[k]!;
    if (ref >= 0) return { key: `f:${sorted[ref]!}`, size, files: [sorted[ref]!] };
    const piece = table.pieces[-1 - ref]!;
    return { key: piece.key, size, files: piece.files.map((i) => sorted[i]!), group: piece.group };
  });
}

function splitGroup(
  group: string,
  files: readonly number[],
  estimates: ArrayLike<number>,
  size: number,
  fairShare: number,
  shards: number,
): GroupPiece[] {
  // largest first, ties by path (index), as lptPartitioner expects
  const ordered = [...files].sort((a, b) => estimates[b]! - estimates[a]! || a - b);
  const sizes = ordered.map((i) => estimates[i]!);
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
  const out: { files: number[]; size: number }[] = Array.from({ length: pieces }, () => ({ files: [], size: 0 }));
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
      group,
      size: piece.size,
      files: piece.files.sort((a, b) => a - b),
    }));
}

function maxLoad(sizes: readonly number[], assignment: Int32Array, bins: number): number {
  const loads = new Float64Array(bins);
  for (let i = 0; i < sizes.length; i++) loads[assignment[i]!]! += sizes[i]!;
  let max = 0;
  for (const l of loads) if (l > max) max = l;
  return max;
}
