import { UserError } from '../errors.js';
import { compareCodeUnits } from '../paths.js';
import { estimateFiles } from './estimate.js';
import { planFingerprint } from './fingerprint.js';
import { assignGroups } from './groups.js';
import { improvingPartitioner } from './improve.js';
import { buildItems } from './items.js';
import { orderRuns } from './order-runs.js';
import type { Partitioner } from './partition.js';
import type { Plan, PlanRequest, ShardPlan } from './types.js';

export interface PlanOptions {
  /** Defaults to LPT followed by pairwise improvement. */
  readonly partitioner?: Partitioner;
}

/**
 * The whole plan: estimate every file from its history, gather feature groups into items, partition
 * the items over the shards. Pure and deterministic: the same files, runs, shard count and groups
 * give the same plan byte for byte, whatever order the files and runs come in.
 */
export function planShards(request: PlanRequest, options: PlanOptions = {}): Plan {
  const shardCount = request.shards;
  if (!Number.isSafeInteger(shardCount) || shardCount < 1) {
    throw new UserError(`--shards ${shardCount}: the shard count must be a whole number of at least 1`, {
      hint: 'e.g. --shards 4',
    });
  }
  const files = [...new Set(request.files)].sort(compareCodeUnits);
  if (files.length === 0) {
    throw new UserError('no test files to split', {
      hint: 'pass test globs, --files-from FILE, or "tests" in split-tests.config.json',
    });
  }
  const groups = assignGroups(files, request.groups ?? { kind: 'none' });
  const { estimates, estimatedFiles, estimator } = estimateFiles(files, orderRuns(request.runs), (f) => groups.get(f));

  const items = buildItems(files, estimates, groups, shardCount);
  const partitioner = options.partitioner ?? improvingPartitioner;
  const assignment = partitioner.partition(
    items.map((item) => item.size),
    shardCount,
  );

  const shardFiles: string[][] = Array.from({ length: shardCount }, () => []);
  const shardSeconds = new Float64Array(shardCount);
  const shardGroups: Set<string>[] = Array.from({ length: shardCount }, () => new Set());
  const shardsOfGroup = new Map<string, Set<number>>();
  items.forEach((item, i) => {
    const shard = assignment[i]!;
    shardFiles[shard]!.push(...item.files);
    shardSeconds[shard]! += item.size;
    if (item.group !== undefined) {
      shardGroups[shard]!.add(item.group);
      let set = shardsOfGroup.get(item.group);
      if (set === undefined) shardsOfGroup.set(item.group, (set = new Set()));
      set.add(shard);
    }
  });

  let total = 0;
  let largestItem = 0;
  for (const item of items) {
    total += item.size;
    if (item.size > largestItem) largestItem = item.size;
  }

  // Rounded only now, after planning, so that output is stable text and the plan used full precision.
  const roundedEstimates = new Map<string, number>();
  const estimatesRecord: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const file of files) {
    const value = round3(estimates.get(file) ?? 0);
    roundedEstimates.set(file, value);
    estimatesRecord[file] = value;
  }

  const shards: ShardPlan[] = shardFiles.map((list, s) => ({
    index: s + 1,
    files: list.sort(compareCodeUnits),
    estimatedSeconds: round3(shardSeconds[s]!),
    groups: [...shardGroups[s]!].sort(compareCodeUnits),
  }));
  const splitGroups = [...shardsOfGroup]
    .filter(([, set]) => set.size > 1)
    .map(([group]) => group)
    .sort(compareCodeUnits);

  return {
    schemaVersion: 1,
    shardCount,
    shards,
    estimatedTotalSeconds: round3(total),
    lowerBoundSeconds: round3(Math.max(total / shardCount, largestItem)),
    fingerprint: planFingerprint(files, roundedEstimates, groups, shardCount),
    estimatedFiles,
    estimator,
    splitGroups,
    estimates: estimatesRecord,
  };
}

function round3(value: number): number {
  const r = Math.round(value * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}
