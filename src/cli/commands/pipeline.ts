import { availableParallelism, constants as osConstants } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { parseDuration } from '../../ci/pipeline/duration.js';
import { mergeStep, recordStep } from '../../ci/pipeline/report-steps.js';
import { predictedStageSeconds, runPipelineLocally } from '../../ci/pipeline/run-pipeline.js';
import { predictPipeline, type Prediction } from '../../ci/pipeline/predict.js';
import { renderPipelinePlanText, type PlanBasis } from '../../ci/pipeline/render-text.js';
import { stageInputs } from '../../ci/pipeline/stage-inputs.js';
import {
  CI_SYSTEMS,
  DEFAULT_JUNIT,
  DEFAULT_OUTPUT,
  DEFAULT_PACKAGE_PATHS,
  defaultTestCommand,
  renderTemplate,
  type CiSystem,
} from '../../ci/pipeline/templates/index.js';
import { pipelineTimeline } from '../../ci/pipeline/timeline.js';
import { writeTemplateFile } from '../../ci/pipeline/write-template.js';
import { DEFAULT_HISTORY_PATH } from '../../config/types.js';
import { UserError } from '../../errors.js';
import { readHistory } from '../../timings/history.js';
import { renderTimelineText } from '../../report/timeline.js';
import { renderRunSummary } from '../../run/run-summary.js';
import { writeError } from '../../fs/write-error.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { listenForStop } from '../../run/stop-signals.js';
import { loadConfig, type LoadedConfig } from '../config.js';
import { commonOptions, type CommonArgs } from '../options.js';
import { groupSpec, resolvePlan } from '../resolve-plan.js';
import { MAX_SHARDS } from '../../plan/shard-spec.js';
import { note, warn } from '../warn.js';

interface PipelinePlanArgs extends CommonArgs {
  target?: string;
  shards?: number;
  history?: string;
}

interface PipelineInitArgs {
  ci: CiSystem;
  shards?: number;
  output?: string;
  force?: boolean;
  config?: string;
  branch: string;
  nodeVersion: string;
  packagePath?: string[];
  queue?: boolean;
}

