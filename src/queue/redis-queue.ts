import type { Redis } from 'ioredis';
import { queueKeys, scriptSource, SCRIPTS, type ScriptName } from './scripts/index.js';
import type { EarlierFailure, ItemResult, Lease, QueueBackend, QueueItem, QueueSnapshot, SeedInput, SeedResult, WorkerStats } from './types.js';

type Reply = string | number | null | Reply[];
type ScriptCall = (...keysAndArgs: (string | number)[]) => Promise<Reply>;

/** `--queue-ttl` default: a day, longer than any pipeline, short enough that Redis cleans up after itself. */
export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

/**
 * The queue on a Redis server: every step is one of the Lua scripts in ./scripts, run atomically
 * by the server (EVALSHA, loaded on first use). The client holds no queue state of its own.
 */
export class RedisQueue implements QueueBackend {
  private readonly keys: string[];
  private readonly ttl: string;

  constructor(
    private readonly redis: Redis,
    queueId: string,
    ttlSeconds: number = DEFAULT_TTL_SECONDS,
  ) {
    this.keys = queueKeys(queueId);
    this.ttl = String(Math.max(1, Math.round(ttlSeconds)));
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
      if (!(commandName(name) in redis)) redis.defineCommand(commandName(name), { numberOfKeys: this.keys.length, lua: scriptSource(name) });
    }
  }

  private call(name: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const fn = (this.redis as unknown as Record<string, ScriptCall>)[commandName(name)]!;
    return fn.call(this.redis, ...this.keys, this.ttl, ...args);
  }

  async seed(input: SeedInput): Promise<SeedResult> {
    const args: (string | number)[] = [input.fingerprint, input.maxRequeues, input.items.length];
    for (const item of input.items) args.push(JSON.stringify(item.files), String(item.seconds));
    args.push(input.firstBatch ?? 1);
    const reply = (await this.call('seed', ...args)) as [number, string];
    return { seeded: Number(reply[0]) === 1, fingerprint: String(reply[1]) };
  }

  async register(name: string, fallbackShard?: string): Promise<number> {
    return Number(await this.call('register', name, ...(fallbackShard === undefined ? [] : [fallbackShard])));
  }

  async snapshot(): Promise<QueueSnapshot> {
    const [metaPairs, pending, leased, workerPairs] = (await this.call('status')) as [string[], number, number, string[]];
    const meta = pairs(metaPairs);
    const num = (key: string): number => Number(meta.get(key) ?? 0);
    const byWorker = new Map<number, { name: string; items: number; batches: number; busySeconds: number; fallback?: string }>();
    for (const [field, value] of pairs(workerPairs)) {
      const [n, what] = field.split(':') as [string, string];
      const entry = byWorker.get(Number(n)) ?? { name: '', items: 0, batches: 0, busySeconds: 0 };
      if (what === 'name') entry.name = value;
      else if (what === 'items') entry.items = Number(value);
      else if (what === 'batches') entry.batches = Number(value);
      else if (what === 'busy') entry.busySeconds = Math.round(Number(value) * 100) / 100;
      else if (what === 'fallback') entry.fallback = value;
      byWorker.set(Number(n), entry);
    }
    const workers: WorkerStats[] = [...byWorker].sort(([a], [b]) => a - b).map(([worker, s]) => ({ worker, ...s }));
    return {
      seeded: meta.has('seeded'),
      fingerprint: meta.get('fingerprint'),
      items: num('items'),
      passed: num('passed'),
      failed: num('failed'),
      requeued: num('requeued'),
      flaky: num('flaky'),
      expiredLeases: num('expired'),
      pending: Number(pending),
      leased: Number(leased),
      remainingSeconds: Math.max(0, Math.round(num('remaining') * 1000) / 1000),
      totalSeconds: num('total'),
      fallbacks: num('fallbacks'),
      workers,
    };
  }

  async reserveLost(worker: number, leaseMs: number): Promise<Lease | undefined> {
    const reply = (await this.call('reserveLost', worker, Math.round(leaseMs))) as Reply[];
    if (reply.length === 0) return undefined;
    return { batch: Number(reply[0]), takenFrom: { batch: Number(reply[1]), worker: Number(reply[2]) }, items: itemsOf(reply.slice(3)) };
  }

  async reserve(worker: number, targetSeconds: number, maxItems: number, leaseMs: number): Promise<Lease | undefined> {
    const reply = (await this.call('reserve', worker, String(targetSeconds), Math.round(leaseMs), Math.max(1, Math.floor(maxItems)))) as Reply[];
    if (reply.length === 0) return undefined;
    return { batch: Number(reply[0]), items: itemsOf(reply.slice(1)) };
  }

  async heartbeat(worker: number, batch: number, leaseMs: number): Promise<boolean> {
    return Number(await this.call('heartbeat', worker, batch, Math.round(leaseMs))) === 1;
  }

  async release(worker: number, batch: number): Promise<boolean> {
    return Number(await this.call('release', worker, batch)) === 1;
  }

  async requeue(_worker: number, _batch: number, failedIds: readonly number[], failures?: ReadonlyMap<number, readonly EarlierFailure[]>): Promise<number[]> {
    if (failedIds.length === 0) return [];
    const args: (string | number)[] = [];
    for (const id of failedIds) {
      const list = failures?.get(id);
      args.push(id, list === undefined || list.length === 0 ? '' : JSON.stringify(list));
    }
    const reply = (await this.call('requeue', ...args)) as Reply[];
    return reply.map(Number);
  }

  async earlierFailures(ids: readonly number[]): Promise<Map<number, EarlierFailure[]>> {
    const found = new Map<number, EarlierFailure[]>();
    if (ids.length === 0) return found;
    // one read: the attempt counts, then the kept failures of every attempt
    const attempts = await this.redis.hmget(this.keys[7]!, ...ids.map(String));
    const fields: string[] = [];
    const owners: number[] = [];
    ids.forEach((id, i) => {
      for (let attempt = 1; attempt <= Number(attempts[i] ?? 0); attempt++) {
        fields.push(`${id}:${attempt}`);
        owners.push(id);
      }
    });
    if (fields.length === 0) return found;
    const values = await this.redis.hmget(this.keys[9]!, ...fields);
    values.forEach((value, i) => {
      if (value === null) return;
      const list = found.get(owners[i]!) ?? [];
      list.push(...(JSON.parse(value) as EarlierFailure[]));
      found.set(owners[i]!, list);
    });
    return found;
  }

  async acknowledge(worker: number, batch: number, results: readonly ItemResult[], busySeconds: number): Promise<boolean[]> {
    const args: (string | number)[] = [worker, batch, String(busySeconds)];
    for (const r of results) args.push(r.id, r.verdict);
    const reply = (await this.call('acknowledge', ...args)) as Reply[];
    return reply.map((flag) => Number(flag) === 1);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function commandName(name: ScriptName): string {
  return `splitTests_${name}`;
}

function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), String(flat[i + 1]));
  return map;
}

function itemsOf(triples: readonly Reply[]): QueueItem[] {
  const items: QueueItem[] = [];
  for (let i = 0; i + 2 < triples.length; i += 3) {
    items.push({ id: Number(triples[i]), seconds: Number(triples[i + 1]), files: JSON.parse(String(triples[i + 2])) as string[] });
  }
  return items;
}
