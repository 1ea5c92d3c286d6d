import { describe, expect, it } from 'vitest';
import { runLocalPipeline, type LocalRunCommands, type LocalRunEffects, type StepName } from '../../src/ci/pipeline/local-run.js';

/**
 * A fake world on a virtual clock: each effect "takes" a fixed time, and a log records when each
 * started and ended, so concurrency and ordering are checked without sleeping.
 */
function world(
  over: {
    exit?: Partial<Record<StepName | 'tests' | 'merge', number>>;
    seconds?: Partial<Record<string, number>>;
    throwTests?: Error;
    failedInReport?: number;
    /** A signal arrives while this effect runs (it then ends with exit 143, as a stopped child does). */
    stopDuring?: StepName | 'tests' | 'merge';
  } = {},
) {
  let stoppedBy: string | undefined;
  const maybeStop = (name: string): boolean => {
    if (over.stopDuring !== name) return false;
    stoppedBy = 'split-tests received SIGTERM';
    return true;
  };
  let clock = 100;
  const log: string[] = [];
  const recorded: Record<string, number>[] = [];
  const exit = over.exit ?? {};
  const seconds = { build: 5, package: 30, tests: 20, merge: 1, deploy: 4, ...over.seconds };
  // A discrete-event clock: pending work ends in order of its end time; time jumps, nobody sleeps.
  const pending: { name: string; end: number; resolve: () => void }[] = [];
  let scheduled = false;
  const tick = (): void => {
    scheduled = false;
    pending.sort((a, b) => a.end - b.end);
    const next = pending.shift();
    if (!next) return;
    clock = Math.max(clock, next.end);
    log.push(`end ${next.name}`);
    next.resolve();
    if (pending.length > 0) kick();
  };
  const kick = (): void => {
    if (scheduled) return;
    scheduled = true;
    // after every microtask has run, i.e. once every branch that can start has started
    setImmediate(tick);
  };
  const advance = (name: string): Promise<void> =>
    new Promise<void>((resolve) => {
      log.push(`start ${name}`);
      pending.push({ name, end: clock + (seconds[name] ?? 0), resolve });
      kick();
    });
  const effects: LocalRunEffects = {
    now: () => clock,
    runStep: async (name) => {
      await advance(name);
      return { exitCode: maybeStop(name) ? 143 : (exit[name] ?? 0) };
    },
    runTests: async () => {
      if (over.throwTests) {
        log.push('start tests');
        throw over.throwTests;
      }
      const start = clock;
      await advance('tests');
      return { exitCode: maybeStop('tests') ? 143 : (exit.tests ?? 0), shards: [{ name: 'shard 1/2', startSeconds: start, durationSeconds: 18 }] };
    },
    merge: async () => {
      await advance('merge');
      maybeStop('merge');
      return { exitCode: exit.merge ?? 0, failedTests: over.failedInReport ?? 0 };
    },
    record: async (stages) => {
      log.push('record');
      recorded.push({ ...stages });
    },
    narrate: () => {},
    stopped: () => stoppedBy,
  };
  return { effects, log, recorded };
}

const all: LocalRunCommands = { build: 'make', package: 'npm pack', deploy: 'node deploy.mjs' };

