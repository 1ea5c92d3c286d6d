import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Argv, CommandModule } from 'yargs';
import { detectShard } from '../../ci/detect.js';
import { parseDuration } from '../../ci/pipeline/duration.js';
import { UserError } from '../../errors.js';
import { parseShardSpec, type ShardSpec } from '../../plan/shard-spec.js';
import type { Plan } from '../../plan/index.js';
import { outcomeLabel, signalExitCode } from '../../run/exit-status.js';
import { combinedExitCode, runShards } from '../../run/run-parallel.js';
import type { ShardRunResult } from '../../run/run-shard.js';
import { renderRunSummary, runSummaryJson } from '../../run/run-summary.js';
import { listenForStop } from '../../run/stop-signals.js';
import { loadConfig, type LoadedConfig } from '../config.js';
import { commonOptions, once, type CommonArgs, type OptionTable } from '../options.js';
import { formatSeconds } from '../render-plan.js';
import { resolvePlan } from '../resolve-plan.js';
import { commandWithPreset } from '../../runners/command.js';
import type { RunnerPreset } from '../../runners/types.js';
import { Readable } from 'node:stream';
import { failedInReport, rerunFailedProblem, shardRerunCommands, type FailedInReport } from '../../run/rerun-failed.js';
import { retriesProblem } from '../../run/retries.js';
import { selectsAmongFiles } from '../slice-args.js';
import type { RunShardOptions } from '../../run/run-shard.js';
import { selectedRunner } from '../runner-option.js';
import { note, warn } from '../warn.js';
import { QUEUE_RUN_OPTIONS, type QueueRunArgs } from './queue-options.js';

interface RunArgs extends CommonArgs, QueueRunArgs {
  shard?: string;
  shards?: string;
  parallel?: boolean;
  concurrency?: string;
  junit?: string;
  timeout?: string;
  retries?: string;
  rerunFailed?: string;
  '--'?: (string | number)[];
}

const OWN_OPTIONS = {
  shard: {
    coerce: once('shard'),
    type: 'string',
    requiresArg: true,
    describe: "Shard K/N, 1-based (default: SPLIT_TESTS_SHARD, else the CI provider's parallel job variables)",
  },
  parallel: {
    type: 'boolean',
    describe: 'Run all N shards on this machine at once, then print a summary table',
  },
  shards: {
    coerce: once('shards'),
    type: 'string',
    requiresArg: true,
    describe: "With --parallel: number of shards N (default: --shard's N, else \"shards\" in the config, else the CPU count)",
  },
  concurrency: {
    coerce: once('concurrency'),
    type: 'string',
    requiresArg: true,
    describe: 'With --parallel: shards running at once (default: run.concurrency in the config, else the CPU count)',
  },
  junit: {
    coerce: once('junit'),
    type: 'string',
    requiresArg: true,
    describe:
      "Where the command writes the shard's JUnit report, {shard} expanded (default: run.junit in the config); " +
      'if the command leaves none, split-tests writes one errored testcase per file',
  },
  timeout: {
    coerce: once('timeout'),
    type: 'string',
    requiresArg: true,
    describe: 'Stop a shard after this long: seconds or 90s, 5m, 1h30m (default: run.timeoutSeconds in the config); exit 124',
  },
  retries: {
    coerce: once('retries'),
    type: 'string',
    requiresArg: true,
    describe:
      'Rerun failed tests up to N times through the runner preset\'s test selection (default: run.retries in the config); ' +
      'a test that passes on a rerun is flaky and the shard passes; the report keeps one testcase with <flakyFailure>/<rerunFailure> children',
  },
  'rerun-failed': {
    coerce: once('rerun-failed'),
    type: 'string',
    requiresArg: true,
    describe:
      'Run only the tests that failed in this earlier (merged) JUnit report, their files split over the shards, through the runner preset\'s ' +
      'test selection (one command per shard, or per group of files whose test names a shared name filter keeps apart); exit 0 only when every one passes',
  },
} as const satisfies OptionTable;

