import { UserError } from '../errors.js';
import { sortByCodeUnits } from '../code-unit-sort.js';
import { compareCodeUnits } from '../paths.js';
import { estimateFileArray } from './estimate.js';
import { planFingerprint } from './fingerprint.js';
import { assignGroups } from './groups.js';
import { improvingPartitioner } from './improve.js';
import { placeCompact } from './compact-groups.js';
import { buildItemTable, GROUP_CUTS, groupMembers, maxSpread, orderItems, type GroupPiece, type ItemTable } from './items.js';
import { makespanOf } from './partition.js';
import { orderRuns } from './order-runs.js';
import { MAX_SHARDS } from './shard-spec.js';
import type { Partitioner } from './partition.js';
import type { BoundBy, Plan, PlanRequest, ShardPlan, ShardSlice, SlicingSummary, WallSummary } from './types.js';
import { DEFAULT_SLICE_COMMAND_SECONDS, defaultSliceOverhead, planSlices, type FileSlice } from './slices.js';
import { sliceFingerprint } from './slices-fingerprint.js';
import { testEstimatesOf } from './slices-tests.js';
import { fitWallModel, overheadOf, type WallModel } from './walls.js';

export interface PlanOptions {
  /** Defaults to LPT followed by pairwise improvement. */
  readonly partitioner?: Partitioner;
  /** A wall model already fitted to the same history (pipeline plan plans many shard counts). */
  readonly wallModel?: WallModel;
}

/**
 * The whole plan: estimate every file from its history, gather feature groups into items, partition
 * the items over the shards. Pure and deterministic: the same files, runs, shard count and groups
 * give the same plan byte for byte, whatever order the files and runs come in.
 */