/** `pipeline plan`: how many shards, and the whole pipeline's predicted timeline. */
const planSubcommand: CommandModule<object, PipelinePlanArgs> = {
  command: 'plan [tests..]',
  describe: 'Recommend a shard count for a target and predict the pipeline (build, shards beside package, merge, deploy)',
  builder: (y: Argv<object>) =>
    commonOptions(y)
      .option('target', {
        type: 'string',
        requiresArg: true,
        describe:
          'Longest acceptable test stage (node overhead + slowest shard), e.g. 10m, 90s, 1h30m; without one, the fewest shards within 10% of the fastest (default: pipeline.target in the config)',
      })
      .option('shards', {
        type: 'number',
        requiresArg: true,
        describe: `Predict this shard count (1 to ${MAX_SHARDS}) instead of recommending one`,
      })
      .option('history', {
        type: 'string',
        requiresArg: true,
        describe: `History file with measured stage and shard times (default: "history" in the config, else ${DEFAULT_HISTORY_PATH})`,
      }) as unknown as Argv<PipelinePlanArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const config = await loadConfig({ cwd, path: args.config });
    const prediction = await predictFromArgs(args, config, cwd);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...pipelineDocument(prediction), basis: prediction.basis })}\n`);
      return;
    }
    process.stdout.write(
      renderPipelinePlanText(prediction.pipeline, {
        width: Math.min(110, process.stdout.columns || 100),
        color: useColor(process.stdout),
        basis: prediction.basis,
      }),
    );
  },
};

/** Shared by `pipeline plan` and `pipeline run`: plan every candidate count, then the pipeline. */
export async function predictFromArgs(
  args: PipelinePlanArgs,
  config: LoadedConfig,
  cwd: string,
  options: { forRun?: boolean; shardsLabel?: string } = {},
): Promise<Prediction & { basis: PlanBasis }> {
  const shards = args.shards === undefined ? undefined : checkShardCount(args.shards, options.shardsLabel ?? '--shards');
  const targetText = args.target ?? config.config.pipeline?.target;
  const targetSeconds = targetText === undefined ? undefined : parseTarget(targetText, args.target !== undefined);
  const historyPath = historyPathOf(args.history, config, cwd);
  const history = await readHistory(historyPath.absolute, historyPath.label);
  // A history named on the command line that is not there is most likely a typo, or a CI cache
  // that missed: say so, since every stage time then falls back to a default. (`pipeline run`
  // creates it, so there it is only the first run.)
  if (history === undefined && args.history !== undefined && options.forRun !== true) {
    warn(`--history ${args.history}: no such file; stage and overhead times fall back to the config or defaults`);
  }
  // With no timings named anywhere, the pipeline's own history is the timing source: what
  // `pipeline run` recorded last time balances this time.
  const noTimings = (args.timings === undefined || args.timings.length === 0) && (config.config.timings ?? []).length === 0;
  const planArgs = noTimings && history !== undefined ? { ...args, timings: [historyPath.absolute] } : args;
  if (planArgs !== args) {
    const runs = history?.runs.length ?? 0;
    note(`timings from the history ${historyPath.label} (${runs} run${runs === 1 ? '' : 's'})`);
  }
  // One plan to find the files, timings and groups exactly as `plan` does; then every candidate.
  const resolved = await resolvePlan(planArgs, { shards: shards ?? 1, cwd, env: process.env, config });
  for (const message of resolved.warnings) warn(message);
  const prediction = predictPipeline({
    files: resolved.files,
    runs: resolved.timings.runs,
    groups: groupSpec(args, config),
    // `pipeline run` runs exactly the steps the config names, so it predicts only those
    stages: stageInputs(options.forRun ? (config.config.pipeline ?? {}) : config.config.pipeline, history),
    targetSeconds,
    shards,
  });
  const basis: PlanBasis = {
    estimator: prediction.plan.estimator,
    files: resolved.files.length,
    estimatedFiles: prediction.plan.estimatedFiles,
    timingRuns: resolved.timings.runs.length,
    history: { label: args.history ?? historyPath.label, runs: history?.runs.length },
    ...(targetText === undefined ? {} : { targetFrom: args.target !== undefined ? '--target' : 'pipeline.target in the config' }),
  };
  return { ...prediction, basis };
}

export function pipelineDocument(prediction: Prediction): Record<string, unknown> {
  const { pipeline, plan } = prediction;
  return {
    ...pipeline,
    schemaVersion: 1,
    timeline: pipelineTimeline(pipeline),
    plan: {
      shards: plan.shards.map((s) => ({ index: s.index, files: s.files, estimatedSeconds: s.estimatedSeconds, groups: s.groups })),
      estimatedTotalSeconds: plan.estimatedTotalSeconds,
      lowerBoundSeconds: plan.lowerBoundSeconds,
      fingerprint: plan.fingerprint,
      estimatedFiles: plan.estimatedFiles,
      estimator: plan.estimator,
      splitGroups: plan.splitGroups,
    },
  };
}

/** `--history` is relative to where the user stands; the config's `history` to the config's folder. */
export function historyPathOf(flag: string | undefined, config: LoadedConfig, cwd: string): { absolute: string; label: string } {
  if (flag !== undefined) return { absolute: resolve(cwd, flag), label: `--history ${flag}` };
  const configured = config.config.history;
  if (configured !== undefined) return { absolute: resolve(config.root, configured), label: configured };
  return { absolute: resolve(config.root, DEFAULT_HISTORY_PATH), label: DEFAULT_HISTORY_PATH };
}

function parseTarget(text: string, fromFlag: boolean): number {
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    throw new UserError(`${fromFlag ? '--target' : 'config "pipeline.target"'} ${JSON.stringify(text)}: not a duration above zero`, {
      hint: 'write it like 10m, 90s or 1h30m',
    });
  }
  return seconds;
}

export function checkShards(value: number, label: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UserError(`${label} ${Number.isNaN(value) ? '(not a number)' : value}: must be a whole number ≥ 1`, {
      hint: `e.g. ${label} 4`,
    });
  }
  return value;
}

/** Every shard is a CI node: the planner's limit (src/plan/shard-spec.ts), re-exported for tests. */
export { MAX_SHARDS };

function checkShardCount(value: number, label: string): number {
  const shards = checkShards(value, label);
  if (shards > MAX_SHARDS) {
    throw new UserError(`${label} ${shards}: more than ${MAX_SHARDS} shards`, {
      hint: `each shard is a CI job (GitLab's parallel: allows at most 200); pick ${label} between 1 and ${MAX_SHARDS}`,
    });
  }
  return shards;
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined;
}

