import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeReports } from '../junit/merge.js';
import { readJUnitFile } from '../junit/read.js';
import type { RunnerPreset } from '../runners/types.js';
import { outcomePassed, type ShardOutcome } from './exit-status.js';
import { probeJUnitReport } from './junit-probe.js';
import type { RerunCommand } from './rerun-commands.js';
import { isFailing, testKey } from './retries.js';

export interface RerunFailedInput {
  readonly preset: RunnerPreset;
  readonly commands: readonly RerunCommand[];
  /** The shard's JUnit report (absolute), or undefined without --junit. */
  readonly report: string | undefined;
  /** `K/N`, for narration. */
  readonly shard: string;
  readonly narrate: (line: string) => void;
  /** Runs the command with `args` in place of the files, writing its JUnit report to `junit`. */
  readonly runOne: (args: readonly string[], junit: string | undefined) => Promise<ShardOutcome>;
  /** True once split-tests is asked to stop: no further command starts. */
  readonly stopping: () => boolean;
}

/**
 * `run --rerun-failed` on one shard: runs its commands one after another, each writing its own
 * report (one command writes the shard's report itself), combines those reports into the shard's
 * report, and passes only when every command passed and every rerun test is in the report and
 * passed. The outcome is the first failing command's, else exit 1 when a test is missing or failed.
 */
export async function rerunFailedTests(input: RerunFailedInput): Promise<ShardOutcome> {
  const { commands, report, shard, narrate } = input;
  const tests = commands.reduce((n, c) => n + c.tests.length, 0);
  if (commands.length > 1) {
    narrate(`shard ${shard}: ${count(tests, 'failed test')} of ${count(commands.reduce((n, c) => n + c.files.length, 0), 'file')} in ${commands.length} commands (the runner's name filter covers the whole run)`);
  }
  const outcomes: ShardOutcome[] = [];
  if (commands.length === 1 || report === undefined) {
    for (const command of commands) {
      if (input.stopping()) break;
      outcomes.push(await input.runOne(command.args, report));
    }
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'split-tests-rerun-failed-'));
    try {
      const written: string[] = [];
      for (const [i, command] of commands.entries()) {
        if (input.stopping()) break;
        const junit = join(dir, `command-${i + 1}.xml`);
        outcomes.push(await input.runOne(command.args, junit));
        if ((await probeJUnitReport(junit)).usable) written.push(junit);
      }
      // the shard's report: every command's testcases, its suites as the runner wrote them
      if (written.length > 0) {
        try {
          await mergeReports({ inputs: written, output: report, name: `split-tests rerun-failed ${shard}` });
        } catch (error) {
          narrate(`shard ${shard}: could not combine its commands' reports: ${(error as Error).message}`);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const stopped = outcomes.find((o) => o.kind === 'cancelled' || o.kind === 'signal' || o.kind === 'timeout');
  if (stopped !== undefined) return stopped;
  if (outcomes.length < commands.length) return { kind: 'exited', exitCode: 1 };
  const failed = outcomes.find((o) => !outcomePassed(o));
  if (report === undefined || !(await probeJUnitReport(report)).usable) return failed ?? { kind: 'exited', exitCode: 0 };

  // every rerun test must be in the report and pass: a filter that matched nothing proves nothing
  const verdict = new Map<string, boolean>();
  await readJUnitFile(report, (c) => {
    const ref = input.preset.testOf(c);
    if (ref === undefined) return;
    const key = testKey(ref);
    verdict.set(key, (verdict.get(key) ?? true) && !isFailing(c));
  });
  const all = commands.flatMap((c) => c.tests);
  const missing = all.filter((ref) => !verdict.has(testKey(ref)));
  const stillFailing = all.filter((ref) => verdict.get(testKey(ref)) === false);
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).map((ref) => `${ref.file} > ${ref.test}`).join(', ');
    narrate(`shard ${shard}: ${count(missing.length, 'rerun test')} not in its report (${shown}${missing.length > 3 ? ', ...' : ''}): renamed or removed since that run?`);
  }
  if (failed !== undefined) return failed;
  if (missing.length > 0 || stillFailing.length > 0) return { kind: 'exited', exitCode: 1 };
  return { kind: 'exited', exitCode: 0 };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
