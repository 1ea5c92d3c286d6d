import { UserError } from '../errors.js';
import { writeError } from '../fs/write-error.js';
import { readHistory, writeHistory } from './history.js';
import type { History, RunSummary } from './history-types.js';
import { withFileLock } from './lock.js';
import { markRerunFlaky, rerunOriginal } from './rerun-flaky.js';
import { runIdFromEnvironment } from './run-id.js';
import { addTestSample } from './test-history.js';
import type { TestSample } from './test-history-types.js';

export interface RerunRecordInput {
  readonly historyPath: string;
  readonly historyLabel: string;
  /** --run-id: the run the rerun belongs to, when given. */
  readonly runId?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly now: Date;
  /** Each rerun report's tests (file -> test id -> sample). */
  readonly tests: readonly ReadonlyMap<string, ReadonlyMap<string, TestSample>>[];
  readonly onTakeover: (message: string) => void;
}

export interface RerunRecord {
  readonly history: History;
  /** The run the rerun was folded into. */
  readonly run: RunSummary;
  readonly runIdSource: string;
  readonly rerun: { readonly of: string; readonly flaky: number; readonly failing: number; readonly unmatched: number };
}

/**
 * `record` of the reports of a `run --rerun-failed` (src/timings/rerun-flaky.ts): folded into the
 * run it reran, under the history's lock; no run of its own.
 */
export async function recordRerun(input: RerunRecordInput): Promise<RerunRecord> {
  const explicit = input.runId?.trim() ? input.runId.trim() : undefined;
  const fromCi = runIdFromEnvironment(input.env, input.now);
  const preferred = explicit ?? (fromCi.source === 'time' ? undefined : fromCi.id);
  const runTests = new Map<string, Map<string, TestSample>>();
  for (const report of input.tests) for (const [file, byTest] of report) for (const [test, sample] of byTest) addTestSample(runTests, file, test, sample);
  const label = input.historyLabel;
  return withFileLock(
    input.historyPath,
    async () => {
      const history = await readHistory(input.historyPath, label);
      if (explicit !== undefined && !(history?.tests?.runs ?? []).includes(explicit)) {
        throw new UserError(`--run-id ${explicit}: no run of that id with per-test results in ${label} to fold the rerun into`, {
          hint: 'name the run whose report was rerun (record it first), or leave out --run-id to take the newest run in which these tests failed',
        });
      }
      const of = history === undefined ? undefined : rerunOriginal(history.tests, runTests, preferred);
      const run = history?.runs.find((r) => r.id === of);
      if (history?.tests === undefined || of === undefined || run === undefined) {
        throw new UserError(`record: these are the reports of a run --rerun-failed, and none of their tests failed in a run recorded in ${label}`, {
          hint: 'record the run whose report was rerun first: the rerun marks its failed tests that now pass as flaky there',
        });
      }
      const marks = markRerunFlaky(history.tests, of, runTests);
      const next: History = { ...history, tests: marks.tests };
      try {
        await writeHistory(input.historyPath, next);
      } catch (error) {
        throw await writeError(label, input.historyPath, error);
      }
      return {
        history: next,
        run,
        runIdSource: explicit !== undefined ? '--run-id' : of === preferred ? fromCi.source : 'the newest run in which the rerun tests failed',
        rerun: { of, flaky: marks.flaky.length, failing: marks.failing, unmatched: marks.unmatched },
      };
    },
    { label, onTakeover: input.onTakeover },
  );
}