export function planShards(request: PlanRequest, options: PlanOptions = {}): Plan {
  const shardCount = request.shards;
  if (shardCount > MAX_SHARDS) {
    throw new UserError(`--shards ${shardCount}: more than ${MAX_SHARDS} shards`, { hint: `each shard is a CI job; pick a number between 1 and ${MAX_SHARDS}` });
  }
  if (!Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new UserError(`--shards ${shardCount}: the shard count must be a whole number of at least 1`, {
      hint: 'e.g. --shards 4',
    });
  }
  const files = uniqueSorted(request.files);
  if (files.length === 0) {
    throw new UserError('no test files to split', {
      hint: 'pass test globs, --files-from FILE, or "tests" in split-tests.config.json',
    });
  }
  const groups = assignGroups(files, request.groups ?? { kind: 'none' });
  const ordered = orderRuns(request.runs);
  const { values: tests, estimatedFiles, estimator } = estimateFileArray(files, ordered, (f) => groups.get(f));

  // A file weighs what it costs the shard's wall: its tests plus its overhead (0 without wall data).
  const model = options.wallModel ?? fitWallModel(ordered);
  const overheads = new Float64Array(files.length);
  if (model.modelled) for (let i = 0; i < files.length; i++) overheads[i] = overheadOf(model, files[i]!);
  const estimates = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) estimates[i] = tests[i]! + overheads[i]!;
  const fixed = model.fixedSeconds;

  const partitioner = options.partitioner ?? improvingPartitioner;
  const spreadGroups = request.spreadGroups === true;
  const byFile = partitionItems(files, estimates, groups, shardCount, partitioner, spreadGroups);
  const { spread } = byFile;
  // a file larger than the balance allows is cut into slices of its tests, when the runner can select them
  const command = request.slicing?.commandPerSlice === true ? commandCost(model) : undefined;
  const sliced =
    request.slicing?.selectTests === true
      ? sliceFiles(files, tests, estimates, overheads, model.modelled, ordered, byFile, shardCount, partitioner, command?.seconds ?? 0, request.slicing.selectionGroups)
      : undefined;
  const { items, assignment } = sliced ?? byFile;
  const slices: readonly FileSlice[] = sliced?.items.slices ?? [];
  const shardSlices: FileSlice[][] = Array.from({ length: shardCount }, () => []);

  // Files go to their shard as indices into the sorted list: sorting each shard's indices sorts
  // its files by code units, with a native numeric sort instead of string comparisons.
  const shardIndices: number[][] = Array.from({ length: shardCount }, () => []);
  const shardSeconds = new Float64Array(shardCount);
  const shardGroups: Set<string>[] = Array.from({ length: shardCount }, () => new Set());
  const shardsOfGroup = new Map<string, Set<number>>();
  let total = 0;
  for (const size of items.sizes) total += size;
  // a group larger than a fair share may be cut anywhere: its files, not its pieces, bound the plan
  const groupSeconds = new Map<string, number>();
  for (const piece of items.pieces) groupSeconds.set(piece.group, (groupSeconds.get(piece.group) ?? 0) + piece.size);
  const cuttable = (group: string): boolean => groupSeconds.get(group)! > (total / shardCount) * (1 + 1e-12);
  let largestItem = 0;
  let largestRef = 0;
  for (let k = 0; k < items.sizes.length; k++) {
    const shard = assignment[k]!;
    const size = items.sizes[k]!;
    shardSeconds[shard]! += size;
    let atom = size;
    let atomRef = items.refs[k]!;
    if (atomRef < 0) {
      const piece = items.pieces[-1 - atomRef]!;
      if (piece.files.length > 1 && cuttable(piece.group)) {
        atom = 0;
        for (const i of piece.files) if (estimates[i]! > atom) [atom, atomRef] = [estimates[i]!, i];
      }
    }
    if (atom > largestItem) {
      largestItem = atom;
      largestRef = atomRef;
    }
    const ref = items.refs[k]!;
    if (ref >= files.length) {
      shardSlices[shard]!.push(slices[ref - files.length]!);
      continue;
    }
    if (ref >= 0) {
      shardIndices[shard]!.push(ref);
      continue;
    }
    const piece = items.pieces[-1 - ref]!;
    for (const i of piece.files) shardIndices[shard]!.push(i);
    shardGroups[shard]!.add(piece.group);
    let set = shardsOfGroup.get(piece.group);
    if (set === undefined) shardsOfGroup.set(piece.group, (set = new Set()));
    set.add(shard);
  }

  // Rounded only now, after planning, so that output is stable text and the plan used full precision.
  const rounded = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) rounded[i] = round3(estimates[i]!);

  let nonEmpty = 0;
  const shards: ShardPlan[] = shardIndices.map((list, s) => {
    const order = Int32Array.from(list).sort();
    let testSeconds = 0;
    for (const i of order) testSeconds += tests[i]!;
    const onShard = shardSlices[s]!.sort((a, b) => compareCodeUnits(files[a.file]!, files[b.file]!) || a.slice - b.slice);
    for (const slice of onShard) testSeconds += slice.testSeconds;
    // an empty shard starts no runner: it costs nothing
    const shardFixed = order.length > 0 || onShard.length > 0 ? fixed : 0;
    if (order.length > 0 || onShard.length > 0) nonEmpty++;
    return {
      index: s + 1,
      files: Array.from(order, (i) => files[i]!),
      estimatedSeconds: round3(shardSeconds[s]! + shardFixed),
      estimatedTestSeconds: round3(testSeconds),
      estimatedOverheadSeconds: round3(Math.max(0, shardSeconds[s]! - testSeconds) + shardFixed),
      groups: [...shardGroups[s]!].sort(compareCodeUnits),
      // per file, as arrays beside `files`: a 100,000-key object costs ~10x more to build and print
      fileSeconds: Array.from(order, (i) => rounded[i]!),
      ...(slices.length > 0 ? { slices: onShard.map((slice) => shardSlice(slice, files)) } : {}),
    };
  });
  const splitGroups = [...shardsOfGroup]
    .filter(([, set]) => set.size > 1)
    .map(([group]) => group)
    .sort(compareCodeUnits);

  const walls: WallSummary = {
    modelled: model.modelled,
    fixedSeconds: round3(fixed),
    separated: model.separated,
    perFileSeconds: round3(model.perFileSeconds),
    filesWithOwnOverhead: model.ownOverhead.size,
    filesWithReportedOverhead: model.reportedFiles,
    observations: model.observations,
    outliers: model.outliers,
  };
  const boundBy = largestItem > total / shardCount + 1e-9 * Math.max(1, total) ? boundOf(largestRef, largestItem, files, items, slices) : undefined;
  const fingerprint = planFingerprint(files, rounded, groups, shardCount);
  return {
    schemaVersion: 1,
    shardCount,
    shards,
    estimatedTotalSeconds: round3(total + fixed * nonEmpty),
    // every shard pays the fixed cost, so it adds to both sides of the bound
    lowerBoundSeconds: round3(Math.max(total / shardCount, largestItem) + fixed),
    // the fixed cost moves every shard alike and does not change the partition; the weights do
    // slices are part of what every node must agree on
    fingerprint: slices.length > 0 ? sliceFingerprint(fingerprint, slices.map((slice) => shardSlice(slice, files))) : fingerprint,
    estimatedFiles,
    estimator,
    splitGroups,
    walls,
    ...(boundBy !== undefined ? { boundBy } : {}),
    ...(spread !== undefined
      ? { spread: { allowed: spreadGroups, compactSeconds: round3(spread.compact + fixed), spreadSeconds: round3(spread.wide + fixed) } }
      : {}),
    ...(sliced !== undefined ? { slicing: slicingSummary(sliced, files, fixed, command) } : {}),
  };
}

