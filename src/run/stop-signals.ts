/**
 * How split-tests stops when it is asked to (Ctrl-C, a CI cancel, a closed terminal), for commands
 * that start processes (`run`, `pipeline run`):
 * 1. the first SIGINT/SIGTERM/SIGHUP aborts `signal`: every running command's process group gets
 *    that signal (SIGKILL after a grace), nothing new starts, and the reports are still finished;
 * 2. a second one kills every group at once (SIGKILL), the reports are still finished;
 * 3. a third exits at once, with the first signal's code.
 * The command then exits 128 + n for the first signal n, as a shell reports a job stopped by it.
 */
import { signalExitCode } from './exit-status.js';
import { signalAllGroups } from './process-group.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

export interface StopListener {
  /** Aborted at the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal received, once one was. */
  stoppedBy(): NodeJS.Signals | undefined;
  /** Stops listening (the default handling of the signals comes back). */
  dispose(): void;
}

export function listenForStop(narrate: (line: string) => void): StopListener {
  const abort = new AbortController();
  let first: NodeJS.Signals | undefined;
  let count = 0;
  // `on`, not `once`: execa's exit hook (signal-exit) re-raises a signal when no other listener is
  // left, and a `once` listener is already gone when it looks, which killed split-tests before it
  // could finish the reports.
  const onSignal = (signal: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      first = signal;
      narrate(`received ${signal}: stopping every command (again to kill them at once)`);
      abort.abort(signal);
    } else if (count === 2) {
      narrate(`received ${signal} again: killing every command now (SIGKILL)`);
      signalAllGroups('SIGKILL');
    } else {
      // the exit hooks still kill the groups and remove temporary files
      process.exit(signalExitCode(first ?? signal));
    }
  };
  // while we listen, temporary files are left to us (src/fs/temp-files.ts): the reports get finished
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    signal: abort.signal,
    stoppedBy: () => first,
    dispose() {
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    },
  };
}
