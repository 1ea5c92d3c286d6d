import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { expandCommand, expandEnv, expandShardTemplate } from './expand-command.js';
import { describeOutcome, outcomeExitCode, type ShardOutcome } from './exit-status.js';
import { GROUP_SPAWN_OPTIONS, superviseGroup } from './process-group.js';
import type { RunnerPreset } from '../runners/types.js';
import { retryFailedTests } from './retries-run.js';
import type { RerunCommand } from './rerun-commands.js';
import { rerunFailedTests } from './rerun-failed-run.js';
import type { ShardMeta } from './shard-meta.js';
import { runSliceCommands, type SliceCommand } from './slice-commands.js';
import type { SplitSummary } from './shard-meta.js';
import { checkShardReport, finishShardReport, prepareReportPath } from './shard-report.js';

/**
 * Where a shard's output goes. `inherit`: the child writes straight to our terminal (one shard at a
 * time; keeps colours and TTY detection). `prefixed`: every line is prefixed, e.g. `[2/4] `, so
 * shards running side by side stay readable. `stdout` picks our stream for the child's stdout:
 * `stderr` when our own stdout carries a JSON document.
 */
export interface ShardOutput {
  readonly mode: 'inherit' | 'prefixed';
  readonly stdout: 'stdout' | 'stderr';
  readonly prefix?: string;
}

/**
 * One shard's run, independent of where its files came from: a static plan today, a queue of
 * files pulled by a worker tomorrow.
 */
export interface RunShardOptions {
  /** 1-based shard index. */
  readonly index: number;
  readonly total: number;
  /** The files to run, already in the order the runner should get them. */
  readonly files: readonly string[];
  /**
   * Slices of split files: the preset's arguments that select their tests (placed after the
   * files, as they are) and the split files, which the shard note lists beside `files`.
   */
  readonly selection?: { readonly args: readonly string[]; readonly files: readonly string[]; readonly dropped?: readonly string[] | undefined } | undefined;
  /**
   * Slices that run in commands of their own (runners whose selection filters the whole run),
   * after the command for the whole files; their reports are combined into the shard's.
   */
  readonly sliceCommands?: { readonly commands: readonly SliceCommand[]; readonly preset: RunnerPreset } | undefined;
  /** The plan's split files and what it predicted they bought, noted in the sidecar for record and report. */
  readonly split?: SplitSummary | undefined;
  /** The command after `--`: `{files}`, `{shard}`, `{total}`, `{junit}` are expanded. */
  readonly command: readonly string[];
  /** Plan fingerprint, exported as SPLIT_TESTS_PLAN and written to the sidecar. */
  readonly fingerprint: string;
  readonly estimatedSeconds: number;
  readonly cwd: string;
  /** The child's environment before the SPLIT_TESTS_* variables are added; default process.env. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Variables for the child beside `env`, `{shard}`, `{total}`, `{junit}` expanded (a runner preset's reporter settings). */
  readonly commandEnv?: Readonly<Record<string, string>> | undefined;
  /** How a file is written on the command line (a runner preset's; default: as it is). */
  readonly fileArg?: ((file: string) => string) | undefined;
  /** JUnit path template (`{shard}`, `{total}` expanded), relative to cwd. */
  readonly junit?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly output: ShardOutput;
  /** Aborted when split-tests itself is asked to stop; the reason is the signal name. */
  readonly cancelSignal?: AbortSignal | undefined;
  /** Narration (one line, no newline) for stderr. */
  readonly narrate: (line: string) => void;
  /** `--rerun-failed REPORT`: in place of the files, these commands rerun the shard's failed tests (src/run/rerun-failed-run.ts). */
  readonly rerun?: { readonly preset: RunnerPreset; readonly commands: readonly RerunCommand[]; readonly of?: ShardMeta['rerunOf'] } | undefined;
  /** `--retries N`: rerun the failed tests up to N times through the preset's selection (needs `junit`). */
  readonly retries?: { readonly count: number; readonly preset: RunnerPreset } | undefined;
  /**
   * A runner kept alive between queue batches (src/queue/resident.ts): given the command line the
   * files would run with, the variables it would get and its report, runs them in the live runner;
   * undefined when it cannot (the command then runs as usual). Reruns and slices always run commands.
   */
  readonly resident?: ((argv: readonly string[], env: Readonly<Record<string, string>>, junit: string | undefined) => Promise<ShardOutcome | undefined>) | undefined;
}

export interface ShardRunResult {
  readonly index: number;
  readonly total: number;
  readonly files: readonly string[];
  readonly estimatedSeconds: number;
  readonly wallSeconds: number;
  readonly startedAt: string;
  readonly outcome: ShardOutcome;
  readonly exitCode: number;
  /** The expanded JUnit path (as given, relative to cwd) when --junit was used. */
  readonly junit?: string | undefined;
  readonly syntheticReport?: boolean | undefined;
}

