import { ACKNOWLEDGE } from './acknowledge.js';
import { HEARTBEAT } from './heartbeat.js';
import { PROLOGUE } from './prologue.js';
import { REGISTER } from './register.js';
import { RELEASE } from './release.js';
import { REQUEUE } from './requeue.js';
import { RESERVE } from './reserve.js';
import { RESERVE_LOST } from './reserve-lost.js';
import { SEED } from './seed.js';
import { STATUS } from './status.js';

/** The queue's atomic steps, one Lua script each, named for its verb. */
export const SCRIPTS = {
  seed: SEED,
  register: REGISTER,
  reserve: RESERVE,
  reserveLost: RESERVE_LOST,
  heartbeat: HEARTBEAT,
  release: RELEASE,
  requeue: REQUEUE,
  acknowledge: ACKNOWLEDGE,
  status: STATUS,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

export function scriptSource(name: ScriptName): string {
  return `${PROLOGUE}\n${SCRIPTS[name]}`;
}

export const KEY_NAMES = ['meta', 'pending', 'items', 'secs', 'leases', 'deadlines', 'done', 'attempts', 'workers', 'failures'] as const;

/**
 * The queue's keys. The id is in braces (a Redis Cluster hash tag) so every key of one queue is on
 * one node and a script may touch them all; two queue ids never share a key.
 */
export function queueKeys(queueId: string): string[] {
  return KEY_NAMES.map((name) => `split-tests:{${queueId}}:${name}`);
}
