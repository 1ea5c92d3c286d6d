import { dirname } from 'node:path';
import { readJUnitFile } from '../junit/read.js';
import { createFileMatcher } from '../junit/match.js';
import type { TimingRun } from '../plan/types.js';
import { caseIdentity, locationLabel, pathOfCase } from './case-path.js';
import { groupJUnitReports, type JUnitReportTimings } from './junit-runs.js';

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
    const seconds = new Map<string, number>();
    const caseIds = new Set<string>();
    const info = await readJUnitFile(absolute, (c) => {
      caseIds.add(caseIdentity(c));
      const file = match(c);
      if (file === undefined) {
        unmappedCases++;
        unmappedFiles.add(locationLabel(c));
        return;
      }
      seconds.set(file, (seconds.get(file) ?? 0) + c.seconds);
    });
    reports.push({ source, folder: dirname(absolute), timestamp: info.timestamp, seconds, caseIds });
  }
  return { runs: groupJUnitReports(reports), unmappedCases, unmappedFiles };
}
