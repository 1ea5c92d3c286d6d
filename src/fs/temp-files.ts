/**
 * Temporary files beside an output (`.merged.xml.<pid>.<random>.tmp`), written and then renamed
 * over it, are registered while they exist, so that a SIGINT/SIGTERM/SIGHUP or any exit leaves
 * none behind. Writers in worker threads (the streaming merge) register theirs with the main
 * thread, the one that receives signals.
 */
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

/** Temporary files that exist now (main thread: those of every thread). */
const open = new Set<string>();
let hooksInstalled = false;

type Message = { readonly add: string } | { readonly remove: string };
const channel = new BroadcastChannel('split-tests:temp-files');
// never what keeps a process alive
(channel as unknown as { unref(): void }).unref();
if (isMainThread) {
  channel.onmessage = (event: unknown) => {
    const message = (event as { data: Message }).data;
    if ('add' in message) track(message.add);
    else open.delete(message.remove);
  };
}

/** A fresh temporary path beside `target`, removed on a signal or exit until it is released. */
export function createTempPath(target: string): string {
  const path = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  if (isMainThread) track(path);
  else channel.postMessage({ add: path } satisfies Message);
  return path;
}

/** The temporary file was renamed into place or removed: nothing left to clean. */
export function releaseTempPath(path: string): void {
  if (isMainThread) open.delete(path);
  else channel.postMessage({ remove: path } satisfies Message);
}

/** Removes every registered temporary file now (synchronously: also from an exit hook). */
export function removeTempFiles(): void {
  for (const path of open) {
    try {
      rmSync(path, { force: true });
    } catch {
      // a folder that went away, or no permission: nothing more to do on the way out
    }
  }
  open.clear();
}

function track(path: string): void {
  open.add(path);
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', removeTempFiles);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/**
 * A command that listens for the signal itself (`run`, `pipeline run`, queue workers) stops
 * gracefully and finishes its files: leave them to it (the exit hook removes what is left). Alone,
 * remove them and die of the signal as if nobody had listened. signal-exit's listeners (execa's,
 * for children that are not detached) do not count: they re-raise when only they are left.
 */
function onSignal(signal: NodeJS.Signals): void {
  const signalExit = (process as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__?.count;
  const others = process.listenerCount(signal) - 1 - (typeof signalExit === 'number' ? signalExit : 0);
  if (others > 0) return;
  removeTempFiles();
  // then die of the same signal, as without this handler (the exit code and the shell's message stay)
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}