/** `pipeline init`: a ready CI configuration for the shards, package, merge and deploy. */
const initSubcommand: CommandModule<object, PipelineInitArgs> = {
  command: 'init',
  describe: 'Write a CI configuration (GitLab, Jenkins, GitHub Actions or CircleCI) for N shards beside packaging',
  builder: (y: Argv<object>) =>
    y
      .option('ci', {
        choices: CI_SYSTEMS,
        demandOption: true,
        describe: 'The CI system',
      })
      .option('shards', {
        type: 'number',
        requiresArg: true,
        describe: 'Number of shards N (default: "shards" in the config)',
      })
      .option('output', {
        type: 'string',
        requiresArg: true,
        describe: "Where to write it (default: where the CI looks for it, e.g. .gitlab-ci.yml); '-' prints it",
      })
      .option('force', {
        type: 'boolean',
        describe: 'Overwrite an existing file',
      })
      .option('config', {
        type: 'string',
        requiresArg: true,
        describe: 'Config file with run.command, run.junit, pipeline.package and pipeline.deploy',
      })
      .option('branch', {
        type: 'string',
        default: 'main',
        requiresArg: true,
        describe: 'The branch that deploys',
      })
      .option('node-version', {
        type: 'string',
        default: '22',
        requiresArg: true,
        describe: 'Node.js version of the CI images (22, or major.minor such as 22.11)',
      })
      .option('package-path', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe:
          'A file or folder (trailing /) the package step makes, handed to deploy; repeatable (default: pipeline.packagePaths in the config, else out/ when pipeline.package is set)',
      })
      .option('queue', {
        type: 'boolean',
        describe:
          'Queue mode: the test jobs pull batches from one Redis queue (run --queue) at SPLIT_TESTS_REDIS_URL from the CI secret store, and merge first runs queue wait',
      }) as unknown as Argv<PipelineInitArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const config = await loadConfig({ cwd, path: args.config });
    const shardsValue = args.shards ?? config.config.shards;
    if (shardsValue === undefined) {
      throw new UserError('pipeline init: the number of shards is missing', {
        hint: 'pass --shards N (split-tests pipeline plan --target 10m recommends one), or set "shards" in the config',
      });
    }
    const shards = checkShards(shardsValue, '--shards');
    const junit = config.config.run?.junit ?? DEFAULT_JUNIT;
    const text = renderTemplate(args.ci, {
      shards,
      testCommand: config.config.run?.command ?? defaultTestCommand(junit),
      junit,
      build: config.config.pipeline?.build,
      package: config.config.pipeline?.package,
      deploy: config.config.pipeline?.deploy,
      history: config.config.history ?? DEFAULT_HISTORY_PATH,
      branch: args.branch,
      nodeVersion: args.nodeVersion,
      packagePaths: packagePathsOf(args.packagePath, config),
      queue: args.queue === true,
    });
    if (args.output === '-') {
      process.stdout.write(text);
      return;
    }
    // The default goes to the project root (the config's folder), where the CI looks for it.
    const target = args.output === undefined ? resolve(config.root, DEFAULT_OUTPUT[args.ci]) : resolve(cwd, args.output);
    const label = args.output ?? DEFAULT_OUTPUT[args.ci];
    try {
      await writeTemplateFile(target, label, text, args.force === true);
    } catch (error) {
      throw await writeError(args.output === undefined ? label : `--output ${label}`, target, error);
    }
    note(
      `wrote ${label}: ${args.ci} pipeline with ${shards} ${args.queue === true ? 'queue worker' : 'shard'}${shards === 1 ? '' : 's'} beside packaging, then merge and deploy`,
    );
    if (args.queue === true) note('queue mode: put the Redis URL in the CI secret store as SPLIT_TESTS_REDIS_URL (the file says where)');
    if (config.config.pipeline?.package === undefined || config.config.pipeline.deploy === undefined) {
      note('set pipeline.package and pipeline.deploy in split-tests.config.json (the file shows the usual ones as comments), then run init --force');
    }
  },
};