/**
 * `split-tests run [--shard K/N | --parallel] -- <command...>`: runs a shard's files through the
 * team's own test command (never a shell) and passes its exit code through. Exit codes: the
 * command's own; 1 when it exited 0 without the JUnit report --junit names; 124 when --timeout stopped it; 128 + n when a signal killed it; 2 for a usage
 * error, including a command that is not found or cannot be executed (it never started, so there
 * is no test result to report).
 */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [tests..]',
  describe: "Run shard K's test files through a command (files replace {files}, else are appended)",
  builder: (y: Argv<object>) =>
    commonOptions(y)
      .usage('$0 run [--shard K/N | --parallel] [options] [test-globs...] [-- <command...>]')
      .options({ ...OWN_OPTIONS, ...QUEUE_RUN_OPTIONS })
      .example('$0 run --shard 2/4 --junit reports/{shard}.xml -- npx vitest run --reporter=junit --outputFile={junit}', '')
      .example("$0 run --shard 2/4 --runner vitest --junit 'reports/junit-{shard}.xml'", 'the runner preset builds the command')
      .epilogue(
        "Exit code: the command's own (with --parallel, the lowest-numbered failing shard's); 1 when it exited 0 but " +
          'wrote no JUnit report at --junit (a shard without a report proves nothing); 124 when --timeout stopped it; ' +
          '128+n when signal n killed it, or split-tests itself (Ctrl-C: every shard\'s process group is stopped, no new ' +
          'shard starts, reports are still written; a second Ctrl-C kills at once); 2 for a usage error or a command ' +
          'that cannot be started. A timeout or a stop reaches the whole process group of the command.',
      ) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const env = process.env;
    const config = await loadConfig({ cwd, path: args.config });
    const run = config.config.run ?? {};
    const timeoutSeconds = timeoutOf(args.timeout) ?? run.timeoutSeconds;
    const junit = args.junit ?? run.junit;
    if (junit !== undefined && junit.trim() === '') {
      throw new UserError('--junit: empty path', { hint: 'e.g. --junit reports/junit-{shard}.xml' });
    }
    const runner = selectedRunner(args, config);
    const given = (args['--'] ?? []).length > 0 ? args['--']!.map(String) : run.command;
    const fromPreset = runner === undefined ? undefined : commandWithPreset(runner, given, junit);
    const command = fromPreset?.command ?? testCommand(args['--'], run.command);
    const retryCount = args.retries === undefined ? run.retries : nonNegativeInteger(args.retries, '--retries');
    const retries = retryCount === undefined || retryCount === 0 ? undefined : retriesWith(runner, junit, command, fromPreset?.env, retryCount);

    if (args.queue !== undefined) {
      if (args.rerunFailed !== undefined) {
        throw new UserError('--rerun-failed is not for queue mode: the queue hands out whole files, a rerun names single failed tests (and is a few of them)', {
          hint: 'rerun them without --queue (e.g. --parallel --rerun-failed REPORT)',
        });
      }
      const { runQueue } = await import('./run-queue.js');
      process.exitCode = await runQueue({
        args,
        config,
        command,
        commandEnv: fromPreset?.env,
        fileArg: runner?.fileArg,
        resident: runner?.resident,
        noResident: args.resident === false,
        junit,
        timeoutSeconds,
        cwd,
        env,
        retries,
      });
      return;
    }
    for (const flag of ['queueId', 'queueTtl', 'queueLease', 'maxRequeues', 'resident'] as const) {
      if (args[flag] === undefined) continue;
      const name = flag === 'resident' && args.resident === false ? 'no-resident' : flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new UserError(`--${name} is for queue mode`, { hint: 'add --queue URL (or --parallel --queue)' });
    }

    let shards: ShardSpec[];
    let total: number;
    let concurrency: number;
    if (args.parallel) {
      total = parallelShardCount(args, config);
      concurrency = Math.min(total, positiveInteger(args.concurrency, '--concurrency') ?? run.concurrency ?? availableParallelism());
      if (junit !== undefined && total > 1 && !junit.includes('{shard}')) {
        throw new UserError(`--junit ${junit}: must contain {shard} with --parallel, or the shards overwrite each other's report`, {
          hint: 'e.g. --junit reports/junit-{shard}.xml',
        });
      }
      shards = Array.from({ length: total }, (_, i) => ({ index: i + 1, total }));
    } else {
      if (args.shards !== undefined) throw new UserError('--shards is for --parallel', { hint: 'pass --shard K/N to run one shard, or add --parallel' });
      if (args.concurrency !== undefined) throw new UserError('--concurrency is for --parallel', { hint: 'add --parallel to run all shards here' });
      const detected = detectShard(args.shard, env);
      if (detected.source !== '--shard') note(`shard ${detected.spec.index}/${detected.spec.total} from ${detected.source}`);
      shards = [detected.spec];
      total = detected.spec.total;
      concurrency = 1;
    }

    // --rerun-failed: the plan is over the files with failed tests, each shard runs only those tests
    const rerun = args.rerunFailed === undefined ? undefined : await failedTestsToRerun(args, runner, junit, command, fromPreset?.env);
    if (rerun !== undefined && rerun.batches.length === 0) {
      note(`no failed test in ${args.rerunFailed}: nothing to rerun`);
      return;
    }
    const planArgs = rerun === undefined ? args : { ...args, tests: undefined, filesFrom: '-' };
    const planInput = rerun === undefined ? undefined : Readable.from([rerun.batches.map((b) => b.file).join('\n')]);
    const { plan, warnings } = await resolvePlan(planArgs, { shards: total, cwd, env, config, slices: rerun === undefined, stdin: planInput });
    for (const message of warnings) warn(message);
    if (!args.parallel) narrateShard(plan, shards[0]!);
    else note(`running ${total} shard${total === 1 ? '' : 's'} here, ${concurrency} at a time (plan ${plan.fingerprint.slice(0, 12)})`);

    // Ctrl-C or a CI cancel stops every shard's process group, starts no new shard, and the
    // reports are still finished (src/run/stop-signals.ts).
    const stop = listenForStop((line) => note(line));
    const started = performance.now();
    // slices of split files run through the preset's selection, after the shard's whole files
    const sliceArgs = new Map<number, { args: string[]; files: string[]; dropped: string[] }>();
    const ownCommands = new Map<number, NonNullable<RunShardOptions['sliceCommands']>>();
    if (runner !== undefined && plan.slicing !== undefined && !selectsAmongFiles(runner)) {
      // the runner filters the whole run (-t, --grep): each slice in a command of its own
      const { sliceCommands } = await import('../../run/slice-commands.js');
      for (const s of shards) {
        const commands = sliceCommands(plan, s.index, runner);
        if (commands.length === 0) continue;
        if (junit !== undefined && ![...command, ...Object.values(fromPreset?.env ?? {})].some((arg) => arg.includes('{junit}'))) {
          throw new UserError(`run: ${commands[0]!.file} is split by test, and each slice's command needs a report of its own: the command must write to {junit}, not a fixed path`, {
            hint: "use {junit} in the command (e.g. --outputFile={junit}), or leave out the command to use the preset's",
          });
        }
        ownCommands.set(s.index, { commands, preset: runner });
        sliceArgs.set(s.index, { args: [], files: [...new Set(commands.map((c) => c.file))], dropped: [] });
      }
    } else if (runner !== undefined) {
      const { selectSlices } = await import('../../run/slice-selection.js');
      for (const s of shards) {
        const selection = await selectSlices({ plan, shard: s.index, preset: runner, command: given ?? runner.command, cwd, env });
        for (const line of selection.notes) warn(line);
        if (selection.args.length > 0) sliceArgs.set(s.index, { args: selection.args, files: selection.files, dropped: selection.dropped });
      }
    }
    let results: ShardRunResult[];
    try {
      results = await runShards({
        shards: shards.map((s) => {
          const planned = plan.shards[s.index - 1]!;
          if (rerun !== undefined) {
            const commands = shardRerunCommands(runner!, rerun, planned.files);
            return { index: s.index, files: [], rerun: { preset: runner!, commands, of: { report: args.rerunFailed! } }, estimatedSeconds: planned.estimatedSeconds };
          }
          return { index: s.index, files: planned.files, selection: sliceArgs.get(s.index), sliceCommands: ownCommands.get(s.index), estimatedSeconds: planned.estimatedSeconds };
        }),
        total,
        concurrency,
        stdout: args.json ? 'stderr' : 'stdout',
        command,
        fingerprint: plan.fingerprint,
        split: plan.slicing === undefined ? undefined : { files: plan.slicing.files.map((f) => ({ file: f.file, slices: f.slices })), fileLevelSeconds: plan.slicing.fileLevelSeconds, slicedSeconds: plan.slicing.slicedSeconds },
        cwd,
        env,
        junit,
        commandEnv: fromPreset?.env,
        fileArg: runner?.fileArg,
        timeoutSeconds,
        cancelSignal: stop.signal,
        narrate: (line) => note(line),
        retries,
      });
    } finally {
      stop.dispose();
    }
    const wallSeconds = Math.round((performance.now() - started) / 10) / 100;
    // stopped: 128 + n, whatever the shards that finished before the signal said
    const stoppedBy = stop.stoppedBy();
    const exitCode = stoppedBy === undefined ? combinedExitCode(results) : signalExitCode(stoppedBy);
    if (!args.parallel) {
      const only = results[0]!;
      // timeouts, signals and empty shards were already narrated by the runner
      if (only.outcome.kind === 'exited') note(`shard ${only.index}/${only.total} ${outcomeLabel(only.outcome)} in ${formatSeconds(only.wallSeconds)}`);
    } else {
      process.stderr.write(renderRunSummary(results, {
          wallSeconds,
          concurrency,
          lowerBoundSeconds: plan.lowerBoundSeconds,
          estimated: plan.estimator !== 'none',
        }),);
    }
    if (args.json) {
      const summary = runSummaryJson(results, { fingerprint: plan.fingerprint, shardCount: total, exitCode, wallSeconds });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    }
    process.exitCode = exitCode;
  },
};

