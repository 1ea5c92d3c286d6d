/**
 * Every command split-tests starts (a shard's test command, a pipeline step) runs in a process
 * group of its own, and is stopped as a group: a test runner's workers, a shell's background jobs
 * and a browser's helpers go with it. Signalling only the direct child leaves its children alive,
 * adopted by init, still holding the CI job's stdout: the job hangs until its own timeout.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Group ids (= the leaders' pids) of the groups started here that may still have members. */
const live = new Set<number>();
let exitHookInstalled = false;

/** How long a stopped group gets to exit on its own before SIGKILL. */
export const DEFAULT_GRACE_MS = 5000;
const POLL_MS = 50;

// Windows has no process groups (a detached child there is a new console); its child is signalled alone.
const POSIX = process.platform !== 'win32';

/** Options for execa (or child_process) that start the child as the leader of a new group. */
export const GROUP_SPAWN_OPTIONS = { detached: POSIX } as const;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(POSIX ? -pid : pid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(POSIX ? -pid : pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The second Ctrl-C, and split-tests' own exit: every group still running gets `signal`. */
export function signalAllGroups(signal: NodeJS.Signals): void {
  for (const pid of live) signalGroup(pid, signal);
}

export interface GroupControl {
  /** Stop the group with SIGTERM after this long. */
  readonly timeoutMs?: number | undefined;
  /** Aborted when split-tests is asked to stop; its reason (a signal name) is sent to the group. */
  readonly stop?: AbortSignal | undefined;
  readonly graceMs?: number | undefined;
}

/** Why the group was stopped, when it was. */
export type GroupStop = { readonly by: 'timeout' } | { readonly by: 'stop'; readonly signal: NodeJS.Signals };

interface Leader {
  readonly pid?: number | undefined;
  once(event: 'exit', listener: () => void): unknown;
}

/**
 * Watches a child started with GROUP_SPAWN_OPTIONS until it and its whole group are gone:
 * - a timeout or a stop sends SIGTERM (or the stop's own signal) to the group, SIGKILL after the grace;
 * - when the leader exits, whatever it left running in its group is stopped the same way, so no
 *   orphan keeps the CI job's output open or outlives the command.
 * `done` is the child's own completion (execa's promise, settled when its output streams close).
 */
export interface Supervised<T> {
  readonly result: T;
  readonly stopped?: GroupStop;
  /** The leader exited (not stopped by us) leaving members of its group running: they were stopped. */
  readonly leftovers?: true;
}

export async function superviseGroup<T>(leader: Leader, done: Promise<T>, control: GroupControl = {}): Promise<Supervised<T>> {
  const pid = leader.pid;
  if (pid === undefined) return { result: await done }; // it never started: nothing to supervise
  live.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // split-tests exiting (even through process.exit) leaves nothing of its commands behind
    process.on('exit', () => signalAllGroups('SIGKILL'));
  }
  const grace = control.graceMs ?? DEFAULT_GRACE_MS;
  let stopped: GroupStop | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stopGroup = (signal: NodeJS.Signals): void => {
    signalGroup(pid, signal);
    killTimer ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), grace);
  };
  const timer =
    control.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          stopped ??= { by: 'timeout' };
          stopGroup('SIGTERM');
        }, control.timeoutMs);
  const onStop = (): void => {
    const reason: unknown = control.stop?.reason;
    const signal = typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : 'SIGTERM';
    stopped ??= { by: 'stop', signal };
    stopGroup(signal);
  };
  if (control.stop?.aborted) onStop();
  else control.stop?.addEventListener('abort', onStop, { once: true });
  let leftovers = false;
  leader.once('exit', () => {
    if (!groupAlive(pid)) return;
    leftovers = stopped === undefined;
    stopGroup('SIGTERM');
  });
  try {
    const result = await done;
    // the leader is gone and its output closed; members that ignore SIGTERM get the grace, then SIGKILL
    const deadline = Date.now() + grace;
    while (groupAlive(pid) && Date.now() < deadline) await delay(POLL_MS);
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    return { result, ...(stopped === undefined ? {} : { stopped }), ...(leftovers ? { leftovers: true as const } : {}) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (killTimer !== undefined) clearTimeout(killTimer);
    control.stop?.removeEventListener('abort', onStop);
    live.delete(pid);
  }
}
