/**
 * `pipeline run`: the CI graph on one machine.
 *
 *   build ─┬─> shards (in parallel) ─> merge ─┬─> deploy (only when everything passed) ─> record
 *          └─> package ───────────────────────┘
 *
 * The order and the gating live here; everything that touches the world (shells, test runners,
 * files, the clock) comes in as effects, so the graph is tested with fakes. Recording comes last so
 * that the history holds every stage's measured time, the deploy's included; it runs whatever
 * happened after the shards, because a failing run's timings are still timings.
 */
import type { MeasuredStage } from './timeline.js';

export type StepName = 'build' | 'package' | 'deploy';

export interface StepOutcome {
  readonly exitCode: number;
}

export interface ShardTiming {
  /** Timeline name, e.g. `shard 2/4`. */
  readonly name: string;
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

export interface TestsOutcome {
  readonly exitCode: number;
  readonly shards: readonly ShardTiming[];
}

export interface MergeOutcome {
  /** 0 when every planned file reported and the merged report was written. */
  readonly exitCode: number;
  /** Tests that failed in the merged report, when the merge counted them. */
  readonly failedTests?: number | undefined;
}

export interface LocalRunEffects {
  /** Seconds on a monotonic clock. */
  now(): number;
  runStep(name: StepName, command: string): Promise<StepOutcome>;
  runTests(): Promise<TestsOutcome>;
  merge(): Promise<MergeOutcome>;
  record(measured: Readonly<Record<string, number>>): Promise<void>;
  narrate(line: string): void;
  /**
   * Why the pipeline was told to stop (e.g. `split-tests received SIGTERM`), once it was. The
   * running children are stopped by the effects themselves; this only keeps the graph from
   * starting anything after the stop, deploy above all.
   */
  stopped?(): string | undefined;
}

export interface LocalRunCommands {
  readonly build?: string | undefined;
  readonly package?: string | undefined;
  readonly deploy?: string | undefined;
}

export type StageStatus = 'passed' | 'failed' | 'stopped' | 'skipped' | 'not configured';

export interface LocalRunResult {
  /** 0 when the tests, the merge and every configured stage succeeded; else 1. */
  readonly exitCode: number;
  readonly testsExitCode?: number | undefined;
  readonly status: Readonly<Record<'build' | 'tests' | 'package' | 'merge' | 'deploy' | 'record', StageStatus>>;
  /** Start and duration of every stage that ran, seconds from the pipeline's start (shards too). */
  readonly measured: Readonly<Record<string, MeasuredStage>>;
  readonly deployed: boolean;
  /** Why deploy did not run, for people. */
  readonly deploySkippedBecause?: string | undefined;
  /** Set when the pipeline was stopped (a signal): what `stopped()` said. */
  readonly stoppedBecause?: string | undefined;
}

export async function runLocalPipeline(commands: LocalRunCommands, effects: LocalRunEffects): Promise<LocalRunResult> {
  const origin = effects.now();
  const measured: Record<string, MeasuredStage> = {};
  const status: Record<keyof LocalRunResult['status'], StageStatus> = {
    build: commands.build === undefined ? 'not configured' : 'skipped',
    tests: 'skipped',
    package: commands.package === undefined ? 'not configured' : 'skipped',
    merge: 'skipped',
    deploy: commands.deploy === undefined ? 'not configured' : 'skipped',
    record: 'skipped',
  };
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = effects.now();
    try {
      return await work();
    } finally {
      measured[name] = { startSeconds: start - origin, durationSeconds: effects.now() - start };
    }
  };
  const stopped = (): string | undefined => effects.stopped?.();
  const step = async (name: StepName, command: string): Promise<boolean> => {
    effects.narrate(`${name}: ${command}`);
    const outcome = await timed(name, () => effects.runStep(name, command));
    const stoppedNow = outcome.exitCode !== 0 && stopped() !== undefined;
    status[name] = outcome.exitCode === 0 ? 'passed' : stoppedNow ? 'stopped' : 'failed';
    const how = outcome.exitCode === 0 ? 'done' : stoppedNow ? 'stopped' : `failed (exit ${outcome.exitCode})`;
    effects.narrate(`${name}: ${how} in ${seconds(measured[name]?.durationSeconds)}`);
    return outcome.exitCode === 0;
  };

