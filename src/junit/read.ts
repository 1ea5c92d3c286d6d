import { decodeValue, rawAttribute, XmlScanner } from './scan.js';
import { readSeconds } from './seconds.js';
import { reportEncoding } from './encoding.js';
import { detach, scanReport, unsupportedEncoding } from './scan-file.js';
import type { JUnitCase } from './types.js';
import { JUnitWalker, type WalkEvents } from './walk.js';

export interface JUnitFileInfo {
  readonly path: string;
  /** The first testsuites/testsuite `timestamp` attribute, as written. */
  readonly timestamp?: string | undefined;
  readonly cases: number;
  /** What was read but not trusted (times that are not numbers): one line naming the file, or none. */
  readonly warnings: readonly string[];
}

/**
 * The reader for timings (`record`, `--timings`) runs the merge's own scanner and walker: one
 * definition of what a well-formed report, a suite, a testcase and its time are, the same errors at
 * the same line:col for the same bytes, and the same streaming with memory bounded by a window.
 */
/** Told of every testsuite/testsuites element around the testcases, in document order. */
export interface SuiteEvents {
  /** A suite opens; `seconds` is its own `time` attribute when that is a number >= 0. */
  open(seconds: number | undefined): void;
  close(): void;
}

function caseEvents(onCase: (c: JUnitCase) => void, walker: () => JUnitWalker, counted: { cases: number }, onSuite?: SuiteEvents): WalkEvents {
  return {
    suite(tag) {
      if (onSuite === undefined) return;
      const seconds = readSeconds(rawAttribute(tag.attrs, 'time'));
      onSuite.open(seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined);
    },
    suiteEnd() {
      onSuite?.close();
    },
    testcase(status, seconds, raw) {
      counted.cases++;
      const c = walker().locate(raw, status, seconds);
      // callers keep names (as map keys, in caches): never let them hold a read window alive
      onCase({ ...c, name: detach(c.name), classname: c.classname === undefined ? undefined : detach(c.classname), file: c.file === undefined ? undefined : detach(c.file), suites: c.suites.map(detach) });
    },
  };
}

function info(path: string, walker: JUnitWalker, cases: number): JUnitFileInfo {
  const warning = walker.badTimes.warning(path);
  return {
    path,
    timestamp: walker.rawTimestamp === undefined ? undefined : decodeValue(walker.rawTimestamp, walker.encoding),
    cases,
    warnings: warning === undefined ? [] : [warning],
  };
}

/**
 * Streams a JUnit XML report and calls `onCase` for every testcase, in document order. Memory stays
 * flat whatever the file size. Entities are never expanded and a DOCTYPE is rejected; malformed,
 * truncated, empty or non-JUnit input throws a UserError `<path>:<line>:<col>: <what>`.
 */
export async function readJUnitFile(path: string, onCase: (c: JUnitCase) => void, onSuite?: SuiteEvents): Promise<JUnitFileInfo> {
  const counted = { cases: 0 };
  let walker: JUnitWalker | undefined;
  const done = scanReport(path, caseEvents(onCase, () => walker!, counted, onSuite), (w) => {
    walker = w;
  });
  return info(path, done.walker, counted.cases);
}

/** The same as readJUnitFile over a string already in memory; `name` stands for the path in errors. */
export function parseJUnitString(xml: string, name: string, onCase: (c: JUnitCase) => void): JUnitFileInfo {
  const counted = { cases: 0 };
  let current: JUnitWalker | undefined;
  const walker = new JUnitWalker(caseEvents(onCase, () => current!, counted));
  current = walker;
  const scanner = new XmlScanner(name, walker);
  walker.attach(scanner);
  // the scanner reads bytes as latin1 text, one character per byte, like the file reader
  const found = reportEncoding(xml.slice(0, 512));
  if ('unsupported' in found) throw unsupportedEncoding(name, found.unsupported);
  walker.encoding = found.encoding;
  scanner.load(Buffer.from(xml, found.encoding === 'latin1' ? 'latin1' : 'utf8').toString('latin1'), 0);
  scanner.end();
  return info(name, walker, counted.cases);
}

