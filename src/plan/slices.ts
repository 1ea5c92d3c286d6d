import { compareCodeUnits } from '../paths.js';
import type { ItemTable } from './items.js';
import { makespanOf, type Partitioner } from './partition.js';

/** One slice of a split file, as the planner places it. */
export interface FileSlice {
  /** Index into the plan's sorted file list. */
  readonly file: number;
  /** 1-based; slice 1 is the designated one that also runs every test history does not know. */
  readonly slice: number;
  readonly of: number;
  /** Test ids (as the runner preset names them), sorted by code units. */
  readonly tests: readonly string[];
  /** The slice's share of the file's estimated test seconds. */
  readonly testSeconds: number;
  /** What it weighs on a shard: its tests plus the file's overhead paid again. */
  readonly seconds: number;
}

/** An item table whose refs may also name slices: ref >= files.length is `slices[ref - files.length]`. */
export interface SlicedItems extends ItemTable {
  readonly slices: readonly FileSlice[];
}

export interface SliceInput {
  readonly files: readonly string[];
  /** Estimated test seconds per file (parallel to files). */
  readonly testSeconds: ArrayLike<number>;
  /** What each file weighs whole: tests plus its modelled overhead. */
  readonly estimates: ArrayLike<number>;
  /** The overhead a file pays again for every extra slice (seconds, parallel to files). */
  readonly sliceOverhead: ArrayLike<number>;
  /** Whether the modelled overhead is already inside `estimates` (then every slice carries it). */
  readonly overheadModelled: boolean;
  /** Known tests of each file with their estimates (testEstimatesOf). */
  readonly perTest: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The file-level plan to beat. */
  readonly items: ItemTable;
  readonly assignment: Int32Array;
  readonly shardCount: number;
  readonly partitioner: Partitioner;
}

export interface SliceResult {
  readonly items: SlicedItems;
  readonly assignment: Int32Array;
  /** Slowest shard of the file-level plan and of this one (weights, without the fixed shard cost). */
  readonly fileLevelSeconds: number;
  readonly slicedSeconds: number;
}

/**
 * Without wall data, an extra slice is charged what collecting the file again costs: the runner
 * imports the module and sets up its module- and class-scoped fixtures once more. Half a second
 * is a typical pytest/vitest import-and-collect of a heavy test module; 2% of the file covers
 * fixtures that grow with it. A cut must beat this to be made, so small gains are not taken.
 */
export const DEFAULT_SLICE_OVERHEAD_SECONDS = 0.5;
export const DEFAULT_SLICE_OVERHEAD_SHARE = 0.02;

/** Rounds of "cut the slowest shard's largest file once more" after the fair-share cuts. */
const BOTTLENECK_ROUNDS = 8;

/**
 * Cuts files into slices of their tests where that lowers the slowest shard (pure). First every
 * splittable file larger than a fair share is cut into the fewest slices that each fit one; then,
 * while the slowest shard holds a splittable file, that file gets one more slice. Each candidate
 * is partitioned in full and kept only when its makespan, extra overheads included, is lower than
 * the best so far: a cut pays for itself or is not made. A file is splittable when it is an item
 * of its own (a file in a feature group stays whole) and history knows at least two of its tests.
 * Returns undefined when no cut pays.
 */
export function planSlices(input: SliceInput): SliceResult | undefined {
  const { files, items, shardCount } = input;
  if (shardCount < 2) return undefined;
  const single = new Set<number>();
  for (const ref of items.refs) if (ref >= 0 && (input.perTest.get(files[ref]!)?.size ?? 0) >= 2) single.add(ref);
  if (single.size === 0) return undefined;

  const fileLevel = makespanOf(items.sizes, input.assignment, shardCount);
  let total = 0;
  for (const size of items.sizes) total += size;
  const tolerance = Math.max(total, 1e-300) * 1e-9;

  const maxSlices = (i: number): number => Math.min(shardCount, input.perTest.get(files[i]!)!.size);
  const cuts = new Map<number, number>();
  for (const i of [...single].sort((a, b) => a - b)) {
    const k = slicesForFairShare(input.testSeconds[i]!, input.sliceOverhead[i]!, total, shardCount, maxSlices(i));
    if (k >= 2) cuts.set(i, k);
  }

  let best: { items: SlicedItems; assignment: Int32Array; makespan: number } | undefined;
  if (cuts.size > 0) {
    const tried = evaluate(input, cuts);
    if (tried.makespan < fileLevel - tolerance) best = tried;
    else cuts.clear();
  }
  for (let round = 0; round < BOTTLENECK_ROUNDS; round++) {
    const current = best ?? { items: { ...items, slices: [] }, assignment: input.assignment, makespan: fileLevel };
    const file = largestSplittableOnSlowestShard(current, files.length, single, cuts, maxSlices, shardCount);
    if (file === undefined) break;
    const next = new Map(cuts);
    next.set(file, (cuts.get(file) ?? 1) + 1);
    const tried = evaluate(input, next);
    if (!(tried.makespan < current.makespan - tolerance)) break;
    best = tried;
    cuts.set(file, next.get(file)!);
  }
  if (best === undefined) return undefined;
  return { items: best.items, assignment: best.assignment, fileLevelSeconds: fileLevel, slicedSeconds: best.makespan };
}

/** The fewest slices (2..max) whose tests and overhead fit a fair share of the total they make. */
function slicesForFairShare(testSeconds: number, overhead: number, total: number, shards: number, max: number): number {
  if (max < 2 || testSeconds <= total / shards) return 1;
  for (let k = 2; k <= max; k++) {
    if (testSeconds / k + overhead <= (total + (k - 1) * overhead) / shards) return k;
  }
  return max;
}

