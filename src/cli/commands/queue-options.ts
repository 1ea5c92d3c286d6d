import { once, type OptionTable } from '../options.js';

/** The options `run` gains for queue mode (parsed here, used by run-queue.ts). */
export const QUEUE_RUN_OPTIONS = {
  queue: {
    coerce: once('queue'),
    type: 'string',
    describe:
      'Queue mode: workers pull batches from a Redis queue (redis://HOST:PORT/DB, rediss:// for TLS; default SPLIT_TESTS_REDIS_URL); ' +
      'with --parallel and no URL, the same queue in this process',
  },
  'queue-id': {
    coerce: once('queue-id'),
    type: 'string',
    requiresArg: true,
    describe: "With --queue: the queue every worker of this run shares (default: the CI's pipeline id)",
  },
  'queue-ttl': {
    coerce: once('queue-ttl'),
    type: 'string',
    requiresArg: true,
    describe: "With --queue: how long the queue's keys live in Redis (default 1d)",
  },
  'queue-lease': {
    coerce: once('queue-lease'),
    type: 'string',
    requiresArg: true,
    describe: "With --queue: a batch goes back to the queue when its worker's heartbeat stops for this long (default 30s)",
  },
  'max-requeues': {
    coerce: once('max-requeues'),
    type: 'string',
    requiresArg: true,
    describe: 'With --queue: put a failed item back in the queue up to this many times, for another worker (default 0)',
  },
  resident: {
    type: 'boolean',
    describe:
      'With --queue and a --runner that has one (pytest, vitest, jest, rspec): keep the runner up between batches and feed it each batch, so its ' +
      'start-up is paid once per worker (default on; --no-resident runs every batch as a command of its own)',
  },
} as const satisfies OptionTable;

export interface QueueRunArgs {
  queue?: string;
  queueId?: string;
  queueTtl?: string;
  queueLease?: string;
  maxRequeues?: string;
  resident?: boolean;
}
