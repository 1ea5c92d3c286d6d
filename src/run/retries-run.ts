import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureElements, foldAttempts, locateCases, type Attempt, type LocatedCase } from '../junit/fold-attempts.js';
import type { RunnerPreset, TestRef } from '../runners/types.js';
import { describeOutcome, type ShardOutcome } from './exit-status.js';
import { failingTests, isFailing, rerunBatches, testKey } from './retries.js';

export interface RetryInput {
  readonly preset: RunnerPreset;
  /** Reruns at most, ≥ 1. */
  readonly retries: number;
  /** The shard's JUnit report (absolute), written by the first run; rewritten with the attempts folded in. */
  readonly report: string;
  /** `K/N`, for narration. */
  readonly shard: string;
  readonly narrate: (line: string) => void;
  /** Runs the command with `args` in place of the files, writing its JUnit report to `junit`. */
  readonly runOne: (args: readonly string[], junit: string) => Promise<ShardOutcome>;
  /** True once split-tests is asked to stop: no further rerun starts. */
  readonly stopping: () => boolean;
}

/**
 * Reruns the failed tests of a shard through the preset's selection, one command per file, up to
 * `retries` times, each writing its own report to a temp directory; folds the attempts into the
 * shard's report. True when every failing test passed in the end (the shard passes).
 */
export async function retryFailedTests(input: RetryInput): Promise<boolean> {
  const { preset, shard, narrate } = input;
  const select = preset.selectTests!;
  const xml = await readFile(input.report, 'utf8');
  let located: LocatedCase[];
  try {
    located = locateCases(xml, input.report);
  } catch (error) {
    narrate(`shard ${shard}: cannot rerun its failed tests: ${(error as Error).message}`);
    return false;
  }
  const { tests, unknown } = failingTests(located.map((l) => l.testcase), preset);
  if (tests.length === 0) {
    narrate(`shard ${shard}: no failed test in its report to rerun`);
    return false;
  }
  const attempts = new Map<string, Attempt[]>();
  let pending: TestRef[] = tests;
  const dir = await mkdtemp(join(tmpdir(), 'split-tests-rerun-'));
  try {
    for (let round = 1; round <= input.retries && pending.length > 0 && !input.stopping(); round++) {
      const batches = rerunBatches(pending);
      narrate(`shard ${shard}: rerun ${round}/${input.retries} of ${count(pending.length, 'failed test')} in ${count(batches.length, 'file')}`);
      const still: TestRef[] = [];
      for (const [i, batch] of batches.entries()) {
        if (input.stopping()) break;
        const junit = join(dir, `rerun-${round}-${i + 1}.xml`);
        const outcome = await input.runOne(select(batch.file, batch.tests), junit);
        const results = await attemptResults(junit);
        for (const test of batch.tests) {
          const ref = { file: batch.file, test };
          const key = testKey(ref);
          const result = results?.get(key) ?? missing(outcome, shard);
          const list = attempts.get(key) ?? [];
          if (list.length === 0) attempts.set(key, list);
          list.push(result);
          if (result.status !== 'passed') still.push(ref);
        }
      }
      // a stop part-way: what was not rerun this round still counts as failing
      const rerun = new Set(still.map(testKey));
      for (const ref of pending) if ((attempts.get(testKey(ref))?.length ?? 0) < round) rerun.add(testKey(ref));
      pending = pending.filter((ref) => rerun.has(testKey(ref)));
    }
    const folded = foldAttempts(xml, located, (c) => keyOf(preset, c), attempts);
    // what was written must read back as the same testcases, else the first run's report stays
    if (!sameCases(folded, located.length)) {
      narrate(`shard ${shard}: the reruns could not be folded into ${input.report}; it keeps the first run's verdicts`);
      return false;
    }
    const tmp = `${input.report}.rerun.tmp`;
    await writeFile(tmp, folded);
    await rename(tmp, input.report);
    return pending.length === 0 && unknown === 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  async function attemptResults(junit: string): Promise<Map<string, Attempt> | undefined> {
    let text: string;
    try {
      text = await readFile(junit, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return resultsOf(locateCases(text, junit), text, preset);
    } catch {
      return undefined;
    }
  }
}

function sameCases(xml: string, count: number): boolean {
  try {
    return locateCases(xml, 'the folded report').length === count;
  } catch {
    return false;
  }
}

function keyOf(preset: RunnerPreset, c: LocatedCase['testcase']): string | undefined {
  const ref = preset.testOf(c);
  return ref === undefined ? undefined : testKey(ref);
}

/** Each test's verdict in one rerun's report (a test reported twice: failing wins). */
function resultsOf(located: readonly LocatedCase[], xml: string, preset: RunnerPreset): Map<string, Attempt> {
  const results = new Map<string, Attempt>();
  for (const { testcase, start, end } of located) {
    const key = keyOf(preset, testcase);
    if (key === undefined || testcase.status === 'skipped') continue;
    const failure = isFailing(testcase) ? failureElements(xml.slice(start, end))[0] : undefined;
    if (results.get(key)?.status !== 'failed') results.set(key, { status: testcase.status, failure });
  }
  return results;
}

/** A test the rerun did not report: failed, saying why. */
function missing(outcome: ShardOutcome, shard: string): Attempt {
  const why = describeOutcome(shard, outcome) ?? `the rerun exited with code ${outcome.kind === 'exited' ? outcome.exitCode : '?'}`;
  return { status: 'failed', failure: `<failure message="${escapeAttr(`not in the rerun's report: ${why}`)}"/>` };
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/[\r\n\t]/g, ' ');
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