function sliceFiles(
  files: readonly string[],
  tests: ArrayLike<number>,
  estimates: Float64Array,
  overheads: Float64Array,
  modelled: boolean,
  ordered: PlanRequest['runs'],
  byFile: { items: ItemTable; assignment: Int32Array },
  shardCount: number,
  partitioner: Partitioner,
  commandSeconds: number,
  selectionGroups: ((file: string, tests: readonly string[]) => string[][]) | undefined,
): ReturnType<typeof planSlices> {
  const perTest = testEstimatesOf(ordered);
  if (perTest.size === 0) return undefined;
  const sliceOverhead = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) sliceOverhead[i] = modelled ? overheads[i]! : defaultSliceOverhead(tests[i]!);
  return planSlices({
    files,
    testSeconds: tests,
    estimates,
    sliceOverhead,
    overheadModelled: modelled,
    perTest,
    items: byFile.items,
    assignment: byFile.assignment,
    shardCount,
    partitioner,
    commandSeconds,
    selectionGroups,
  });
}

/**
 * What a slice's own command costs to start: the walls model's fixed cost per command where the
 * recorded shards told it apart from the per-file part, else an assumed figure (stated in the plan).
 */
function commandCost(model: WallModel): { seconds: number; from: 'walls' | 'assumed' } {
  return model.modelled && model.separated ? { seconds: model.fixedSeconds, from: 'walls' } : { seconds: DEFAULT_SLICE_COMMAND_SECONDS, from: 'assumed' };
}

function shardSlice(slice: FileSlice, files: readonly string[]): ShardSlice {
  return { file: files[slice.file]!, slice: slice.slice, of: slice.of, tests: [...slice.tests], estimatedSeconds: round3(slice.seconds) };
}

function slicingSummary(
  sliced: NonNullable<ReturnType<typeof planSlices>>,
  files: readonly string[],
  fixed: number,
  command: { seconds: number; from: 'walls' | 'assumed' } | undefined,
): SlicingSummary {
  const perFile = new Map<number, { slices: number; tests: number; seconds: number }>();
  for (const slice of sliced.items.slices) {
    const entry = perFile.get(slice.file) ?? { slices: 0, tests: 0, seconds: 0 };
    perFile.set(slice.file, { slices: entry.slices + 1, tests: entry.tests + slice.tests.length, seconds: entry.seconds + slice.seconds });
  }
  return {
    files: [...perFile].sort((a, b) => a[0] - b[0]).map(([i, e]) => ({ file: files[i]!, slices: e.slices, tests: e.tests, estimatedSeconds: round3(e.seconds) })),
    fileLevelSeconds: round3(sliced.fileLevelSeconds + fixed),
    slicedSeconds: round3(sliced.slicedSeconds + fixed),
    ...(command !== undefined ? { commandSeconds: round3(command.seconds), commandSecondsFrom: command.from } : {}),
  };
}

/** The item that alone sets the lower bound: a file (a single one, or the only file of its piece) or a group piece. */
function boundOf(ref: number, seconds: number, files: readonly string[], items: ItemTable, slices: readonly FileSlice[]): BoundBy {
  if (ref >= files.length) return { kind: 'file', name: files[slices[ref - files.length]!.file]!, seconds: round3(seconds) };
  if (ref >= 0) return { kind: 'file', name: files[ref]!, seconds: round3(seconds) };
  const piece = items.pieces[-1 - ref]!;
  if (piece.files.length === 1) return { kind: 'file', name: files[piece.files[0]!]!, seconds: round3(seconds) };
  return { kind: 'group', name: piece.group, seconds: round3(seconds) };
}