/** Flag, else config, else `out/` when there is a package step; each a relative path inside the project. */
function packagePathsOf(flag: readonly string[] | undefined, config: LoadedConfig): string[] {
  const fromFlag = flag !== undefined;
  const paths = flag ?? config.config.pipeline?.packagePaths ?? (config.config.pipeline?.package === undefined ? [] : DEFAULT_PACKAGE_PATHS);
  const label = fromFlag ? '--package-path' : 'config "pipeline.packagePaths"';
  for (const path of paths) {
    if (path.trim() === '' || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..')) {
      throw new UserError(`${label} ${JSON.stringify(path)}: must be a path inside the project, relative to its root`, {
        hint: 'e.g. --package-path out/ (a folder) or --package-path VERSION (a file)',
      });
    }
  }
  return [...new Set(paths)];
}

interface PipelineRunArgs extends PipelinePlanArgs {
  junit?: string;
  concurrency?: number;
  timeout?: number;
  merged?: string;
  runId?: string;
  '--'?: (string | number)[];
}

/** `pipeline run`: the CI graph on this machine, then the measured timeline beside the predicted one. */
const runSubcommand: CommandModule<object, PipelineRunArgs> = {
  command: 'run [tests..]',
  describe: 'Run the pipeline here: build, all shards in parallel beside package, merge, record, then deploy if all passed',
  builder: (y: Argv<object>) =>
    commonOptions(y)
      .usage('$0 pipeline run [--shards N] [options] -- <test command...>')
      .option('shards', {
        type: 'number',
        requiresArg: true,
        describe: 'Number of shards N (default: "shards" in the config, else the recommendation for --target)',
      })
      .option('target', {
        type: 'string',
        requiresArg: true,
        describe: 'Target for the test stage when no shard count is given, e.g. 10m',
      })
      .option('junit', {
        type: 'string',
        requiresArg: true,
        describe: 'Where the test command writes each shard\'s JUnit, with {shard} (default: run.junit in the config)',
      })
      .option('concurrency', {
        type: 'number',
        requiresArg: true,
        describe: 'Shards running at once (default: run.concurrency in the config, else the CPU count)',
      })
      .option('timeout', {
        type: 'number',
        requiresArg: true,
        describe: 'Stop a shard after this many seconds (default: run.timeoutSeconds in the config)',
      })
      .option('merged', {
        type: 'string',
        requiresArg: true,
        describe: 'The merged JUnit report (default: merged.xml beside the shard reports)',
      })
      .option('history', {
        type: 'string',
        requiresArg: true,
        describe: `History file to record into (default: "history" in the config, else ${DEFAULT_HISTORY_PATH})`,
      })
      .option('run-id', {
        type: 'string',
        requiresArg: true,
        describe: 'Id of this run in the history (default: from the CI variables, else a time stamp)',
      }) as unknown as Argv<PipelineRunArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const config = await loadConfig({ cwd, path: args.config });
    const afterDashes = (args['--'] ?? []).map(String);
    const command = afterDashes.length > 0 ? afterDashes : config.config.run?.command;
    if (command === undefined || command.length === 0) {
      throw new UserError('pipeline run: no test command', {
        hint: "put it after '--' (e.g. -- npx vitest run --reporter=junit --outputFile={junit}) or set run.command in the config",
      });
    }
    const junit = args.junit ?? config.config.run?.junit;
    if (junit === undefined) {
      throw new UserError('pipeline run: the shards\' JUnit path is missing', {
        hint: 'pass --junit reports/junit-{shard}.xml (and have the command write there, e.g. --outputFile={junit}) or set run.junit',
      });
    }
    if (!junit.includes('{shard}')) {
      throw new UserError(`--junit ${junit}: must contain {shard}, or the shards overwrite each other's report`, {
        hint: 'e.g. --junit reports/junit-{shard}.xml',
      });
    }
    const concurrency = checkShards(args.concurrency ?? config.config.run?.concurrency ?? availableParallelism(), '--concurrency');
    const timeoutSeconds = checkTimeout(args.timeout) ?? config.config.run?.timeoutSeconds;
    const shards = args.shards ?? config.config.shards;
    const prediction = await predictFromArgs({ ...args, shards }, config, cwd, {
      forRun: true,
      shardsLabel: args.shards === undefined ? 'config "shards"' : '--shards',
    });
    const { plan, pipeline } = prediction;
    const reportsDir = dirname(junit);
    const planPath = resolve(cwd, reportsDir, 'plan.json');
    try {
      await writeFileAtomic(planPath, `${JSON.stringify(plan, null, 2)}\n`);
    } catch (error) {
      // the plan goes beside the shards' reports: name it as the --junit folder it came from
      throw await writeError(`${reportsDir === '.' ? '' : `${reportsDir}/`}plan.json (the --junit folder)`, planPath, error);
    }
    const merged = args.merged ?? `${reportsDir === '.' ? '' : `${reportsDir}/`}merged.xml`;
    const history = historyPathOf(args.history, config, cwd);
    const pipelineSection = config.config.pipeline ?? {};
    const json = args.json === true;
    const narrate = (line: string): void => note(line);

    note(
      `pipeline: ${plan.shardCount} shard${plan.shardCount === 1 ? '' : 's'} (${concurrency} at a time)` +
        `${pipelineSection.package === undefined ? '' : ' beside package'}, then merge, ` +
        `${pipelineSection.deploy === undefined ? 'record' : 'deploy if everything passed, record'}; ` +
        `predicted ${formatMinutes(pipeline.totalSeconds)}${guessedFrom(prediction.basis, pipeline)}`,
    );
    // Ctrl-C or a CI cancel stops the steps' and shards' process groups, skips deploy, and still
    // writes the merged report (src/run/stop-signals.ts, as in run.ts).
    const stop = listenForStop(narrate);
    const abort = { signal: stop.signal };
    const stoppedBy = (): string | undefined => {
      const signal = stop.stoppedBy();
      return signal === undefined ? undefined : `split-tests received ${signal}`;
    };
    const started = Date.now();
    let outcome;
    try {
      outcome = await runPipelineLocally({
        cwd,
        env: process.env,
        plan,
        pipeline,
        command,
        junit,
        concurrency,
        timeoutSeconds,
        commands: { build: pipelineSection.build, package: pipelineSection.package, deploy: pipelineSection.deploy },
        stdout: json ? 'stderr' : 'stdout',
        cancelSignal: abort.signal,
        stopped: stoppedBy,
        narrate,
        merge: (reports) =>
          mergeStep({ cwd, reports, output: merged, plannedFiles: plan.shards.flatMap((s) => s.files), fingerprint: plan.fingerprint, narrate }),
        record: (reports, stages) =>
          recordStep({
            cwd,
            reports,
            historyPath: history.absolute,
            env: process.env,
            files: plan.shards.flatMap((s) => s.files),
            groups: groupSpec(args, config),
            stages,
            predictedStages: predictedStageSeconds(pipeline),
            runId: args.runId,
            narrate,
          }),
      });
    } finally {
      stop.dispose();
    }
    const { result, shards: shardResults } = outcome;
    // a stopped run exits 128 + the signal's number, as a shell and `run` report a command stopped by one
    const exitCode = result.stoppedBecause === undefined ? result.exitCode : 128 + (signalNumber(abort.signal.reason) ?? 15);
    const timeline = pipelineTimeline(pipeline, result.measured);
    if (shardResults.length > 0) {
      process.stderr.write(
        renderRunSummary(shardResults, {
          wallSeconds: result.measured.tests?.durationSeconds ?? 0,
          concurrency,
          lowerBoundSeconds: plan.lowerBoundSeconds,
        }),
      );
    }
    if (json) {
      process.stdout.write(
        `${JSON.stringify({
          schemaVersion: 1,
          exitCode,
          passed: exitCode === 0,
          wallSeconds: Math.round((Date.now() - started) / 10) / 100,
          status: result.status,
          deployed: result.deployed,
          ...(result.deploySkippedBecause === undefined ? {} : { deploySkippedBecause: result.deploySkippedBecause }),
          ...(result.stoppedBecause === undefined ? {} : { stoppedBecause: result.stoppedBecause }),
          shardCount: plan.shardCount,
          fingerprint: plan.fingerprint,
          merged,
          history: history.label,
          predictedStages: predictedStageSeconds(pipeline),
          measured: result.measured,
          timeline,
        })}\n`,
      );
    } else {
      process.stdout.write(`\n${renderTimelineText(timeline, { width: Math.min(110, process.stdout.columns || 100), color: useColor(process.stdout) })}`);
      process.stdout.write(`${statusLine(result.status)}\n`);
    }
    if (result.stoppedBecause !== undefined) {
      note(`pipeline stopped: ${result.stoppedBecause}; not deployed, not recorded; merged report so far ${merged}`);
      process.exitCode = exitCode;
      return;
    }
    note(
      result.exitCode === 0
        ? `pipeline passed${result.deployed ? ' and deployed' : ''}; merged report ${merged}, history ${history.label}`
        : `pipeline failed: ${failedStages(result.status)}${result.deploySkippedBecause === undefined ? '' : `; not deployed: ${result.deploySkippedBecause}`}`,
    );
    process.exitCode = exitCode;
  },
};

