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
  /** How many groups were larger than a fair share and cut into pieces. */
  readonly splitGroups: number;
}

/**
 * How a group larger than a fair share is cut. The planner tries them in this order and keeps the
 * first whose split has the lowest makespan (see plan.ts):
 * - `even`: the fewest pieces of at most a fair share, balanced against each other (fewest shards);
 * - `full-rest`: pieces filled up to a fair share, and what is left as one more piece, so the
 *   full pieces take whole shards and the rest fits beside other items;
 * - `full-files`: the same full pieces, and what is left as single files that go wherever there is
 *   room (the best balance, the group spread the widest).
 * With x = y = 40 s and a group of 12 files of 10 s on 4 shards, `even` makes 3 pieces of 40 s
 * (makespan 80 s), `full-rest` 50 + 50 + 20 (60 s), `full-files` 50 + 50 and two files (50 s).
 */
export type GroupCut = 'even' | 'full-rest' | 'full-files';
export const GROUP_CUTS: readonly GroupCut[] = ['even', 'full-rest', 'full-files'];

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
  cut: GroupCut = 'even',
  /** Cut the even pieces of a group to at most maxSpread of it (see plan.ts). */
  compact = false,
): ItemTable {
  let total = 0;
  for (let i = 0; i < files.length; i++) total += estimates[i]!;
  const fairShare = total / shards;

  const singles: number[] = [];
  const pieces: GroupPiece[] = [];
  let splitCount = 0;
  if (groups.size === 0) {
    for (let i = 0; i < files.length; i++) singles.push(i);
  } else {
    const { members, ungrouped } = groupMembers(files, groups);
    singles.push(...ungrouped);
    for (const [group, list] of members) {
      let size = 0;
      for (const i of list) size += estimates[i]!;
      if (size <= fairShare * (1 + 1e-12) || list.length === 1) {
        pieces.push({ key: `g:${group}`, group, size, files: list });
      } else {
        splitCount++;
        const limit = compact ? maxSpread(size, fairShare) : shards;
        pieces.push(...(cut === 'even' ? splitEvenly(group, list, estimates, size, fairShare, limit) : splitFull(group, list, estimates, size, fairShare, cut)));
      }
    }
  }

  return orderItems(estimates, singles, pieces, splitCount);
}

/**
 * The table of these singles (file indices, ascending) and pieces, in partitioning order: largest
 * first, ties by key.
 */
export function orderItems(estimates: ArrayLike<number>, singles: readonly number[], pieces: readonly GroupPiece[], splitCount: number): ItemTable {
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
  return { sizes, refs, pieces, splitGroups: splitCount };
}

/** File indices per group (in first-seen order), and the files in no group, ascending. */
export function groupMembers(files: readonly string[], groups: ReadonlyMap<string, string>): { members: Map<string, number[]>; ungrouped: number[] } {
  const members = new Map<string, number[]>();
  const ungrouped: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const group = groups.get(files[i]!);
    if (group === undefined) {
      ungrouped.push(i);
      continue;
    }
    let list = members.get(group);
    if (list === undefined) members.set(group, (list = []));
    list.push(i);
  }
  return { members, ungrouped };
}

/** The most shards a group of `size` may land on while kept compact: ceil(size / fair share) + 1. */
export function maxSpread(size: number, fairShare: number): number {
  return fairShare > 0 ? Math.ceil(size / fairShare - 1e-9) + 1 : 1;
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

function splitEvenly(
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

/**
 * Full pieces: as many as whole fair shares fit in the group (at least one), filled first-fit with
 * the group's files largest first up to a fair share (or a single larger file); the files that fit
 * in none are the rest: one piece (`full-rest`) or one piece per file (`full-files`).
 */
function splitFull(
  group: string,
  files: readonly number[],
  estimates: ArrayLike<number>,
  size: number,
  fairShare: number,
  cut: GroupCut,
): GroupPiece[] {
  const ordered = [...files].sort((a, b) => estimates[b]! - estimates[a]! || a - b);
  const largest = estimates[ordered[0]!]!;
  const cap = Math.max(fairShare, largest);
  const limit = cap * (1 + 1e-12);
  const count = Math.max(1, Math.floor(size / cap + 1e-9));
  const full: { files: number[]; size: number }[] = Array.from({ length: count }, () => ({ files: [], size: 0 }));
  const rest: number[] = [];
  for (const file of ordered) {
    const x = estimates[file]!;
    const bin = full.find((piece) => piece.size + x <= limit);
    if (bin === undefined) {
      rest.push(file);
    } else {
      bin.files.push(file);
      bin.size += x;
    }
  }
  const out: GroupPiece[] = [];
  const width = String(count + 1).length;
  full
    .filter((piece) => piece.files.length > 0)
    .forEach((piece, i) => {
      out.push({ key: `g:${group}#${String(i + 1).padStart(width, '0')}`, group, size: piece.size, files: piece.files.sort((a, b) => a - b) });
    });
  if (rest.length === 0) return out;
  rest.sort((a, b) => a - b);
  if (cut === 'full-rest') {
    let restSize = 0;
    for (const i of rest) restSize += estimates[i]!;
    out.push({ key: `g:${group}#rest`, group, size: restSize, files: rest });
  } else {
    for (const i of rest) out.push({ key: `g:${group}#rest:${String(i).padStart(10, '0')}`, group, size: estimates[i]!, files: [i] });
  }
  return out;
}

function maxLoad(sizes: readonly number[], assignment: Int32Array, bins: number): number {
  const loads = new Float64Array(bins);
  for (let i = 0; i < sizes.length; i++) loads[assignment[i]!]! += sizes[i]!;
  let max = 0;
  for (const l of loads) if (l > max) max = l;
  return max;
}