/**
 * Items and their shards. When a group is larger than a fair share, each way of cutting it
 * (GROUP_CUTS) is partitioned and the one with the lowest makespan is kept; on a tie the earlier
 * cut, which spreads the group over fewer shards.
 *
 * Compact (the default): a group's shared setup runs once per shard it lands on, so a group of
 * size G may land on at most ceil(G / fair share) + 1 shards; a cut whose partition spreads it
 * wider is not taken. When such a wider spread would have lowered the slowest shard, the plan says
 * by how much (`spread`), and `spreadGroups` takes it.
 */
function partitionItems(
  files: readonly string[],
  estimates: Float64Array,
  groups: ReadonlyMap<string, string>,
  shardCount: number,
  partitioner: Partitioner,
  spreadGroups: boolean,
): { items: ItemTable; assignment: Int32Array; spread?: { compact: number; wide: number } } {
  const first = buildItemTable(files, estimates, groups, shardCount, GROUP_CUTS[0], !spreadGroups);
  const firstAssignment = partitioner.partition(first.sizes, shardCount);
  if (first.splitGroups === 0) return { items: first, assignment: firstAssignment };
  let total = 0;
  for (const x of first.sizes) total += x;
  const tolerance = Math.max(total, 1e-300) * 1e-12;
  const fairShare = total / shardCount;

  let compact: { items: ItemTable; assignment: Int32Array; makespan: number } | undefined;
  let wide: { items: ItemTable; assignment: Int32Array; makespan: number } | undefined;
  const consider = (items: ItemTable, assignment: Int32Array): void => {
    const makespan = makespanOf(items.sizes, assignment, shardCount);
    if (wide === undefined || makespan < wide.makespan - tolerance) wide = { items, assignment, makespan };
    if (withinSpread(items, assignment, fairShare) && (compact === undefined || makespan < compact.makespan - tolerance)) {
      compact = { items, assignment, makespan };
    }
  };
  consider(first, firstAssignment);
  for (const cut of GROUP_CUTS.slice(1)) {
    const other = buildItemTable(files, estimates, groups, shardCount, cut, !spreadGroups);
    consider(other, partitioner.partition(other.sizes, shardCount));
  }
  // the even cut with the other cap: without it when compact (a wider spread to compare with),
  // with it when spreading (the compact plan to compare with)
  const other = buildItemTable(files, estimates, groups, shardCount, GROUP_CUTS[0], spreadGroups);
  consider(other, partitioner.partition(other.sizes, shardCount));
  // the large groups placed file by file beside everything else, each within its cap: pieces sized
  // to the room the other items leave, which no cut made before partitioning can know
  // (and once without caps: the wider spread to compare with, or to take with spreadGroups)
  for (const capped of [true, false]) {
    const placed = placeGroupFiles(files, estimates, groups, shardCount, fairShare, capped);
    if (placed === undefined) break;
    consider(placed.items, placed.assignment);
  }
  // the capped even cut spreads a group over at most its pieces, so compact is always found
  const chosen = spreadGroups || compact === undefined ? wide! : compact;
  const note = compact !== undefined && wide!.makespan < compact.makespan - tolerance ? { compact: compact.makespan, wide: wide!.makespan } : undefined;
  return { items: chosen.items, assignment: chosen.assignment, ...(note !== undefined ? { spread: note } : {}) };
}

/**
 * Every file outside a large group is one unit (a group within a fair share is one unit), every file
 * of a large group is one unit capped with its group (compact-groups.ts); the result as the pieces
 * each large group has on each shard.
 */