/** The command after `--`, else run.command of the config. */
export function testCommand(afterDashes: readonly (string | number)[] | undefined, fromConfig: readonly string[] | undefined): string[] {
  const given = (afterDashes ?? []).map(String);
  const command = given.length > 0 ? given : [...(fromConfig ?? [])];
  if (command.length === 0 || command[0] === '') {
    throw new UserError('run: no test command', {
      hint: "put it after '--' (e.g. split-tests run --shard 1/4 -- npx vitest run), set run.command in split-tests.config.json, or name a runner preset (--runner vitest)",
    });
  }
  return command;
}

/** `--timeout 600`, `--timeout 5m`, `--timeout 1h30m`: seconds, or undefined when not given. */
export function timeoutOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    throw new UserError(`--timeout ${JSON.stringify(value)}: expected seconds > 0 or a duration such as 90s, 5m, 1h30m`, {
      hint: 'e.g. --timeout 10m',
    });
  }
  return seconds;
}

function nonNegativeInteger(value: string, flag: string): number {
  const text = String(value).trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number)) throw new UserError(`${flag} ${JSON.stringify(String(value))}: must be a whole number ≥ 0`, { hint: `e.g. ${flag} 2` });
  return number;
}

/** What --retries needs: a preset that selects tests, a report to read the failures from, and `{junit}` for the reruns' own reports. */
function retriesWith(
  runner: RunnerPreset | undefined,
  junit: string | undefined,
  command: readonly string[],
  commandEnv: Readonly<Record<string, string>> | undefined,
  count: number,
): { count: number; preset: RunnerPreset } {
  const problem = retriesProblem(runner, junit, command, commandEnv);
  if (problem !== undefined) throw new UserError(problem.message, { hint: problem.hint });
  return { count, preset: runner! };
}

