import { Redis } from 'ioredis';
import { UserError } from '../errors.js';

export const REDIS_URL_VARIABLE = 'SPLIT_TESTS_REDIS_URL';

export interface QueueUrl {
  readonly url: string;
  /** The URL with user and password replaced, for every message: credentials are never printed. */
  readonly redacted: string;
}

/**
 * The Redis URL from `--queue URL`, else SPLIT_TESTS_REDIS_URL (where CI keeps a URL that carries a
 * password). `redis://[user:pass@]host[:port][/db]`, `rediss://` for TLS.
 */
export function resolveQueueUrl(flag: string | undefined, env: NodeJS.ProcessEnv, flagName = '--queue'): QueueUrl {
  const fromFlag = flag !== undefined && flag.trim() !== '';
  const value = fromFlag ? flag.trim() : (env[REDIS_URL_VARIABLE] ?? '').trim();
  const source = fromFlag ? flagName : REDIS_URL_VARIABLE;
  if (value === '') {
    throw new UserError(`${flagName}: no Redis URL given`, { hint: `pass ${flagName} redis://HOST:6379/0 or set ${REDIS_URL_VARIABLE}` });
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UserError(`${source}: not a URL (expected redis://HOST:PORT/DB or rediss://... for TLS)`, { hint: `e.g. ${flagName} redis://localhost:6379/0` });
  }
  const redacted = redactUrl(parsed);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UserError(`${source} ${redacted}: the scheme must be redis:// or rediss:// (TLS)`, { hint: `e.g. ${flagName} redis://localhost:6379/0` });
  }
  if (parsed.hostname === '') throw new UserError(`${source} ${redacted}: no host`, { hint: `e.g. ${flagName} redis://localhost:6379/0` });
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new UserError(`${source} ${redacted}: the database must be a number (/0, /1, ...)`, { hint: `e.g. ${flagName} redis://${parsed.host}/0` });
  }
  return { url: value, redacted };
}

export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username !== '') copy.username = '***';
  if (copy.password !== '') copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

export interface ConnectOptions {
  /** Connection attempts before giving up (a CI service container may still be starting). */
  readonly attempts?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/** Why the connection failed, in one line without credentials. */
export class RedisUnavailable extends Error {}

/**
 * Connects, retrying a few times, and resolves once the server answers. Once connected, a lost
 * connection is retried for a few seconds, then every pending and later command fails (never
 * hangs), so a worker that lost its Redis stops with an error instead of waiting forever.
 */
export async function connectRedis(url: QueueUrl, options: ConnectOptions = {}): Promise<Redis> {
  const attempts = options.attempts ?? 3;
  let lastError = 'no answer';
  const redis = new Redis(url.url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > attempts ? null : Math.min(times * 200, 1000)),
  });
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', () => resolve());
      redis.once('end', () => reject(new RedisUnavailable(`${url.redacted}: ${lastError}`)));
      redis.connect().catch(() => {
        // retried by retryStrategy; 'end' says when it gave up
      });
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

/** Whether an error came from the connection (lost, refused, closed) rather than from our code. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|MaxRetriesPerRequest|Stream isn't writeable|enableOfflineQueue|ENOTFOUND|EHOSTUNREACH/i.test(
    `${error.name} ${error.message}`,
  );
}