/** Says what a prediction is guessed from, when it is not measured; empty when it is. */
function guessedFrom(basis: PlanBasis, pipeline: Prediction['pipeline']): string {
  const guesses: string[] = [];
  if (basis.estimator === 'none' || basis.timingRuns === 0) guesses.push('file counts for test times');
  const stages = [pipeline.overhead, ...Object.values(pipeline.durations)].filter((v) => v.source !== 'none');
  if (stages.some((v) => v.source === 'default')) guesses.push('default stage times');
  return guesses.length === 0 ? '' : ` (from ${guesses.join(' and ')}; this run measures them)`;
}

function signalNumber(reason: unknown): number | undefined {
  return typeof reason === 'string' ? (osConstants.signals as Record<string, number | undefined>)[reason] : undefined;
}

function checkTimeout(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new UserError(`--timeout ${Number.isNaN(value) ? '(not a number)' : value}: must be a number of seconds > 0`, {
      hint: 'e.g. --timeout 600',
    });
  }
  return value;
}

function statusLine(status: Readonly<Record<string, string>>): string {
  return Object.entries(status)
    .map(([stage, value]) => `${stage} ${value}`)
    .join(', ');
}

function failedStages(status: Readonly<Record<string, string>>): string {
  const failed = Object.entries(status).filter(([, value]) => value === 'failed').map(([stage]) => stage);
  return failed.length === 0 ? 'tests did not pass' : `${failed.join(', ')} failed`;
}

function formatMinutes(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export const pipelineCommand: CommandModule = {
  command: 'pipeline <command>',
  describe: 'Plan, generate and run the whole pipeline: build, shards beside packaging, merge, deploy',
  builder: (y: Argv) =>
    y
      .command(planSubcommand)
      .command(initSubcommand)
      .command(runSubcommand)
      .demandCommand(1, 'pipeline: name a subcommand: plan, init or run'),
  handler: () => {},
};