export async function runShard(options: RunShardOptions): Promise<ShardRunResult> {
  const shard = `${options.index}/${options.total}`;
  const junit = options.junit === undefined ? undefined : expandShardTemplate(options.junit, options.index, options.total);
  const junitAbsolute = junit === undefined ? undefined : resolve(options.cwd, junit);
  // Expand first: a bad template is a usage error before anything is deleted or started.
  const selected = options.selection?.args ?? [];
  const placeholders = { index: options.index, total: options.total, files: [...(options.fileArg ? options.files.map(options.fileArg) : options.files), ...selected], junit };
  const expanded = expandCommand(options.command, placeholders);
  const commandEnv = expandEnv(options.commandEnv, placeholders);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  if (junitAbsolute !== undefined && junit !== undefined) await prepareReportPath(junitAbsolute, junit);

  // the command again with other arguments in place of the files and its own report (reruns)
  const runWith = (files: readonly string[], rerunJunit: string | undefined): Promise<ShardOutcome> => {
    const values = { index: options.index, total: options.total, files, junit: rerunJunit };
    const rerun = expandCommand(options.command, values);
    const env = { ...(options.env ?? process.env), ...expandEnv(options.commandEnv, values) };
    return execute(rerun.file, rerun.args, { ...options, env }, shard, rerunJunit);
  };
  let outcome: ShardOutcome;
  let sliceDropped: string[] = [];
  const stopSignal = stopSignalOf(options.cancelSignal);
  const rerunFiles = options.rerun?.commands.flatMap((c) => c.files) ?? [];
  const ownCommands = options.sliceCommands?.commands ?? [];
  if (options.files.length === 0 && selected.length === 0 && rerunFiles.length === 0 && ownCommands.length === 0) {
    outcome = { kind: 'empty' };
  } else if (stopSignal !== undefined) {
    // split-tests is stopping: start nothing new, but still leave this shard's report
    outcome = { kind: 'cancelled', signal: stopSignal, started: false };
  } else if (options.rerun !== undefined) {
    outcome = await rerunFailedTests({
      preset: options.rerun.preset,
      commands: options.rerun.commands,
      report: junitAbsolute,
      shard,
      narrate: options.narrate,
      stopping: () => options.cancelSignal?.aborted === true,
      runOne: runWith,
    });
  } else if (ownCommands.length > 0) {
    ({ outcome, dropped: sliceDropped } = await runSliceCommands({
      files: placeholders.files,
      commands: ownCommands,
      preset: options.sliceCommands!.preset,
      junit: junitAbsolute,
      timeoutSeconds: options.timeoutSeconds,
      now: () => performance.now(),
      narrate: options.narrate,
      shard,
      name: `split-tests shard ${shard}`,
      run: async (args, partJunit, timeoutSeconds) => {
        // split-tests is stopping: no further command starts (the ones before still left reports)
        const stopping = stopSignalOf(options.cancelSignal);
        if (stopping !== undefined) return { kind: 'cancelled', signal: stopping, started: false };
        const values = { index: options.index, total: options.total, files: args, junit: partJunit };
        const part = expandCommand(options.command, values);
        const env = { ...(options.env ?? process.env), ...expandEnv(options.commandEnv, values) };
        return execute(part.file, part.args, { ...options, env, timeoutSeconds }, shard, partJunit);
      },
    }));
  } else {
    const batchEnv = { ...commandEnv, SPLIT_TESTS_SHARD: shard, ...(junit === undefined ? {} : { SPLIT_TESTS_JUNIT: junit }) };
    outcome =
      (await options.resident?.([expanded.file, ...expanded.args], batchEnv, junitAbsolute)) ??
      (await execute(expanded.file, expanded.args, { ...options, env: { ...(options.env ?? process.env), ...commandEnv } }, shard, junit));
  }
  const wallSeconds = Math.round((performance.now() - started) / 10) / 100;

  // A command that exits 0 without the report it was asked for proved nothing: not a pass.
  let problem: string | undefined;
  if (junit !== undefined && outcome.kind !== 'empty') {
    const why = await checkShardReport(junitAbsolute!);
    if (why !== undefined) problem = `the JUnit report ${junit} ${why}`;
    if (problem !== undefined && outcome.kind === 'exited' && outcome.exitCode === 0) outcome = { kind: 'no-report', problem };
    // --retries: a report of failed tests and a command that said so; a flaky shard passes
    const retries = options.retries;
    if (retries !== undefined && problem === undefined && outcome.kind === 'exited' && outcome.exitCode !== 0) {
      const passed = await retryFailedTests({
        preset: retries.preset,
        retries: retries.count,
        report: junitAbsolute!,
        shard,
        narrate: options.narrate,
        stopping: () => options.cancelSignal?.aborted === true,
        runOne: runWith,
      });
      if (passed) {
        options.narrate(`shard ${shard}: every failed test passed on a rerun (flaky); the shard passes`);
        outcome = { kind: 'exited', exitCode: 0 };
      }
    }
  }
  const exitCode = outcomeExitCode(outcome);
  const message = describeOutcome(shard, outcome);
  if (message !== undefined) options.narrate(message);

  const dropped = [...(options.selection?.dropped ?? []), ...sliceDropped];
  let syntheticReport: boolean | undefined;
  if (junitAbsolute !== undefined && junit !== undefined) {
    syntheticReport = outcome.kind === 'empty' || problem !== undefined;
    await finishShardReport({
      junitPath: junitAbsolute,
      synthetic: syntheticReport,
      reason: message ?? `the command exited with code ${exitCode}`,
      meta: {
        schemaVersion: 1,
        index: options.index,
        total: options.total,
        fingerprint: options.fingerprint,
        files: [...options.files, ...(options.selection?.files ?? []), ...rerunFiles],
        estimatedSeconds: options.estimatedSeconds,
        wallSeconds,
        exitCode,
        startedAt,
        ...(dropped.length > 0 ? { droppedTests: dropped } : {}),
        ...(options.rerun?.of !== undefined ? { rerunOf: options.rerun.of } : {}),
        ...(options.split !== undefined ? { split: options.split } : {}),
      },
    });
    if (problem !== undefined) {
      const why = outcome.kind === 'no-report' ? '' : `${problem}; `;
      options.narrate(`shard ${shard}: ${why}wrote one errored testcase per file (${options.files.length + (options.selection?.files.length ?? 0) + rerunFiles.length}) in its place`);
    }
  }
  return {
    index: options.index,
    total: options.total,
    files: options.files,
    estimatedSeconds: options.estimatedSeconds,
    wallSeconds,
    startedAt,
    outcome,
    exitCode,
    junit,
    syntheticReport,
  };
}

