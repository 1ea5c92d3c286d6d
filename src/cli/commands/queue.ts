import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../../ci/pipeline/duration.js';
import { resolveQueueId } from '../../ci/queue-id.js';
import { ExitCode, UserError } from '../../errors.js';
import { queueSummaryJson, renderQueueSummary, type QueueSummaryJson } from '../../queue/render.js';
import type { QueueBackend } from '../../queue/types.js';
import { once, type OptionTable } from '../options.js';
import { note } from '../warn.js';

interface QueueArgs {
  queue?: string;
  queueId?: string;
  timeout?: string;
  json?: boolean;
}

const OPTIONS = {
  queue: { coerce: once('queue'), type: 'string', requiresArg: true, describe: 'The Redis URL the workers use (default SPLIT_TESTS_REDIS_URL)' },
  'queue-id': { coerce: once('queue-id'), type: 'string', requiresArg: true, describe: "The queue (default: the CI's pipeline id, as the workers)" },
  json: { type: 'boolean', describe: 'Print one JSON document: items, passed, failed, requeued, lost, workers' },
} as const satisfies OptionTable;

const POLL_MS = 500;

/**
 * `queue wait` (the merge job's gate) and `queue status`. Exit codes: 0 every item ran and passed;
 * 1 any failed, or could not run (queue never seeded, Redis unreachable, timeout); 2 bad input.
 */
export const queueCommand: CommandModule<object, QueueArgs> = {
  command: 'queue <action>',
  describe: 'Wait for a queue-mode run to finish, or print its state',
  builder: (y: Argv<object>) =>
    y
      .command({
        command: 'wait',
        describe: 'Block until every item of the queue has a verdict; exit 0 only when all ran and passed',
        builder: (w: Argv<object>) =>
          w.options({ ...OPTIONS, timeout: { coerce: once('timeout'), type: 'string', requiresArg: true, describe: 'Give up after this long: 90s, 30m, 1h (default 30m)' } }),
        handler: (args) => queueAction('wait', args as QueueArgs),
      })
      .command({
        command: 'status',
        describe: "Print the queue's numbers now; exit 0 when it could be read",
        builder: (w: Argv<object>) => w.options(OPTIONS),
        handler: (args) => queueAction('status', args as QueueArgs),
      })
      .demandCommand(1, 'queue: say wait or status') as unknown as Argv<QueueArgs>,
  handler: () => undefined,
};

async function queueAction(action: 'wait' | 'status', args: QueueArgs): Promise<void> {
  const env = process.env;
  const { resolveQueueUrl, connectRedis, RedisUnavailable, isConnectionError } = await import('../../queue/connect.js');
  const url = resolveQueueUrl(args.queue, env);
  const { id } = resolveQueueId(args.queueId, env);
  const timeoutSeconds = action === 'wait' ? timeoutOf(args.timeout) : 0;
  let redis;
  try {
    redis = await connectRedis(url);
  } catch (error) {
    if (!(error instanceof RedisUnavailable)) throw error;
    throw new UserError(`queue ${id}: cannot reach Redis at ${error.message}: the queue is incomplete (workers ran static shards, if any)`, {
      exitCode: ExitCode.failed,
      hint: 'check the URL and that Redis runs beside the jobs; the run is not green',
    });
  }
  const { RedisQueue } = await import('../../queue/redis-queue.js');
  const queue: QueueBackend = new RedisQueue(redis, id);
  let summary: QueueSummaryJson;
  try {
    summary = queueSummaryJson(id, await queue.snapshot());
    if (action === 'wait') {
      const deadline = Date.now() + timeoutSeconds * 1000;
      let told = false;
      while (!summary.complete && Date.now() < deadline) {
        if (!told) {
          note(`queue ${id}: waiting for ${summary.seeded ? `${summary.lost} of ${summary.items} items` : 'the first worker to seed it'} (timeout ${timeoutSeconds} s)`);
          told = true;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
        summary = queueSummaryJson(id, await queue.snapshot());
      }
      if (!summary.complete) note(`queue ${id}: timed out after ${timeoutSeconds} s with ${summary.lost} items without a verdict`);
    }
  } catch (error) {
    if (isConnectionError(error)) {
      throw new UserError(`queue ${id}: lost the connection to Redis (${(error as Error).message}): the queue is incomplete`, { exitCode: ExitCode.failed });
    }
    throw error;
  } finally {
    await queue.close();
  }
  process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : renderQueueSummary(summary));
  if (action === 'wait') process.exitCode = summary.passedAll ? ExitCode.ok : ExitCode.failed;
}

function timeoutOf(value: string | undefined): number {
  if (value === undefined) return 30 * 60;
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new UserError(`--timeout ${JSON.stringify(value)}: expected seconds > 0 or a duration such as 90s, 30m, 1h`, { hint: 'e.g. --timeout 30m' });
  return seconds;
}
