import pLimit from 'p-limit';
import { runShard, type RunShardOptions, type ShardRunResult } from './run-shard.js';

export interface ShardWork {
  readonly index: number;
  readonly files: readonly string[];
  readonly estimatedSeconds: number;
  /** Slices of split files: see RunShardOptions.selection. */
  readonly selection?: RunShardOptions['selection'];
  /** `--rerun-failed`: see RunShardOptions.rerun. */
  readonly rerun?: RunShardOptions['rerun'];
  /** Slices in commands of their own: see RunShardOptions.sliceCommands. */
  readonly sliceCommands?: RunShardOptions['sliceCommands'];
}

export type RunShardsOptions = Omit<RunShardOptions, 'index' | 'files' | 'selection' | 'rerun' | 'sliceCommands' | 'estimatedSeconds' | 'output'> & {
  readonly shards: readonly ShardWork[];
  /** How many shards run at once (>= 1). */
  readonly concurrency: number;
  /** Where the children's stdout goes (`stderr` when our stdout carries JSON). */
  readonly stdout: 'stdout' | 'stderr';
};

/**
 * Runs several shards on this machine, at most `concurrency` at a time, longest estimate first so
 * the slowest shard is never the one left waiting for a free slot. Output is line-prefixed with
 * the shard when more than one can run at once. Results come back in shard order. A shard that
 * cannot even start (command not found) fails the whole run with that UserError, after the others
 * have finished, so no child is left running behind our back.
 */
export async function runShards(options: RunShardsOptions): Promise<ShardRunResult[]> {
  const { shards, concurrency, stdout, ...common } = options;
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  const prefixed = concurrency > 1 && shards.length > 1;
  const order = [...shards].sort((a, b) => b.estimatedSeconds - a.estimatedSeconds || a.index - b.index);
  const settled = await Promise.allSettled(
    order.map((shard) =>
      limit(() =>
        runShard({
          ...common,
          index: shard.index,
          files: shard.files,
          selection: shard.selection,
          rerun: shard.rerun,
          sliceCommands: shard.sliceCommands,
          estimatedSeconds: shard.estimatedSeconds,
          output: { mode: prefixed ? 'prefixed' : 'inherit', stdout },
        }),
      ),
    ),
  );
  const results: ShardRunResult[] = [];
  for (const outcome of settled) {
    // a usage error (command not found) is the same for every shard: report it once
    if (outcome.status === 'rejected') throw outcome.reason;
    results.push(outcome.value);
  }
  return results.sort((a, b) => a.index - b.index);
}

/**
 * The exit code of a set of shards: 0 when all passed, else the exit code of the lowest-numbered
 * failing shard (its own code, 124 for a timeout, 128+n for a signal), so the result is the same
 * whichever shard happened to finish first.
 */
export function combinedExitCode(results: readonly ShardRunResult[]): number {
  const failed = [...results].sort((a, b) => a.index - b.index).find((r) => r.exitCode !== 0);
  return failed === undefined ? 0 : failed.exitCode;
}
