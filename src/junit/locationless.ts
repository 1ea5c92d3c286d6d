import { UserError } from '../errors.js';
import { readJUnitFile } from './read.js';
import type { CaseLocation } from './types.js';

/**
 * Reports that say nothing about where their testcases live. node:test's own junit reporter (Node
 * 20 to 24) writes `classname="test"` and no `file` on every testcase, its suites named after
 * describe() titles: read as files, those titles give a history keyed by suite names, "missing"
 * files after a complete run, and distinct tests of different files taken for duplicates.
 */
export function isLocationless(c: CaseLocation): boolean {
  return (c.file === undefined || c.file.trim() === '') && c.classname === 'test';
}

/** Tracks one report's cases: locationless when it has some and none says where it lives. */
export function createLocationlessCheck(): { readonly see: (c: CaseLocation) => void; readonly locationless: () => boolean } {
  let cases = 0;
  let located = 0;
  return {
    see: (c) => {
      cases++;
      if (!isLocationless(c)) located++;
    },
    locationless: () => cases > 0 && located === 0,
  };
}

/** The reports among `paths` (absolute) whose testcases are all locationless, by their label. */
export async function findLocationlessReports(paths: readonly { readonly path: string; readonly label: string }[]): Promise<string[]> {
  const found: string[] = [];
  for (const { path, label } of paths) {
    const check = createLocationlessCheck();
    await readJUnitFile(path, check.see);
    if (check.locationless()) found.push(label);
  }
  return found;
}

/** The one message for such reports: what they are, and how to get reports that name their files. */
export function locationlessMessage(reports: readonly string[]): string {
  const named = reports.length <= 3 ? reports.join(', ') : `${reports.slice(0, 3).join(', ')} and ${reports.length - 3} more`;
  return (
    `${named}: node:test's own JUnit format (classname="test" and no file on any testcase) cannot be mapped to test files; ` +
    'run the tests with split-tests run --runner node, or give node --test the reporter split-tests ships: ' +
    '--test-reporter=split-tests/node-test-reporter --test-reporter-destination=junit.xml'
  );
}

/** The same as an error (exit 2): for commands whose result would be wrong with such a report. */
export function locationlessError(reports: readonly string[]): UserError {
  const message = locationlessMessage(reports);
  const cut = message.indexOf('; run the tests');
  return new UserError(message.slice(0, cut), { hint: message.slice(cut + 2) });
}
