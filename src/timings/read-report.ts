import { UserError, isUserError } from '../errors.js';
import { HashSet, hashParts } from '../junit/case-hashes.js';
import { createLocationlessCheck } from '../junit/locationless.js';
import { readJUnitFile, type SuiteEvents } from '../junit/read.js';
import type { CaseLocation, CaseStatus, JUnitCase } from '../junit/types.js';
import { caseIdentity, locationLabel, locationPath } from './case-path.js';

/** One JUnit report's testcases summed per test file. */
export interface ReportFiles {
  readonly seconds: Map<string, number>;
  /** Worst status of each file's testcases: error, then failed, then passed, then skipped. */
  readonly status: Map<string, CaseStatus>;
  /** Hashed identities of every testcase, mapped or not (tells shards of one run from repeated runs). */
  readonly caseIds: HashSet;
  readonly cases: number;
  readonly unmappedCases: number;
  /** What unmapped cases said about their location (file, class or suite), distinct. */
  readonly unmappedLabels: Set<string>;
  /** The paths among them: files the report names that are not among the test files. */
  readonly unmappedPaths: Set<string>;
  readonly timestamp?: string | undefined;
  /**
   * Per test file, the `time` of the suites that hold its testcases and no other file's (one
   * `<testsuite>` per file, as jest-junit, vitest, playwright and the shipped reporters write).
   * Some runners count the file's import and setup in it (jest-junit), others only its testcases
   * (vitest, playwright): the walls model tells them apart (walls.ts).
   */
  readonly fileWalls: Map<string, number>;
  /** What was read but not trusted (times that are not numbers), naming the file. */
  readonly warnings: readonly string[];
  /** Every testcase lacks a location (node:test's own junit format): nothing above is to be trusted. */
  readonly locationless: boolean;
}

/** Unmapped locations kept for the message (it shows three): a report of unmapped names stays small. */
const LABELS_KEPT = 100;

const RANK: Record<CaseStatus, number> = { skipped: 0, passed: 1, failed: 2, error: 3 };

export function worseStatus(a: CaseStatus | undefined, b: CaseStatus): CaseStatus {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}

/** Streams a JUnit report; `match` names the test file of a case, or undefined when it has none. */
export async function readReportFiles(
  path: string,
  match: (c: CaseLocation) => string | undefined,
  /** How messages name the file (the path as the user gave it); default `path`. */
  label: string = path,
  /** Called with every testcase mapped to a file (per-test history). */
  onCase?: (file: string, c: JUnitCase) => void,
): Promise<ReportFiles> {
  const seconds = new Map<string, number>();
  const status = new Map<string, CaseStatus>();
  const caseIds = new HashSet();
  const unmappedLabels = new Set<string>();
  const unmappedPaths = new Set<string>();
  let unmappedCases = 0;
  const check = createLocationlessCheck();
  const suites = createSuiteWalls();
  const info = await readJUnitFile(path, (c) => {
    check.see(c);
    caseIds.add(hashParts([caseIdentity(c)]));
    const file = match(c);
    if (file === undefined) {
      unmappedCases++;
      if (unmappedLabels.size < LABELS_KEPT) unmappedLabels.add(locationLabel(c));
      const path = locationPath(c);
      if (path !== undefined) unmappedPaths.add(path);
      return;
    }
    suites.see(file);
    seconds.set(file, (seconds.get(file) ?? 0) + (Number.isFinite(c.seconds) && c.seconds > 0 ? c.seconds : 0));
    status.set(file, worseStatus(status.get(file), c.status));
    onCase?.(file, c);
  }, suites).catch((error: unknown) => {
    // the reader names the path it opened (absolute); users know the file by the path they gave
    if (isUserError(error) && label !== path && error.message.startsWith(path)) {
      throw new UserError(label + error.message.slice(path.length), { exitCode: error.exitCode, hint: error.hint, cause: error.cause });
    }
    throw error;
  });
  // the reader names the path it opened; users know the file by the path they gave
  const warnings = info.warnings.map((w) => (label !== path && w.startsWith(path) ? label + w.slice(path.length) : w));
  return {
    seconds,
    status,
    caseIds,
    cases: info.cases,
    unmappedCases,
    unmappedLabels,
    unmappedPaths,
    timestamp: info.timestamp,
    fileWalls: suites.walls(),
    warnings,
    locationless: check.locationless(),
  };
}

interface SuiteFrame {
  readonly seconds: number | undefined;
  /** Files of its own testcases (not of nested suites). */
  readonly files: Set<string>;
  nested: boolean;
}

/**
 * Sums, per file, the `time` of the innermost suites that hold its testcases and no other file's.
 * A file with a testcase in a suite shared with another file (mocha's one suite for the run,
 * pytest's) gets no wall: that suite's time is no single file's.
 */
function createSuiteWalls(): SuiteEvents & { see(file: string): void; walls(): Map<string, number> } {
  const stack: SuiteFrame[] = [];
  const sums = new Map<string, number>();
  const shared = new Set<string>();
  return {
    open(seconds) {
      const parent = stack.at(-1);
      if (parent !== undefined) parent.nested = true;
      stack.push({ seconds, files: new Set(), nested: false });
    },
    close() {
      const frame = stack.pop();
      if (frame === undefined || frame.files.size === 0) return;
      // a suite with suites inside counts their time too: only the innermost are one file's own
      if (frame.files.size > 1 || frame.seconds === undefined || frame.nested) {
        for (const file of frame.files) shared.add(file);
        return;
      }
      const [file] = frame.files;
      sums.set(file!, (sums.get(file!) ?? 0) + frame.seconds);
    },
    see(file) {
      stack.at(-1)?.files.add(file);
    },
    walls() {
      for (const file of shared) sums.delete(file);
      return sums;
    },
  };
}
