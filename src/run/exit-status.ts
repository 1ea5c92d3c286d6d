import { constants } from 'node:os';
import { ExitCode } from '../errors.js';

/**
 * How a shard's command ended, and the exit code split-tests reports for it. The command's own
 * code passes through unchanged; the other codes follow the shell conventions CI systems already
 * understand: 124 for a timeout (as coreutils `timeout`), 128 + the signal number for a command
 * killed by a signal (as bash), 0 for an empty shard that started nothing, and 1 ("tests failed")
 * for a command that exited 0 without writing the JUnit report it was asked for.
 */
export type ShardOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'timeout'; readonly timeoutSeconds: number; readonly signal: string }
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'cancelled'; readonly signal: string; readonly started?: false }
  /** The command exited 0 but left no usable JUnit report: it proved nothing, so it did not pass. */
  | { readonly kind: 'no-report'; readonly problem: string }
  | { readonly kind: 'empty' };

export const TIMEOUT_EXIT_CODE = 124;
/** A shard that exited 0 but wrote no report has not shown that its tests pass: "tests failed". */
export const NO_REPORT_EXIT_CODE = ExitCode.failed;

export function signalExitCode(signal: string): number {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return number === undefined ? 1 : 128 + number;
}

export function outcomeExitCode(outcome: ShardOutcome): number {
  switch (outcome.kind) {
    case 'exited':
      return outcome.exitCode;
    case 'timeout':
      return TIMEOUT_EXIT_CODE;
    case 'signal':
    case 'cancelled':
      return signalExitCode(outcome.signal);
    case 'no-report':
      return NO_REPORT_EXIT_CODE;
    case 'empty':
      return 0;
  }
}

export function outcomePassed(outcome: ShardOutcome): boolean {
  return outcomeExitCode(outcome) === 0;
}

/** One line naming the shard and what happened; undefined for an ordinary exit. */
export function describeOutcome(shard: string, outcome: ShardOutcome): string | undefined {
  switch (outcome.kind) {
    case 'timeout':
      return `shard ${shard} timed out after ${outcome.timeoutSeconds} s; the command was stopped with ${outcome.signal} (exit ${TIMEOUT_EXIT_CODE})`;
    case 'signal':
      return `shard ${shard}: the command was killed by ${outcome.signal} (exit ${signalExitCode(outcome.signal)})`;
    case 'cancelled':
      if (outcome.started === false) return `shard ${shard} was not started: split-tests received ${outcome.signal} (exit ${signalExitCode(outcome.signal)})`;
      return `shard ${shard}: split-tests received ${outcome.signal} and stopped the command (exit ${signalExitCode(outcome.signal)})`;
    case 'no-report':
      return `shard ${shard}: the command exited 0 but ${outcome.problem}; a shard without a report proves nothing (exit ${NO_REPORT_EXIT_CODE})`;
    case 'empty':
      return `shard ${shard} has no test files; the command was not started`;
    case 'exited':
      return undefined;
  }
}

/** Short label for tables and the synthetic report. */
export function outcomeLabel(outcome: ShardOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return outcome.exitCode === 0 ? 'passed' : `failed (exit ${outcome.exitCode})`;
    case 'timeout':
      return `timed out (${outcome.timeoutSeconds} s)`;
    case 'signal':
      return `killed (${outcome.signal})`;
    case 'cancelled':
      return `cancelled (${outcome.signal})`;
    case 'no-report':
      return 'no report (exit 0)';
    case 'empty':
      return 'empty';
  }
}
