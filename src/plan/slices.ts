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
  /**
   * The start-up of the command a slice runs in, when the runner's selection is an option over the
   * whole run (`-t`, `--grep`) and each slice needs a command of its own; 0 when slices stand
   * among the shard's files in its one command (pytest node ids).
   */
  readonly commandSeconds?: number | undefined;
  /**
   * A file's known tests as groups its runner's selection keeps apart: tests it cannot tell apart
   * (jest's case-insensitive `-t`) are one group and stay in one slice, so a pattern for one never
   * runs or excludes another slice's test. Default: every id a group of its own.
   */
  readonly selectionGroups?: ((file: string, tests: readonly string[]) => string[][]) | undefined;
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

/**
 * Without wall data, the start-up of a command of its own (runners whose selection is an option
 * over the whole run: vitest, jest, playwright, mocha): what `npx <runner>` took on one trivial
 * file on a 2-core CI machine (1.8-2.5 s), rounded down, since a warm machine starts faster.
 */
export const DEFAULT_SLICE_COMMAND_SECONDS = 1.5;

/** Rounds of "cut the slowest shard's largest file once more" after the fair-share cuts. */
const BOTTLENECK_ROUNDS = 8;
/** Above this many tests to place, the per-test candidate is not tried (planning stays fast). */
const MAX_PER_TEST_UNITS = 200_000;

/** Tests of one file that a selection cannot tell apart: they go to one slice together. */
interface Atom {
  readonly ids: readonly string[];
  readonly seconds: number;
}

type Candidate = { items: SlicedItems; assignment: Int32Array; makespan: number };

/**
 * Cuts files into slices of their tests where that lowers the slowest shard (pure). First every
 * splittable file larger than a fair share is cut into the fewest slices that each fit one; then,
 * while the slowest shard holds a splittable file, that file gets one more slice. Beside these,
 * a per-test candidate: every test of a splittable file placed on its own, longest first, on the
 * shard it costs least (what pytest-split's least_duration does, plus the cost of opening the file
 * on one more shard), its tests on one shard forming that shard's slice. Each candidate is
 * weighed in full, extra overheads and command start-ups included, and kept only when its makespan
 * is lower than the best so far: a cut pays for itself or is not made. A file is splittable when
 * it is an item of its own (a file in a feature group stays whole) and history knows at least two
 * of its tests that a selection can tell apart. Returns undefined when no cut pays.
 */
export function planSlices(input: SliceInput): SliceResult | undefined {
  const { files, items, shardCount } = input;
  if (shardCount < 2) return undefined;
  const atoms = new Map<number, Atom[]>();
  for (const ref of items.refs) {
    if (ref < 0) continue;
    const known = input.perTest.get(files[ref]!);
    if (known === undefined || known.size < 2) continue;
    const list = atomsOf(files[ref]!, known, input.selectionGroups);
    if (list.length >= 2) atoms.set(ref, list);
  }
  if (atoms.size === 0) return undefined;
  const single = new Set(atoms.keys());

  const fileLevel = makespanOf(items.sizes, input.assignment, shardCount);
  let total = 0;
  for (const size of items.sizes) total += size;
  const tolerance = Math.max(total, 1e-300) * 1e-9;
  const perSlice = (i: number): number => input.sliceOverhead[i]! + (input.commandSeconds ?? 0);

  const maxSlices = (i: number): number => Math.min(shardCount, atoms.get(i)!.length);
  const cuts = new Map<number, number>();
  for (const i of [...single].sort((a, b) => a - b)) {
    const k = slicesForFairShare(input.testSeconds[i]!, perSlice(i), total, shardCount, maxSlices(i));
    if (k >= 2) cuts.set(i, k);
  }

  let best: Candidate | undefined;
  if (cuts.size > 0) {
    const tried = evaluate(input, atoms, cuts);
    if (tried.makespan < fileLevel - tolerance) best = tried;
    else cuts.clear();
  }
  for (let round = 0; round < BOTTLENECK_ROUNDS; round++) {
    const current = best ?? { items: { ...items, slices: [] }, assignment: input.assignment, makespan: fileLevel };
    const file = largestSplittableOnSlowestShard(current, files.length, single, cuts, maxSlices, shardCount);
    if (file === undefined) break;
    const next = new Map(cuts);
    next.set(file, (cuts.get(file) ?? 1) + 1);
    const tried = evaluate(input, atoms, next);
    if (!(tried.makespan < current.makespan - tolerance)) break;
    best = tried;
    cuts.set(file, next.get(file)!);
  }
  for (const tried of perTestCandidates(input, atoms)) {
    if (tried.makespan < Math.min(fileLevel, best?.makespan ?? Infinity) - tolerance) best = tried;
  }
  if (best === undefined) return undefined;
  return { items: best.items, assignment: best.assignment, fileLevelSeconds: fileLevel, slicedSeconds: best.makespan };
}