function largestSplittableOnSlowestShard(
  current: { items: SlicedItems; assignment: Int32Array },
  fileCount: number,
  single: ReadonlySet<number>,
  cuts: ReadonlyMap<number, number>,
  maxSlices: (i: number) => number,
  shards: number,
): number | undefined {
  const { sizes, refs, slices } = current.items;
  const loads = new Float64Array(shards);
  for (let k = 0; k < sizes.length; k++) loads[current.assignment[k]!]! += sizes[k]!;
  let slowest = 0;
  for (let s = 1; s < shards; s++) if (loads[s]! > loads[slowest]!) slowest = s;
  let found: number | undefined;
  let foundSize = -1;
  for (let k = 0; k < sizes.length; k++) {
    if (current.assignment[k] !== slowest) continue;
    const ref = refs[k]!;
    const file = ref >= fileCount ? slices[ref - fileCount]!.file : ref;
    if (ref < 0 || !single.has(file) || (cuts.get(file) ?? 1) >= maxSlices(file)) continue;
    if (sizes[k]! > foundSize) {
      found = file;
      foundSize = sizes[k]!;
    }
  }
  return found;
}

/** The item table with these files cut, partitioned; sorted like buildItemTable's (size, then key). */
function evaluate(input: SliceInput, cuts: ReadonlyMap<number, number>): { items: SlicedItems; assignment: Int32Array; makespan: number } {
  const { files, items } = input;
  const slices: FileSlice[] = [];
  for (const [file, k] of [...cuts].sort((a, b) => a[0] - b[0])) slices.push(...cutFile(input, file, k));
  const refs: number[] = [];
  const sizes: number[] = [];
  for (let k = 0; k < items.sizes.length; k++) {
    const ref = items.refs[k]!;
    if (ref >= 0 && cuts.has(ref)) continue;
    refs.push(ref);
    sizes.push(items.sizes[k]!);
  }
  slices.forEach((slice, s) => {
    refs.push(files.length + s);
    sizes.push(slice.seconds);
  });
  const order = refs.map((_, k) => k);
  // a slice's key is `f:<path>#<n>`: after its file's own key, before every group's `g:` key
  const fileOf = (ref: number): number => (ref >= files.length ? slices[ref - files.length]!.file : ref);
  order.sort((a, b) => {
    const d = sizes[b]! - sizes[a]!;
    if (d !== 0) return d;
    const ra = refs[a]!;
    const rb = refs[b]!;
    if (ra < 0 || rb < 0) {
      if (ra >= 0) return -1;
      if (rb >= 0) return 1;
      return compareCodeUnits(items.pieces[-1 - ra]!.key, items.pieces[-1 - rb]!.key);
    }
    return fileOf(ra) - fileOf(rb) || ra - rb;
  });
  const sortedSizes = order.map((k) => sizes[k]!);
  const sortedRefs = Int32Array.from(order, (k) => refs[k]!);
  const assignment = input.partitioner.partition(sortedSizes, input.shardCount);
  const table: SlicedItems = { sizes: sortedSizes, refs: sortedRefs, pieces: items.pieces, splitGroups: items.splitGroups, slices };
  return { items: table, assignment, makespan: makespanOf(sortedSizes, assignment, input.shardCount) };
}

/**
 * A file's known tests in k slices: longest first (ties by id) into the least loaded slice, so the
 * slices are as even as the tests allow. The lightest becomes slice 1, which also runs the tests
 * history does not know. Each slice's seconds are its share of the file's estimate (the per-test
 * times only say how the file divides), plus the overhead every extra slice pays again.
 */
export function cutFile(input: Pick<SliceInput, 'files' | 'testSeconds' | 'sliceOverhead' | 'overheadModelled' | 'perTest'>, file: number, k: number): FileSlice[] {
  const known = input.perTest.get(input.files[file]!)!;
  const ids = [...known.keys()].sort((a, b) => known.get(b)! - known.get(a)! || compareCodeUnits(a, b));
  const bins = Array.from({ length: k }, () => ({ tests: [] as string[], seconds: 0 }));
  for (const id of ids) {
    let target = 0;
    for (let b = 1; b < k; b++) {
      const x = bins[b]!;
      const t = bins[target]!;
      if (x.seconds < t.seconds || (x.seconds === t.seconds && x.tests.length < t.tests.length)) target = b;
    }
    bins[target]!.tests.push(id);
    bins[target]!.seconds += known.get(id)!;
  }
  let lightest = 0;
  for (let b = 1; b < k; b++) if (bins[b]!.seconds < bins[lightest]!.seconds) lightest = b;
  const ordered = [bins[lightest]!, ...bins.filter((_, b) => b !== lightest)];
  const knownTotal = bins.reduce((sum, bin) => sum + bin.seconds, 0);
  const fileTests = input.testSeconds[file]!;
  const overhead = input.sliceOverhead[file]!;
  return ordered.map((bin, j) => {
    const testSeconds = knownTotal > 0 ? (fileTests * bin.seconds) / knownTotal : fileTests / k;
    // without a wall model the file's first collection is inside its measured time: only extra slices add one
    const paid = input.overheadModelled || j > 0 ? overhead : 0;
    return { file, slice: j + 1, of: k, tests: bin.tests.sort(compareCodeUnits), testSeconds, seconds: testSeconds + paid };
  });
}

/** The overhead a slice pays when walls are not modelled (see DEFAULT_SLICE_OVERHEAD_*). */
export function defaultSliceOverhead(testSeconds: number): number {
  return Math.max(DEFAULT_SLICE_OVERHEAD_SECONDS, DEFAULT_SLICE_OVERHEAD_SHARE * testSeconds);
}