/** The failed tests of --rerun-failed's report; the preset must select tests (src/run/rerun-failed.ts). */
async function failedTestsToRerun(
  args: RunArgs,
  runner: RunnerPreset | undefined,
  junit: string | undefined,
  command: readonly string[],
  commandEnv: Readonly<Record<string, string>> | undefined,
): Promise<FailedInReport> {
  const report = args.rerunFailed!;
  const problem = rerunFailedProblem(runner, junit, command, commandEnv);
  if (problem !== undefined) throw new UserError(problem.message, { hint: problem.hint });
  if ((args.tests ?? []).length > 0 || args.filesFrom !== undefined) {
    throw new UserError(`--rerun-failed ${report}: the tests come from the report`, { hint: 'drop the test globs and --files-from' });
  }
  const failed = await failedInReport(report, runner!);
  if (failed.unknown > 0) warn(`${failed.unknown} failed testcase${failed.unknown === 1 ? '' : 's'} in ${report} name no test file: not rerun`);
  return failed;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new UserError(`${flag} ${JSON.stringify(String(value))}: must be a whole number ≥ 1`, { hint: `e.g. ${flag} 4` });
  }
  return number;
}

/**
 * N for --parallel: --shards, else the config's shards, else --shard's N (the same command line a
 * CI node runs, now for all of its shards), else one shard per CPU.
 */
function parallelShardCount(args: RunArgs, config: LoadedConfig): number {
  const fromFlag = positiveInteger(args.shards, '--shards');
  const fromShard = args.shard === undefined ? undefined : parseShardSpec(args.shard, '--shard').total;
  if (fromFlag !== undefined && fromShard !== undefined && fromFlag !== fromShard) {
    throw new UserError(`--shards ${fromFlag} and --shard ${args.shard} disagree on the number of shards`, { hint: 'pass one of them' });
  }
  return fromFlag ?? fromShard ?? config.config.shards ?? availableParallelism();
}

function narrateShard(plan: Plan, shard: ShardSpec): void {
  const mine = plan.shards[shard.index - 1]!;
  const slices = mine.slices?.length ?? 0;
  if (mine.files.length === 0 && slices === 0) return; // runShard says the shard is empty
  const fileCount = plan.shards.reduce((n, s) => n + s.files.length, 0) + (plan.slicing?.files.length ?? 0);
  const estimate = plan.estimator === 'none' ? 'split by count' : `estimated ${formatSeconds(mine.estimatedSeconds)}`;
  const sliced = slices > 0 ? ` and ${slices} slice${slices === 1 ? '' : 's'} of split files` : '';
  note(`shard ${shard.index}/${shard.total}: ${mine.files.length} of ${fileCount} files${sliced} (${estimate}, plan ${plan.fingerprint.slice(0, 12)})`);
}