function placeGroupFiles(
  files: readonly string[],
  estimates: Float64Array,
  groups: ReadonlyMap<string, string>,
  shardCount: number,
  fairShare: number,
  capped: boolean,
): { items: ItemTable; assignment: Int32Array } | undefined {
  const { members, ungrouped: singles } = groupMembers(files, groups);
  // units: [file indices, size, capped group or -1, key]; whole groups keep their key
  const units: { files: number[]; size: number; group: number; key: string }[] = singles.map((i) => ({ files: [i], size: estimates[i]!, group: -1, key: '' }));
  const large: string[] = [];
  const caps: number[] = [];
  for (const [group, list] of [...members].sort(([a], [b]) => compareCodeUnits(a, b))) {
    let size = 0;
    for (const i of list) size += estimates[i]!;
    if (size <= fairShare * (1 + 1e-12) || list.length === 1) {
      units.push({ files: list, size, group: -1, key: `g:${group}` });
      continue;
    }
    caps.push(capped ? maxSpread(size, fairShare) : shardCount);
    for (const i of list) units.push({ files: [i], size: estimates[i]!, group: large.length, key: '' });
    large.push(group);
  }
  if (large.length === 0) return undefined;
  // largest first; ties: single files (by path, i.e. index) before groups, groups by key
  units.sort((a, b) => b.size - a.size || (a.key === '' ? (b.key === '' ? a.files[0]! - b.files[0]! : -1) : b.key === '' ? 1 : compareCodeUnits(a.key, b.key)));
  const shardOf = placeCompact({ sizes: units.map((u) => u.size), group: Int32Array.from(units, (u) => u.group), caps }, shardCount);

  const pieces: GroupPiece[] = [];
  const pieceShard: number[] = [];
  const freeSingles: number[] = [];
  const singleShard = new Map<number, number>();
  // per large group and shard, its files there form one piece
  const byGroupShard = new Map<string, number[]>();
  units.forEach((u, k) => {
    const shard = shardOf[k]!;
    if (u.group >= 0) {
      const key = `${u.group}:${shard}`;
      let list = byGroupShard.get(key);
      if (list === undefined) byGroupShard.set(key, (list = []));
      list.push(u.files[0]!);
    } else if (u.key === '') {
      freeSingles.push(u.files[0]!);
      singleShard.set(u.files[0]!, shard);
    } else {
      pieces.push({ key: u.key, group: u.key.slice(2), size: u.size, files: u.files });
      pieceShard.push(shard);
    }
  });
  large.forEach((group, g) => {
    const width = String(shardCount).length;
    for (let shard = 0; shard < shardCount; shard++) {
      const list = byGroupShard.get(`${g}:${shard}`);
      if (list === undefined) continue;
      list.sort((a, b) => a - b);
      let size = 0;
      for (const i of list) size += estimates[i]!;
      pieces.push({ key: `g:${group}#placed-${String(shard + 1).padStart(width, '0')}`, group, size, files: list });
      pieceShard.push(shard);
    }
  });
  freeSingles.sort((a, b) => a - b);
  const items = orderItems(estimates, freeSingles, pieces, large.length);
  const assignment = Int32Array.from(items.refs, (ref) => (ref >= 0 ? singleShard.get(ref)! : pieceShard[-1 - ref]!));
  return { items, assignment };
}

/** Whether every split group lands on at most ceil(its size / fair share) + 1 shards. */
function withinSpread(items: ItemTable, assignment: Int32Array, fairShare: number): boolean {
  const shardsOf = new Map<string, Set<number>>();
  const sizeOf = new Map<string, number>();
  for (let k = 0; k < items.refs.length; k++) {
    const ref = items.refs[k]!;
    if (ref >= 0) continue;
    const piece = items.pieces[-1 - ref]!;
    let set = shardsOf.get(piece.group);
    if (set === undefined) shardsOf.set(piece.group, (set = new Set()));
    set.add(assignment[k]!);
    sizeOf.set(piece.group, (sizeOf.get(piece.group) ?? 0) + piece.size);
  }
  for (const [group, set] of shardsOf) {
    if (set.size > maxSpread(sizeOf.get(group)!, fairShare)) return false;
  }
  return true;
}

/**
 * De-duplicated and sorted by code units. The CLI hands over a sorted, unique list, which a linear
 * check confirms; otherwise a multikey quicksort by code units (code-unit-sort.ts).
 */
function uniqueSorted(list: readonly string[]): string[] {
  let sorted = true;
  for (let i = 1; i < list.length; i++) {
    if (!(list[i - 1]! < list[i]!)) {
      sorted = false;
      break;
    }
  }
  return sorted ? [...list] : sortByCodeUnits([...new Set(list)]);
}

function round3(value: number): number {
  const r = Math.round(value * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}
