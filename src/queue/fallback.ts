import { connectRedis, RedisUnavailable, type QueueUrl } from './connect.js';
import { RedisQueue } from './redis-queue.js';
import { itemVerdicts, settleBatchReport } from './run-batch.js';
import type { QueueItem } from './types.js';

export interface FallbackShard {
  readonly url: QueueUrl;
  readonly queueId: string;
  readonly ttlSeconds: number;
  /** The plan this worker ran its shard of, and the queue's items from it (ids = seeded order). */
  readonly fingerprint: string;
  readonly items: readonly Omit<QueueItem, 'id'>[];
  readonly shard: { readonly index: number; readonly total: number };
  readonly shardFiles: readonly string[];
  readonly workerName: string;
  readonly junit: string | undefined;
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly cwd: string;
}

/**
 * A worker that could not reach Redis at its start ran its static shard; once the shard is done it
 * tries again and, when the queue is there and seeded from the same plan, joins it as a fallback
 * worker and acknowledges its shard's verdicts. Each file then counts once whoever ran it first:
 * where the queue's workers were first, this report drops the file (or is set aside whole), and
 * where this shard was first, their later reports drop it. `queue wait` names the fallback.
 * Returns what to tell the user: `warn` when the verdicts could not be reported.
 */
export async function reportFallbackShard(f: FallbackShard): Promise<{ notes: string[]; warn?: string; reported: boolean }> {
  let redis;
  try {
    redis = await connectRedis(f.url);
  } catch (error) {
    if (!(error instanceof RedisUnavailable)) throw error;
    return {
      notes: [],
      reported: false,
      warn: `queue ${f.queueId}: still cannot reach Redis, so this shard's verdicts are not in the queue; if other workers ran the queue, its files ran twice and this report duplicates theirs (merge counts those files from the queue's reports)`,
    };
  }
  const queue = new RedisQueue(redis, f.queueId, f.ttlSeconds);
  try {
    const snapshot = await queue.snapshot();
    if (!snapshot.seeded) return { notes: [`queue ${f.queueId}: no worker reached it (not seeded); 'queue wait' reports it incomplete`], reported: false };
    if (snapshot.fingerprint !== f.fingerprint) {
      return { notes: [], reported: false, warn: `queue ${f.queueId} was seeded from another plan (${String(snapshot.fingerprint).slice(0, 12)}): this shard's verdicts are not reported to it; its files may have run twice` };
    }
    const inShard = new Set(f.shardFiles);
    const items: QueueItem[] = f.items.map((item, id) => ({ id, ...item })).filter((item) => item.files.every((file) => inShard.has(file)));
    const worker = await queue.register(`${f.workerName} (static shard)`, `${f.shard.index}/${f.shard.total}`);
    const { results, testSeconds } = await itemVerdicts(items, f.junit, f.exitCode, f.cwd);
    const first = await queue.acknowledge(worker, 0, results, f.wallSeconds);
    const outcome = { results, wallSeconds: f.wallSeconds, testSeconds, exitCode: f.exitCode, junit: f.junit };
    const settled = await settleBatchReport({ lease: { batch: 0, items }, outcome, requeued: [], first }, f.cwd);
    const counted = first.filter(Boolean).length;
    return {
      reported: true,
      notes: [
        `queue ${f.queueId}: reported static shard ${f.shard.index}/${f.shard.total} as fallback worker ${worker}: ${counted} of ${items.length} items counted here, ${items.length - counted} already done by the queue`,
        ...(settled === undefined ? [] : [settled]),
      ],
    };
  } finally {
    await queue.close();
  }
}
