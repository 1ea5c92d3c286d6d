import { readFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { SHARD_META_SUFFIX, type ShardMeta } from '../../run/shard-meta.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { detectShard } from '../../ci/detect.js';
import { parseDuration } from '../../ci/pipeline/duration.js';
import { resolveQueueId } from '../../ci/queue-id.js';
import { ExitCode, UserError } from '../../errors.js';
import { parseShardSpec } from '../../plan/shard-spec.js';
import type { Plan } from '../../plan/index.js';
import { runShards } from '../../run/run-parallel.js';
import type { RunShardOptions } from '../../run/run-shard.js';
import { signalExitCode } from '../../run/exit-status.js';
import { listenForStop, type StopListener } from '../../run/stop-signals.js';
import { queueItemsOf } from '../../queue/items.js';
import { MemoryQueue } from '../../queue/memory-queue.js';
import { renderWorkerLines } from '../../queue/render.js';
import { runQueueBatch, settleBatchReport } from '../../queue/run-batch.js';
import type { FallbackShard } from '../../queue/fallback.js';
import type { QueueBackend } from '../../queue/types.js';
import { runWorker, type WorkerResult } from '../../queue/worker.js';
import type { LoadedConfig } from '../config.js';
import type { CommonArgs } from '../options.js';
import { groupSpec, resolvePlan } from '../resolve-plan.js';
import { assignGroups } from '../../plan/groups.js';
import { note, warn } from '../warn.js';
import type { QueueRunArgs } from './queue-options.js';
import type { RunnerPreset } from '../../runners/types.js';
import { expandCommand } from '../../run/expand-command.js';
import { ResidentRunner } from '../../queue/resident.js';
import type { ShardOutcome } from '../../run/exit-status.js';

export interface QueueRunInput {
  readonly args: CommonArgs & QueueRunArgs & { shard?: string; shards?: string; parallel?: boolean; concurrency?: string };
  readonly config: LoadedConfig;
  readonly command: readonly string[];
  /** A runner preset's reporter settings and file spelling (see RunShardOptions). */
  readonly commandEnv?: Readonly<Record<string, string>> | undefined;
  readonly fileArg?: ((file: string) => string) | undefined;
  /** The preset's resident runner (kept alive between batches), when it has one. */
  readonly resident?: RunnerPreset['resident'];
  /** `--no-resident`: every batch runs as a command of its own. */
  readonly noResident?: boolean | undefined;
  readonly junit: string | undefined;
  readonly timeoutSeconds: number | undefined;
  /** `--retries N`: each batch reruns its failed tests as a static shard does (src/run/retries-run.ts). */
  readonly retries?: RunShardOptions['retries'];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

const DEFAULT_LEASE_SECONDS = 30;

/**
 * `run --queue [URL]`: this process's workers pull batches from the queue until it is empty. With
 * a URL (or SPLIT_TESTS_REDIS_URL) the queue is on Redis, shared by every CI job of the run; with
 * `--parallel` and no URL it lives in this process. Returns the exit code: 0 when every verdict this
 * process gave first passed, else the exit code of the first batch that failed.
 */
export async function runQueue(input: QueueRunInput): Promise<number> {
  const { args, config, cwd, env } = input;
  const run = config.config.run ?? {};
  if (input.junit !== undefined && !input.junit.includes('{shard}')) {
    throw new UserError(`--junit ${input.junit}: must contain {shard} in queue mode, where it becomes the batch number (every batch writes its own report)`, {
      hint: 'e.g. --junit reports/junit-{shard}.xml',
    });
  }
  const leaseMs = durationFlag(args.queueLease, '--queue-lease', DEFAULT_LEASE_SECONDS) * 1000;
  const ttlSeconds = durationFlag(args.queueTtl, '--queue-ttl', 24 * 3600);
  const maxRequeues = wholeNumber(args.maxRequeues, '--max-requeues', 0, 0);
  // `--queue` takes an optional value: `run --queue 'tests/**'` means the URL from the environment
  // and a test glob, not a URL named tests/**
  let url = args.queue !== undefined && args.queue.trim() !== '' ? args.queue : undefined;
  if (url !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    args.tests = [url, ...(args.tests ?? [])];
    url = undefined;
  }
  const inProcess = url === undefined && args.parallel === true;

  let workers = 1;
  let shardCount: number;
  if (args.parallel) {
    shardCount = wholeNumber(args.shards, '--shards', undefined, 1) ?? (args.shard ? parseShardSpec(args.shard, '--shard').total : undefined) ?? config.config.shards ?? availableParallelism();
    // a queue has workers, not shards: --concurrency, else --shards, says how many run here
    workers = wholeNumber(args.concurrency, '--concurrency', undefined, 1) ?? wholeNumber(args.shards, '--shards', undefined, 1) ?? run.concurrency ?? Math.min(shardCount, availableParallelism());
  } else {
    if (args.concurrency !== undefined) throw new UserError('--concurrency is for --parallel', { hint: 'add --parallel to run several workers here' });
    shardCount = staticShard(args.shard, env)?.total ?? wholeNumber(args.shards, '--shards', undefined, 1) ?? config.config.shards ?? 1;
  }
  // every worker plans with the same inputs and gets the same items; the first one seeds them
  const { plan, warnings, files, timings } = await resolvePlan(args, { shards: shardCount, cwd, env, config });
  // files no recorded run timed go out first: their estimate is a guess, and a guess at the end of
  // the queue is what finishes last (bench/queue.mjs); every worker derives the same set
  const timed = new Set(timings.runs.flatMap((run) => [...run.seconds.keys()]));
  const newFiles = timings.runs.length === 0 ? undefined : new Set(files.filter((file) => !timed.has(file)));
  const items = queueItemsOf(plan, assignGroups(files, groupSpec(args, config)), newFiles);
  for (const message of warnings) warn(message);

  // Ctrl-C or a CI cancel: as in static `run` (src/run/stop-signals.ts): every batch's process
  // group is stopped, no new batch starts, the batch in hand goes back to the queue, 128 + n
  const stop = listenForStop((line) => note(line));
  try {
    return await runWorkers(input, { plan, items, workers, shardCount, inProcess, url, leaseMs, ttlSeconds, maxRequeues }, stop);
  } finally {
    stop.dispose();
  }
}

interface QueueSetup {
  readonly plan: Plan;
  readonly items: ReturnType<typeof queueItemsOf>;
  readonly workers: number;
  readonly shardCount: number;
  readonly inProcess: boolean;
  readonly url: string | undefined;
  readonly leaseMs: number;
  readonly ttlSeconds: number;
  readonly maxRequeues: number;
}

/**
 * The workers of this process, each with its resident runner when the preset has one: started
 * at once, while the queue is reached and seeded, so its start-up overlaps that; stopped at the end.
 */
async function runWorkers(input: QueueRunInput, setup: QueueSetup, stop: StopListener): Promise<number> {
  const launch = residentLaunch(input);
  const residents =
    launch === undefined
      ? []
      : Array.from({ length: setup.workers }, (_, i) => {
          const runner = new ResidentRunner({
            command: launch,
            cwd: input.cwd,
            env: { ...input.env, SPLIT_TESTS_PLAN: setup.plan.fingerprint },
            output: { stdout: input.args.json ? 'stderr' : 'stdout', prefix: setup.workers > 1 ? `[w${i + 1}] ` : undefined },
            narrate: (line) => note(setup.workers > 1 ? `worker ${i + 1}: ${line}` : line),
            stop: stop.signal,
          });
          return { runner, live: runner.start() };
        });
  try {
    return await runQueueWorkers(input, setup, stop, residents, launch);
  } finally {
    await Promise.all(residents.map(async (r) => {
      await r.live;
      await r.runner.close();
    }));
  }
}

async function runQueueWorkers(
  input: QueueRunInput,
  setup: QueueSetup,
  stop: StopListener,
  residents: readonly { runner: ResidentRunner; live: Promise<boolean> }[],
  launch: readonly string[] | undefined,
): Promise<number> {
  const { args, cwd, env } = input;
  const { plan, items, workers, shardCount, inProcess, url, leaseMs, ttlSeconds, maxRequeues } = setup;
  let queue: QueueBackend;
  let queueId: string;
  let label: string;
  if (inProcess) {
    queue = new MemoryQueue();
    queueId = 'local';
    label = 'in-process queue';
  } else {
    const { resolveQueueUrl, connectRedis, RedisUnavailable } = await import('../../queue/connect.js');
    const target = resolveQueueUrl(url, env);
    const id = resolveQueueId(args.queueId, env);
    queueId = id.id;
    label = `queue ${queueId} on ${target.redacted}`;
    let redis;
    try {
      redis = await connectRedis(target);
    } catch (error) {
      if (!(error instanceof RedisUnavailable)) throw error;
      const fallback = { url: target, queueId, ttlSeconds, items, workerName: workerName(env) };
      return fallBackToStaticShard(input, plan, `cannot reach Redis at ${error.message}`, stop, fallback);
    }
    const { RedisQueue } = await import('../../queue/redis-queue.js');
    queue = new RedisQueue(redis, queueId, ttlSeconds);
  }

  let results: WorkerResult[];
  try {
    // batches are numbered above the static shards, so a fallback shard's report never takes a batch's name
    const seed = await queue.seed({ items, fingerprint: plan.fingerprint, maxRequeues, firstBatch: inProcess ? 1 : shardCount + 1 });
    const itemCount = plan.shards.reduce((n, s) => n + s.files.length, 0);
    const grouped = items.length === itemCount ? '' : ` in ${items.length} items (feature groups kept whole)`;
    if (seed.seeded) note(`${label}: seeded with ${itemCount} files${grouped}, longest first (plan ${plan.fingerprint.slice(0, 12)})`);
    else note(`${label}: joined (seeded by another worker)`);
    if (seed.fingerprint !== plan.fingerprint) {
      warn(
        `${label} was seeded from plan ${seed.fingerprint.slice(0, 12)}, this worker planned ${plan.fingerprint.slice(0, 12)}: running the queue's items ` +
          '(different timings on this node?); if this is another test suite, give each suite its own --queue-id',
      );
    }
    const name = workerName(env);
    const numbers: number[] = [];
    for (let i = 0; i < workers; i++) numbers.push(await queue.register(workers > 1 ? `${name}#${i + 1}` : name));
    if (!inProcess) note(`${label}: worker ${numbers[0]} (lease ${leaseMs / 1000}s)`);
    else note(`${label}: ${workers} workers, ${itemCount} files (plan ${plan.fingerprint.slice(0, 12)})`);
    const batchOptions = {
      queueId,
      command: input.command,
      commandEnv: input.commandEnv,
      fileArg: input.fileArg,
      fingerprint: plan.fingerprint,
      cwd,
      env,
      junit: input.junit,
      timeoutSeconds: input.timeoutSeconds,
      retries: input.retries,
      cancelSignal: stop.signal,
      stdout: args.json ? ('stderr' as const) : ('stdout' as const),
      prefixed: workers > 1,
      narrate: (line: string) => note(line),
    };
    results = await Promise.all(
      numbers.map(async (worker, i) => {
        // the runner started with the process: its start-up is paid once, outside every batch
        const resident = residents[i]?.runner;
        const live = resident !== undefined && (await residents[i]!.live);
        if (live) note(`worker ${worker}: the runner stays up between batches (${launch!.join(' ')}; ready in ${resident.startupSeconds!.toFixed(1)} s)`);
        return await runWorker({
          queue,
          worker,
          leaseMs,
          expectedWorkers: inProcess ? workers : shardCount,
          stopSignal: stop.signal,
          resident: live,
          runBatch: (lease, w) =>
            runQueueBatch(lease, w, {
              ...batchOptions,
              resident: resident === undefined ? undefined : (argv, batchEnv, junit) => feedBatch(input, resident, lease.batch, argv, batchEnv, junit),
            }),
          narrate: (line) => note(line),
          acknowledged: async (record) => {
            const line = await settleBatchReport(record, cwd);
            if (line !== undefined) note(`worker ${worker} batch ${record.lease.batch}: ${line}`);
          },
        });
      }),
    );
  } catch (error) {
    if (!inProcess && (await import('../../queue/connect.js')).isConnectionError(error)) {
      throw new UserError(`${label}: lost the connection to Redis mid-run (${(error as Error).message}); this worker's results are not in the queue`, {
        exitCode: ExitCode.failed,
        hint: "the run is not green: re-run the pipeline once Redis is back ('queue wait' reports the queue incomplete)",
      });
    }
    throw error;
  } finally {
    await queue.close();
  }

  for (const line of renderWorkerLines(results)) note(line);
  const exitCode = exitCodeOf(results);
  const stoppedBy = stop.stoppedBy();
  if (stoppedBy !== undefined) return signalExitCode(stoppedBy);
  if (args.json) {
    const summary = {
      schemaVersion: 1,
      queueId,
      fingerprint: plan.fingerprint,
      exitCode,
      workers: results.map((r) => ({
        worker: r.worker,
        batches: r.batches.map((b) => ({
          batch: b.lease.batch,
          files: b.lease.items.flatMap((i) => i.files),
          exitCode: b.outcome.exitCode,
          wallSeconds: b.outcome.wallSeconds,
          requeued: b.requeued.length,
          late: b.first.filter((f) => !f).length,
          ...(b.outcome.junit === undefined ? {} : { junit: b.outcome.junit }),
        })),
      })),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  return exitCode;
}

/**
 * The driver a preset keeps alive between batches, for this run's command line; undefined with
 * `--no-resident`, for a preset without one, or a command line the preset's driver cannot take.
 */
function residentLaunch(input: QueueRunInput): readonly string[] | undefined {
  if (input.resident === undefined || input.noResident === true) return undefined;
  const probe = expandCommand(input.command, { index: 1, total: 1, files: ['{files}'], junit: 'report.xml' });
  const launch = input.resident([probe.file, ...probe.args]);
  if (launch === undefined) note(`the runner cannot be kept up between batches with this command line (${input.command.join(' ')}); every batch runs as a command of its own`);
  return launch?.command;
}

/** One batch through the live runner; undefined (run it as a command) when its driver differs or is down. */
function feedBatch(
  input: QueueRunInput,
  resident: ResidentRunner,
  batch: number,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  junit: string | undefined,
): Promise<ShardOutcome | undefined> {
  const launch = input.resident?.(argv);
  if (launch === undefined) return Promise.resolve(undefined);
  return resident.runBatch({ batch, args: launch.args, env, junit, timeoutMs: input.timeoutSeconds === undefined ? undefined : input.timeoutSeconds * 1000 });
}

/**
 * 0 when every item this process gave the first verdict for passed; else the exit code of the
 * lowest-numbered batch holding such a failure (1 when its command exited 0 but a report said failed).
 */
export function exitCodeOf(results: readonly WorkerResult[]): number {
  const failing = results
    .flatMap((r) => r.batches)
    .filter((b) => {
      const acknowledged = b.outcome.results.filter((x) => !b.requeued.includes(x.id));
      return acknowledged.some((x, i) => x.verdict === 'failed' && b.first[i] === true);
    })
    .sort((a, b) => a.lease.batch - b.lease.batch);
  if (failing.length === 0) return 0;
  const code = failing[0]!.outcome.exitCode;
  return code === 0 ? ExitCode.failed : code;
}

function staticShard(flag: string | undefined, env: NodeJS.ProcessEnv): { index: number; total: number } | undefined {
  try {
    return detectShard(flag, env).spec;
  } catch (error) {
    if (flag !== undefined) throw error;
    return undefined;
  }
}

function workerName(env: NodeJS.ProcessEnv): string {
  return env['CI_JOB_ID'] ?? env['BUILD_TAG'] ?? `${hostname()}:${process.pid}`;
}

/**
 * Redis is not there: rather than skip the tests, run this worker's static shard of the same plan,
 * loudly; then report its verdicts to the queue if Redis answers by then (src/queue/fallback.ts),
 * so that every file counts once and `queue wait` names the fallback.
 */
async function fallBackToStaticShard(
  input: QueueRunInput,
  plan: Plan,
  why: string,
  stop: StopListener,
  queue: Pick<FallbackShard, 'url' | 'queueId' | 'ttlSeconds' | 'items' | 'workerName'>,
): Promise<number> {
  const shard = staticShard(input.args.shard, input.env);
  if (shard === undefined) {
    throw new UserError(`--queue: ${why}, and no shard K/N to fall back to`, {
      exitCode: ExitCode.failed,
      hint: 'pass --shard K/N (or run under a CI parallel job) so a worker runs its static shard when Redis is down',
    });
  }
  const planned = plan.shards[shard.index - 1]!;
  warn(`!!! QUEUE MODE OFF: ${why}; running static shard ${shard.index}/${shard.total} of the same plan instead (${planned.files.length} files). its verdicts go to the queue if Redis answers when it is done. !!!`);
  const results = await runShards({
    shards: [{ index: shard.index, files: planned.files, estimatedSeconds: planned.estimatedSeconds }],
    total: shard.total,
    concurrency: 1,
    stdout: input.args.json ? 'stderr' : 'stdout',
    command: input.command,
    commandEnv: input.commandEnv,
    fileArg: input.fileArg,
    fingerprint: plan.fingerprint,
    cwd: input.cwd,
    env: input.env,
    junit: input.junit,
    timeoutSeconds: input.timeoutSeconds,
    retries: input.retries,
    cancelSignal: stop.signal,
    narrate: (line) => note(line),
  });
  const only = results[0]!;
  const stoppedBy = stop.stoppedBy();
  if (stoppedBy !== undefined) return signalExitCode(stoppedBy);
  note(`static shard ${shard.index}/${shard.total} exited ${only.exitCode} in ${only.wallSeconds.toFixed(1)} s`);
  const { reportFallbackShard } = await import('../../queue/fallback.js');
  const reported = await reportFallbackShard({
    ...queue,
    fingerprint: plan.fingerprint,
    shard,
    shardFiles: planned.files,
    junit: only.junit,
    exitCode: only.exitCode,
    wallSeconds: only.wallSeconds,
    cwd: input.cwd,
  });
  for (const line of reported.notes) note(line);
  if (reported.warn !== undefined) warn(reported.warn);
  if (only.junit !== undefined) await noteFallback(resolve(input.cwd, only.junit), { id: queue.queueId, reported: reported.reported });
  return only.exitCode;
}

/** The fallback shard's note says so, and whether its verdicts reached the queue (see ShardMeta.queueFallback). */
async function noteFallback(junitPath: string, queueFallback: NonNullable<ShardMeta['queueFallback']>): Promise<void> {
  const path = `${junitPath}${SHARD_META_SUFFIX}`;
  let meta: ShardMeta;
  try {
    meta = JSON.parse(await readFile(path, 'utf8')) as ShardMeta;
  } catch {
    return; // no note (the shard wrote no report): nothing for merge to reconcile
  }
  await writeFileAtomic(path, `${JSON.stringify({ ...meta, queueFallback }, null, 2)}\n`);
}

function durationFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const days = /^\s*(\d+(?:\.\d+)?)d\s*$/i.exec(value);
  const seconds = days ? Number(days[1]) * 86400 : parseDuration(value);
  if (seconds === undefined || !(seconds > 0)) {
    throw new UserError(`${flag} ${JSON.stringify(value)}: expected seconds > 0 or a duration such as 30s, 5m, 1h, 1d`, { hint: `e.g. ${flag} 1m` });
  }
  return seconds;
}

function wholeNumber<T extends number | undefined>(value: string | undefined, flag: string, fallback: T, min: number): number | T {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < min) {
    throw new UserError(`${flag} ${JSON.stringify(String(value))}: must be a whole number ≥ ${min}`, { hint: `e.g. ${flag} ${Math.max(min, 1)}` });
  }
  return number;
}