  if (commands.build !== undefined && !(await step('build', commands.build))) {
    return finish({ deploySkippedBecause: stopped() ?? 'the build failed' });
  }
  // a stop that landed just as the build ended: start nothing more
  if (stopped() !== undefined) return finish({ deploySkippedBecause: stopped() });

  // Packaging needs the build, not the tests: start both and wait for both, even when one throws,
  // so no child outlives the command.
  const packaging = commands.package === undefined ? Promise.resolve(true) : step('package', commands.package);
  const testing = timed('tests', () => effects.runTests());
  const [packaged, tested] = await Promise.allSettled([packaging, testing]);
  if (tested.status === 'rejected') throw tested.reason;
  if (packaged.status === 'rejected') throw packaged.reason;
  const tests = tested.value;
  status.tests = stopped() !== undefined ? 'stopped' : tests.exitCode === 0 ? 'passed' : 'failed';
  for (const shard of tests.shards) {
    measured[shard.name] = { startSeconds: shard.startSeconds - origin, durationSeconds: shard.durationSeconds };
  }

  const merged = await timed('merge', () => effects.merge());
  status.merge = merged.exitCode === 0 ? 'passed' : 'failed';
  // A runner can exit 0 and still report failures (or leave no report, which split-tests
  // replaces with errored testcases): the merged report has the last word on "every test passed".
  const reportedFailures = merged.failedTests ?? 0;
  if (status.tests === 'passed' && reportedFailures > 0) status.tests = 'failed';

  let reason: string | undefined;
  // checked first: a stopped pipeline never deploys, whatever the stopped shards reported
  if (stopped() !== undefined) reason = stopped();
  else if (tests.exitCode !== 0) reason = `tests failed (exit ${tests.exitCode})`;
  else if (reportedFailures > 0) reason = `${reportedFailures} test${reportedFailures === 1 ? '' : 's'} failed or errored in the merged report`;
  else if (merged.exitCode !== 0) reason = 'the merge found a problem (missing or failed tests)';
  else if (!packaged.value) reason = 'packaging failed';
  else if (commands.deploy === undefined) reason = 'no deploy command configured (pipeline.deploy)';
  if (reason === undefined && commands.deploy !== undefined) await step('deploy', commands.deploy);
  else effects.narrate(`deploy: skipped, ${reason ?? ''}`);

  // A stopped run is not recorded: its stage and shard times measure the stop, not the work, and
  // would pull the next prediction short. Its merged report is still written (above).
  if (stopped() !== undefined) {
    effects.narrate('record: skipped, the pipeline was stopped');
    return finish({ testsExitCode: tests.exitCode, deploySkippedBecause: reason });
  }
  const stageSeconds: Record<string, number> = {};
  for (const name of ['build', 'tests', 'package', 'merge', 'deploy']) {
    const m = measured[name];
    if (m !== undefined) stageSeconds[name] = round2(m.durationSeconds);
  }
  await effects.record(stageSeconds);
  status.record = 'passed';
  return finish({ testsExitCode: tests.exitCode, deploySkippedBecause: reason });

  function finish(extra: { testsExitCode?: number; deploySkippedBecause?: string | undefined }): LocalRunResult {
    const stoppedBecause = stopped();
    const failed = Object.values(status).some((s) => s === 'failed') || status.tests !== 'passed' || stoppedBecause !== undefined;
    return {
      exitCode: failed ? 1 : 0,
      testsExitCode: extra.testsExitCode,
      status: { ...status },
      measured: { ...measured },
      deployed: status.deploy === 'passed',
      deploySkippedBecause: status.deploy === 'passed' ? undefined : extra.deploySkippedBecause,
      ...(stoppedBecause === undefined ? {} : { stoppedBecause }),
    };
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function seconds(value: number | undefined): string {
  return `${(value ?? 0).toFixed(1)} s`;
}