describe('runLocalPipeline', () => {
  it('runs build, then shards beside package, then merge, deploy and record', async () => {
    const { effects, log, recorded } = world();
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(0);
    expect(result.deployed).toBe(true);
    expect(log.indexOf('end build')).toBeLessThan(log.indexOf('start package'));
    // package and tests both start before either ends
    expect(Math.max(log.indexOf('start package'), log.indexOf('start tests'))).toBeLessThan(
      Math.min(log.indexOf('end package'), log.indexOf('end tests')),
    );
    // merge waits only for the tests; deploy for merge and package; record last
    expect(log.indexOf('start merge')).toBeGreaterThan(log.indexOf('end tests'));
    expect(log.indexOf('start deploy')).toBeGreaterThan(log.indexOf('end merge'));
    expect(log.indexOf('start deploy')).toBeGreaterThan(log.indexOf('end package'));
    expect(log.at(-1)).toBe('record');
    expect(recorded).toEqual([{ build: 5, tests: 20, package: 30, merge: 1, deploy: 4 }]);
    expect(result.measured.build).toEqual({ startSeconds: 0, durationSeconds: 5 });
    expect(result.measured.tests?.startSeconds).toBe(5);
    expect(result.measured.package?.startSeconds).toBe(5);
    expect(result.measured['shard 1/2']).toEqual({ startSeconds: 5, durationSeconds: 18 });
    expect(result.status).toEqual({ build: 'passed', tests: 'passed', package: 'passed', merge: 'passed', deploy: 'passed', record: 'passed' });
  });

  it('does not deploy when a test failed, but still merges and records; exit 1', async () => {
    const { effects, log, recorded } = world({ exit: { tests: 3 } });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.testsExitCode).toBe(3);
    expect(result.deployed).toBe(false);
    expect(result.deploySkippedBecause).toMatch(/tests failed/);
    expect(log).not.toContain('start deploy');
    expect(log).toContain('start merge');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).not.toHaveProperty('deploy');
  });

  it('does not deploy when the merged report has failures although every command exited 0; exit 1', async () => {
    const { effects, log } = world({ failedInReport: 2 });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.tests).toBe('failed');
    expect(result.deploySkippedBecause).toBe('2 tests failed or errored in the merged report');
    expect(log).not.toContain('start deploy');
  });

  it('does not deploy when packaging failed; exit 1', async () => {
    const { effects, log } = world({ exit: { package: 1 } });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.package).toBe('failed');
    expect(result.deploySkippedBecause).toBe('packaging failed');
    expect(log).not.toContain('start deploy');
  });

  it('does not deploy when the merge found missing files; exit 1', async () => {
    const { effects, log } = world({ exit: { merge: 1 } });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(log).not.toContain('start deploy');
  });

  it('a failed build stops everything', async () => {
    const { effects, log, recorded } = world({ exit: { build: 2 } });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(log).toEqual(['start build', 'end build']);
    expect(recorded).toEqual([]);
  });

  it('a failed deploy fails the run but is still recorded', async () => {
    const { effects, recorded } = world({ exit: { deploy: 1 } });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.deploy).toBe('failed');
    expect(recorded[0]?.deploy).toBe(4);
  });

  it('without package, build and deploy commands runs tests, merge and record only', async () => {
    const { effects, log } = world();
    const result = await runLocalPipeline({}, effects);
    expect(result.exitCode).toBe(0);
    expect(log).toEqual(['start tests', 'end tests', 'start merge', 'end merge', 'record']);
    expect(result.status.deploy).toBe('not configured');
    expect(result.deploySkippedBecause).toMatch(/no deploy command/);
  });

  it('when the test command cannot start, waits for packaging and rethrows', async () => {
    const { effects, log } = world({ throwTests: new Error('command not found') });
    await expect(runLocalPipeline(all, effects)).rejects.toThrow('command not found');
    expect(log).toContain('end package');
    expect(log).not.toContain('start merge');
  });

  it('stopped while the shards run: merges, never deploys, does not record, says why', async () => {
    const { effects, log, recorded } = world({ stopDuring: 'tests' });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.stoppedBecause).toBe('split-tests received SIGTERM');
    expect(result.status.tests).toBe('stopped');
    expect(result.status.deploy).toBe('skipped');
    expect(result.status.record).toBe('skipped');
    expect(result.deploySkippedBecause).toBe('split-tests received SIGTERM');
    expect(log).toContain('start merge');
    expect(log).not.toContain('start deploy');
    expect(recorded).toEqual([]);
  });

  it('stopped after every test passed (during the merge): still no deploy', async () => {
    const { effects, log } = world({ stopDuring: 'merge' });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.tests).toBe('passed');
    expect(log).not.toContain('start deploy');
    expect(log).not.toContain('record');
  });

  it('stopped during the build: nothing else starts', async () => {
    const { effects, log } = world({ stopDuring: 'build' });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.build).toBe('stopped');
    expect(result.stoppedBecause).toBe('split-tests received SIGTERM');
    expect(log).toEqual(['start build', 'end build']);
  });

  it('stopped during the deploy: the deploy is stopped, the run is not recorded', async () => {
    const { effects, log } = world({ stopDuring: 'deploy' });
    const result = await runLocalPipeline(all, effects);
    expect(result.exitCode).toBe(1);
    expect(result.status.deploy).toBe('stopped');
    expect(result.deployed).toBe(false);
    expect(log).not.toContain('record');
  });
});