async function execute(
  file: string,
  args: readonly string[],
  options: RunShardOptions,
  shard: string,
  junit: string | undefined,
): Promise<ShardOutcome> {
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    SPLIT_TESTS_SHARD: shard,
    SPLIT_TESTS_PLAN: options.fingerprint,
  };
  if (junit !== undefined) env.SPLIT_TESTS_JUNIT = junit;
  const stdoutTarget = options.output.stdout === 'stdout' ? 1 : 2;
  const prefix = options.output.prefix ?? `[${shard}] `;
  const prefixLines = function* (line: unknown): Generator<string> {
    yield `${prefix}${String(line)}`;
  };
  const prefixed = options.output.mode === 'prefixed';

  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env,
    extendEnv: false,
    reject: false,
    // the child writes to our terminal or through the prefixer, never into memory
    buffer: false,
    stdin: prefixed ? 'ignore' : 'inherit',
    stdout: prefixed ? [prefixLines, stdoutTarget] : stdoutTarget,
    stderr: prefixed ? [prefixLines, 2] : 'inherit',
    // its own process group: a timeout or a stop reaches the runner's workers and a shell's jobs too
    ...GROUP_SPAWN_OPTIONS,
  });
  const { result, stopped, leftovers } = await superviseGroup(subprocess, subprocess, {
    timeoutMs: options.timeoutSeconds === undefined ? undefined : Math.round(options.timeoutSeconds * 1000),
    stop: options.cancelSignal,
  });

  if (leftovers) options.narrate(`shard ${shard}: the command exited but left processes running in its process group; split-tests stopped them`);
  if (stopped?.by === 'timeout') return { kind: 'timeout', timeoutSeconds: options.timeoutSeconds ?? 0, signal: 'SIGTERM' };
  if (stopped?.by === 'stop') return { kind: 'cancelled', signal: stopped.signal };
  if (result.signal !== undefined) return { kind: 'signal', signal: result.signal };
  if (typeof result.exitCode === 'number') return { kind: 'exited', exitCode: result.exitCode };
  // No exit code and no signal: the process never started.
  const code = (result as { code?: unknown }).code;
  if (code === 'ENOENT') {
    throw new UserError(`run: command not found: ${file}`, {
      hint: "the command after '--' runs without a shell: check its name and PATH (npx or a path like ./node_modules/.bin/vitest work)",
    });
  }
  if (code === 'EACCES') {
    throw new UserError(`run: cannot execute ${file}: permission denied`, {
      hint: `make it executable (chmod +x ${file}) or run it through its interpreter`,
    });
  }
  throw new UserError(`run: could not start ${file} for shard ${shard}: ${result.originalMessage ?? result.shortMessage}`, {
    hint: "check the command after '--'",
  });
}

/** The signal split-tests was stopped by, once `cancelSignal` was aborted. */
function stopSignalOf(signal: AbortSignal | undefined): string | undefined {
  if (signal?.aborted !== true) return undefined;
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason.startsWith('SIG') ? reason : 'SIGTERM';
}
