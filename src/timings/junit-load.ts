import { dirname } from 'node:path';
import { createFileMatcher } from '../junit/match.js';
import type { TimingRun } from '../plan/types.js';
import { pathOfCase } from './case-path.js';
import { groupJUnitReports, type JUnitReportTimings } from './junit-runs.js';
import { readReportFiles } from './read-report.js';

export interface JUnitSourcesResult {
  readonly runs: TimingRun[];
  readonly unmappedCases: number;
  readonly unmappedFiles: ReadonlySet<string>;
}

/**
 * Reads JUnit reports (streaming) and maps each testcase to a discovered test file, summing its
 * seconds per file; reports in one folder that are shards of one run become one run.
 * Without discovered files a case's own location names its file.
 */
export async function loadJUnitSources(
  sources: readonly { readonly source: string; readonly absolute: string }[],
  files: readonly string[],
): Promise<JUnitSourcesResult> {
  const match = files.length > 0 ? createFileMatcher(files) : pathOfCase;
  const reports: JUnitReportTimings[] = [];
  const unmappedFiles = new Set<string>();
  let unmappedCases = 0;
  for (const { source, absolute } of sources) {
    const report = await readReportFiles(absolute, match, source);
    unmappedCases += report.unmappedCases;
    for (const label of report.unmappedLabels) unmappedFiles.add(label);
    reports.push({ source, folder: dirname(absolute), timestamp: report.timestamp, seconds: report.seconds, caseIds: report.caseIds });
  }
  return { runs: groupJUnitReports(reports), unmappedCases, unmappedFiles };
}
