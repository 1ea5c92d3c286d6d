import { dirname } from 'node:path';
import { locationlessMessage } from '../junit/locationless.js';
import { createFileMatcher } from '../junit/match.js';
import type { TimingRun } from '../plan/types.js';
import { createCasePath } from './case-path.js';
import { groupJUnitReports, type JUnitReportTimings } from './junit-runs.js';
import { correctContention } from './contention.js';
import { readReportFiles } from './read-report.js';
import { findRepeatedReports } from '../junit/repeated-reports.js';
import { readSidecar } from './sidecar.js';
import { addTestSample, caseTestStatus } from './test-history.js';
import type { TestSample } from './test-history-types.js';
import { defaultTestId, type TestIdOf } from './test-ids.js';

export interface JUnitSourcesResult {
  readonly runs: TimingRun[];
  readonly unmappedCases: number;
  readonly unmappedFiles: ReadonlySet<string>;
  readonly warnings: string[];
}

/**
 * Reads JUnit reports (streaming) and maps each testcase to a discovered test file, summing its
 * seconds per file; reports in one folder that are shards of one run become one run.
 * Without discovered files a case's own location names its file. A report that `split-tests run`
 * wrote has a note beside it with the shard's wall time: its file times are corrected for
 * contention exactly as `record` does, so planning from reports and from the history agree.
 * A report split-tests had to synthesise holds no measurements and is skipped.
 */
export async function loadJUnitSources(
  sources: readonly { readonly source: string; readonly absolute: string }[],
  files: readonly string[],
  cwd: string,
  /** Told of a report that cannot be read (and may throw); without it the error is thrown. */
  onUnreadable: (source: string, error: unknown) => void = (_, error) => {
    throw error;
  },
  testId: TestIdOf = defaultTestId,
): Promise<JUnitSourcesResult> {
  const match = files.length > 0 ? createFileMatcher(files) : createCasePath(cwd);
  const reports: JUnitReportTimings[] = [];
  const unmappedFiles = new Set<string>();
  const warnings: string[] = [];
  let unmappedCases = 0;
  const locationless: string[] = [];
  // a report copied twice (an artifact downloaded twice) is one run, not two identical ones
  const repeats = new Map(findRepeatedReports(sources.map((s) => s.absolute)).repeated.map((r) => [r.path, r.of]));
  const labels = new Map(sources.map((s) => [s.absolute, s.source]));
  for (const { source, absolute } of sources) {
    const of = repeats.get(absolute);
    if (of !== undefined) {
      warnings.push(`${source} repeats ${labels.get(of) ?? of} byte for byte (a report copied twice?): read once`);
      continue;
    }
    const sidecar = await readSidecar(absolute, source);
    if (sidecar.warning !== undefined) warnings.push(sidecar.warning);
    if (sidecar.meta?.syntheticReport === true) {
      warnings.push(`${source}: written by split-tests because the test command left no report; it holds no times and is skipped`);
      continue;
    }
    const tests = new Map<string, Map<string, TestSample>>();
    let report;
    try {
      report = await readReportFiles(absolute, match, source, (file, c) => addTestSample(tests, file, testId(file, c), { seconds: c.seconds, status: caseTestStatus(c) }));
    } catch (error) {
      onUnreadable(source, error);
      continue;
    }
    warnings.push(...report.warnings);
    if (report.locationless) {
      // its suite titles would pass for files: skipped whole, never half-mapped
      locationless.push(source);
      continue;
    }
    unmappedCases += report.unmappedCases;
    // a class label (node:test's "test") is no file: those cases are counted in unmappedCases only
    for (const path of report.unmappedPaths) unmappedFiles.add(path);
    const { seconds, factor } = correctContention(report.seconds, sidecar.meta?.wallSeconds);
    const meta = sidecar.meta;
    const shard = meta !== undefined && seconds.size > 0 ? { index: meta.index, wallSeconds: meta.wallSeconds, files: [...seconds.keys()] } : undefined;
    const testSeconds = new Map([...tests].map(([file, byTest]) => [file, new Map([...byTest].map(([id, s]) => [id, s.seconds * factor]))]));
    const fileWalls = new Map([...report.fileWalls].map(([file, s]) => [file, s * factor]));
    reports.push({ source, folder: dirname(absolute), timestamp: report.timestamp, seconds, caseIds: report.caseIds, shard, fileWalls, tests: testSeconds });
  }
  if (locationless.length > 0) warnings.push(`${locationlessMessage(locationless)} (${locationless.length === 1 ? 'it is' : 'they are'} ignored)`);
  return { runs: groupJUnitReports(reports), unmappedCases, unmappedFiles, warnings };
}
