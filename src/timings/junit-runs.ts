import { HashSet } from '../junit/case-hashes.js';
import { compareCodeUnits } from '../paths.js';
import { instantOf } from '../plan/order-runs.js';
import type { ShardWall, TimingRun } from '../plan/types.js';

/** What one JUnit report contributed, already mapped to test files. */
export interface JUnitReportTimings {
  readonly source: string;
  /** The folder it lies in (reports of one run's shards are written side by side). */
  readonly folder: string;
  readonly timestamp?: string | undefined;
  /** Seconds per test file, summed over the report's testcases. */
  readonly seconds: ReadonlyMap<string, number>;
  /** Hashed identities of its testcases (file, class, suites, name), to tell shards from repeated runs. */
  readonly caseIds: HashSet;
  /** The shard's wall and files, when `split-tests run` left a note beside the report. */
  readonly shard?: ShardWall | undefined;
  /** Per test file, its own suite's seconds (see ReportFiles.fileWalls). */
  readonly fileWalls?: ReadonlyMap<string, number> | undefined;
  /** Per test file, its testcases' seconds by test id. */
  readonly tests?: ReadonlyMap<string, ReadonlyMap<string, number>> | undefined;
}

/**
 * Groups JUnit reports into runs. Reports in one folder are the shards of one run
 * (`reports/shard-1.xml`, `reports/shard-2.xml`): a file's time in that run is the sum over the
 * shards, which matters when a file's testcases were split over shards. But a folder can also
 * collect several runs' reports of the same suite; those repeat the same testcases, which shards
 * of one run never do. So a report joins the first run of its folder that has none of its
 * testcases, else starts a new run. Reports are taken in time order, then by path, so the grouping
 * does not depend on the order they were given in. A run's timestamp is its earliest report's.
 */
export function groupJUnitReports(reports: readonly JUnitReportTimings[]): TimingRun[] {
  const ordered = [...reports].sort(
    (a, b) =>
      compareCodeUnits(a.folder, b.folder) ||
      (instantOf(a.timestamp) ?? -Infinity) - (instantOf(b.timestamp) ?? -Infinity) ||
      compareCodeUnits(a.source, b.source),
  );
  interface Group {
    folder: string;
    sources: string[];
    timestamp?: string | undefined;
    seconds: Map<string, number>;
    caseIds: HashSet;
    shards: ShardWall[];
    fileWalls: Map<string, number>;
    tests: Map<string, ReadonlyMap<string, number>>;
  }
  const groups: Group[] = [];
  for (const report of ordered) {
    const group = groups.find((g) => g.folder === report.folder && disjoint(g.caseIds, report.caseIds));
    if (!group) {
      groups.push({
        folder: report.folder,
        sources: [report.source],
        timestamp: report.timestamp,
        seconds: new Map(report.seconds),
        caseIds: copyOf(report.caseIds),
        shards: report.shard ? [report.shard] : [],
        fileWalls: new Map(report.fileWalls ?? []),
        tests: new Map(report.tests ?? []),
      });
      continue;
    }
    group.sources.push(report.source);
    for (const [file, s] of report.seconds) group.seconds.set(file, (group.seconds.get(file) ?? 0) + s);
    group.caseIds.addAll(report.caseIds);
    if (report.shard) group.shards.push(report.shard);
    for (const [file, s] of report.fileWalls ?? []) group.fileWalls.set(file, (group.fileWalls.get(file) ?? 0) + s);
    // shards of one run hold disjoint testcases; a file split over shards joins its tests
    for (const [file, byTest] of report.tests ?? []) group.tests.set(file, new Map([...(group.tests.get(file) ?? []), ...byTest]));
    group.timestamp = earliest(group.timestamp, report.timestamp);
  }
  return groups.map((g) => ({
    // the first report's path names the run; it orders undated runs just like a lone report would
    source: g.sources.length === 1 ? (g.sources[0] ?? g.folder) : `${g.sources[0] ?? g.folder} (+${g.sources.length - 1} shards)`,
    timestamp: g.timestamp,
    seconds: g.seconds,
    ...(g.shards.length > 0 ? { shards: g.shards } : {}),
    ...(g.fileWalls.size > 0 ? { fileWalls: g.fileWalls } : {}),
    ...(g.tests.size > 0 ? { tests: g.tests } : {}),
  }));
}

function disjoint(a: HashSet, b: HashSet): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const id of small.values()) if (large.has(id)) return false;
  return true;
}

function copyOf(set: HashSet): HashSet {
  const copy = new HashSet();
  copy.addAll(set);
  return copy;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  const ta = instantOf(a);
  const tb = instantOf(b);
  if (tb === undefined) return ta === undefined ? (a ?? b) : a;
  if (ta === undefined) return b;
  return tb < ta ? b : a;
}