/**
 * A file's known tests in the groups its selection keeps apart, each group's seconds the sum of
 * its tests; longest first, ties by first id, so the result is canonical.
 */
function atomsOf(file: string, known: ReadonlyMap<string, number>, groupsOf: SliceInput['selectionGroups']): Atom[] {
  const ids = [...known.keys()].sort(compareCodeUnits);
  const groups = groupsOf === undefined ? ids.map((id) => [id]) : groupsOf(file, ids);
  const seen = new Set<string>();
  const out: Atom[] = [];
  for (const group of groups) {
    const members = [...new Set(group)].filter((id) => known.has(id) && !seen.has(id)).sort(compareCodeUnits);
    for (const id of members) seen.add(id);
    if (members.length > 0) out.push({ ids: members, seconds: members.reduce((sum, id) => sum + known.get(id)!, 0) });
  }
  // an id the groups left out is a group of its own: nothing is lost
  for (const id of ids) if (!seen.has(id)) out.push({ ids: [id], seconds: known.get(id)! });
  return out.sort((a, b) => b.seconds - a.seconds || compareCodeUnits(a.ids[0]!, b.ids[0]!));
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

/** The item table with these files cut, partitioned. */
function evaluate(input: SliceInput, atoms: ReadonlyMap<number, Atom[]>, cuts: ReadonlyMap<number, number>): Candidate {
  const slices: FileSlice[] = [];
  for (const [file, k] of [...cuts].sort((a, b) => a[0] - b[0])) slices.push(...cutFile(input, file, k, atoms.get(file)));
  const { table } = tableOf(input, slices, new Set(cuts.keys()));
  const assignment = input.partitioner.partition(table.sizes, input.shardCount);
  return { items: table, assignment, makespan: makespanOf(table.sizes, assignment, input.shardCount) };
}

/**
 * The items with the cut files' own items replaced by their slices, sorted like buildItemTable's
 * (size, then key); `order[k]` is the unsorted position of item k (items first, then slices).
 */
function tableOf(input: SliceInput, slices: readonly FileSlice[], cut: ReadonlySet<number>): { table: SlicedItems; order: number[]; kept: number[] } {
  const { files, items } = input;
  const refs: number[] = [];
  const sizes: number[] = [];
  const kept: number[] = [];
  for (let k = 0; k < items.sizes.length; k++) {
    const ref = items.refs[k]!;
    if (ref >= 0 && cut.has(ref)) continue;
    refs.push(ref);
    sizes.push(items.sizes[k]!);
    kept.push(k);
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
  const table: SlicedItems = {
    sizes: order.map((k) => sizes[k]!),
    refs: Int32Array.from(order, (k) => refs[k]!),
    pieces: items.pieces,
    splitGroups: items.splitGroups,
    slices,
  };
  return { table, order, kept };
}

/**
 * The per-test candidate, placed as built and re-partitioned (whichever is lower is kept by the
 * caller). Tests longest first (ties by file, then id), each to the shard where it ends lowest:
 * its load plus, where the file is not yet open, what opening it costs (the file's overhead once
 * more, and a command's start-up when slices run in commands of their own). With no overhead and
 * no start-up this is per-test LPT exactly; a file whose tests all land on one shard stays whole.
 */
function perTestCandidates(input: SliceInput, atoms: ReadonlyMap<number, Atom[]>): Candidate[] {
  const { files, items, shardCount } = input;
  let unitCount = items.sizes.length;
  for (const list of atoms.values()) unitCount += list.length;
  if (unitCount > MAX_PER_TEST_UNITS) return [];
  // units: whole items (k >= 0: index into items) and atoms (file, atom index, scaled seconds)
  const units: { size: number; item: number; file: number; atom: number }[] = [];
  for (let k = 0; k < items.sizes.length; k++) {
    const ref = items.refs[k]!;
    if (ref >= 0 && atoms.has(ref)) continue;
    units.push({ size: items.sizes[k]!, item: k, file: ref, atom: -1 });
  }
  for (const [file, list] of atoms) {
    const known = list.reduce((sum, atom) => sum + atom.seconds, 0);
    const fileTests = input.testSeconds[file]!;
    list.forEach((atom, a) => units.push({ size: known > 0 ? (fileTests * atom.seconds) / known : fileTests / list.length, item: -1, file, atom: a }));
  }
  units.sort((x, y) => {
    const d = y.size - x.size;
    if (d !== 0) return d;
    if ((x.atom < 0) !== (y.atom < 0)) return x.atom < 0 ? -1 : 1;
    if (x.atom < 0) return x.item - y.item;
    return compareCodeUnits(files[x.file]!, files[y.file]!) || compareCodeUnits(atoms.get(x.file)![x.atom]!.ids[0]!, atoms.get(y.file)![y.atom]!.ids[0]!);
  });
  const loads = new Float64Array(shardCount);
  const itemShard = new Int32Array(items.sizes.length).fill(-1);
  const openOn = new Map<number, Map<number, number[]>>(); // file -> shard -> atom indices
  const command = input.commandSeconds ?? 0;
  for (const unit of units) {
    const open = unit.atom < 0 ? undefined : openOn.get(unit.file);
    let target = 0;
    let targetCost = Infinity;
    for (let s = 0; s < shardCount; s++) {
      let cost = loads[s]! + unit.size;
      if (unit.atom >= 0 && open?.has(s) !== true) {
        const paid = input.overheadModelled || (open?.size ?? 0) > 0 ? input.sliceOverhead[unit.file]! : 0;
        cost += paid + command;
      }
      if (cost < targetCost) {
        target = s;
        targetCost = cost;
      }
    }
    loads[target] = targetCost;
    if (unit.atom < 0) {
      itemShard[unit.item] = target;
      continue;
    }
    let byShard = open;
    if (byShard === undefined) openOn.set(unit.file, (byShard = new Map()));
    const list = byShard.get(target);
    if (list === undefined) byShard.set(target, [unit.atom]);
    else list.push(unit.atom);
  }

  const slices: FileSlice[] = [];
  const sliceShard: number[] = [];
  const cut = new Set<number>();
  const wholeShard = new Map<number, number>();
  for (const file of [...openOn.keys()].sort((a, b) => a - b)) {
    const byShard = openOn.get(file)!;
    if (byShard.size === 1) {
      wholeShard.set(file, [...byShard.keys()][0]!);
      continue;
    }
    cut.add(file);
    const list = atoms.get(file)!;
    const bins = [...byShard].sort((a, b) => a[0] - b[0]).map(([shard, indices]) => ({
      shard,
      tests: indices.flatMap((a) => list[a]!.ids),
      seconds: indices.reduce((sum, a) => sum + list[a]!.seconds, 0),
    }));
    const made = slicesOfBins(input, file, bins);
    for (const [j, slice] of made.entries()) {
      slices.push(slice);
      sliceShard.push(bins[binOrder(bins)[j]!]!.shard);
    }
  }
  if (cut.size === 0) return [];
  const { table, order, kept } = tableOf(input, slices, cut);
  const placed = new Int32Array(table.sizes.length);
  order.forEach((k, sorted) => {
    if (k < kept.length) {
      const item = kept[k]!;
      const ref = input.items.refs[item]!;
      placed[sorted] = ref >= 0 && wholeShard.has(ref) ? wholeShard.get(ref)! : itemShard[item]!;
    } else {
      placed[sorted] = sliceShard[k - kept.length]!;
    }
  });
  const repartitioned = input.partitioner.partition(table.sizes, shardCount);
  return [
    { items: table, assignment: placed, makespan: makespanOf(table.sizes, placed, shardCount) },
    { items: table, assignment: repartitioned, makespan: makespanOf(table.sizes, repartitioned, shardCount) },
  ];
}

/** The order slices are numbered in: the lightest bin first (slice 1), then the rest as they come. */
function binOrder(bins: readonly { seconds: number }[]): number[] {
  let lightest = 0;
  for (let b = 1; b < bins.length; b++) if (bins[b]!.seconds < bins[lightest]!.seconds) lightest = b;
  return [lightest, ...bins.map((_, b) => b).filter((b) => b !== lightest)];
}

/**
 * A file's known tests in k slices: groups of tests a selection cannot tell apart, longest first
 * (ties by id), into the least loaded slice, so the slices are as even as the tests allow. The
 * lightest becomes slice 1, which also runs the tests history does not know.
 */
export function cutFile(
  input: Pick<SliceInput, 'files' | 'testSeconds' | 'sliceOverhead' | 'overheadModelled' | 'perTest' | 'commandSeconds' | 'selectionGroups'>,
  file: number,
  k: number,
  atoms?: readonly Atom[],
): FileSlice[] {
  const list = atoms ?? atomsOf(input.files[file]!, input.perTest.get(input.files[file]!)!, input.selectionGroups);
  const bins = Array.from({ length: k }, () => ({ tests: [] as string[], seconds: 0 }));
  for (const atom of list) {
    let target = 0;
    for (let b = 1; b < k; b++) {
      const x = bins[b]!;
      const t = bins[target]!;
      if (x.seconds < t.seconds || (x.seconds === t.seconds && x.tests.length < t.tests.length)) target = b;
    }
    bins[target]!.tests.push(...atom.ids);
    bins[target]!.seconds += atom.seconds;
  }
  return slicesOfBins(input, file, bins);
}

/**
 * Slices from bins of tests, numbered by binOrder. Each slice's seconds are its share of the
 * file's estimate (the per-test times only say how the file divides), plus the overhead every
 * extra slice pays again, plus the start-up of its own command where slices need one.
 */
function slicesOfBins(
  input: Pick<SliceInput, 'testSeconds' | 'sliceOverhead' | 'overheadModelled' | 'commandSeconds'>,
  file: number,
  bins: readonly { tests: readonly string[]; seconds: number }[],
): FileSlice[] {
  const k = bins.length;
  const knownTotal = bins.reduce((sum, bin) => sum + bin.seconds, 0);
  const fileTests = input.testSeconds[file]!;
  const overhead = input.sliceOverhead[file]!;
  const command = input.commandSeconds ?? 0;
  return binOrder(bins).map((b, j) => {
    const bin = bins[b]!;
    const testSeconds = knownTotal > 0 ? (fileTests * bin.seconds) / knownTotal : fileTests / k;
    // without a wall model the file's first collection is inside its measured time: only extra slices add one
    const paid = input.overheadModelled || j > 0 ? overhead : 0;
    return { file, slice: j + 1, of: k, tests: [...bin.tests].sort(compareCodeUnits), testSeconds, seconds: testSeconds + paid + command };
  });
}

/** The overhead a slice pays when walls are not modelled (see DEFAULT_SLICE_OVERHEAD_*). */
export function defaultSliceOverhead(testSeconds: number): number {
  return Math.max(DEFAULT_SLICE_OVERHEAD_SECONDS, DEFAULT_SLICE_OVERHEAD_SHARE * testSeconds);
}
