import { applyEdits, locateCases, lower, type Edit } from '../junit/fold-attempts.js';
import type { CaseStatus, JUnitCase } from '../junit/types.js';

const ATTRS = `(?:[^>"']|"[^"]*"|'[^']*')*?`;
const SUITE_TAG = new RegExp(`<(/?)testsuites?\\b(${ATTRS})(/?)>`, 'g');
const COUNT_OF: Readonly<Record<CaseStatus, 'failures' | 'errors' | 'skipped' | undefined>> = { passed: undefined, failed: 'failures', error: 'errors', skipped: 'skipped' };

/**
 * A batch report without the testcases of the files whose verdict does not count here: another
 * worker gave it first (this worker's lease expired and it reported late), or the file failed and
 * went back to the queue for another attempt. The suites around a dropped case lose it from their
 * `tests` and `failures`/`errors`/`skipped` counts, so `merge` and `record` see every file once.
 */
export function dropSupersededCases(xml: string, name: string, fileOf: (c: JUnitCase) => string | undefined, files: ReadonlySet<string>): { xml: string; dropped: number } {
  const drops: { start: number; end: number; status: CaseStatus }[] = [];
  for (const { testcase, start, end } of locateCases(xml, name)) {
    const file = fileOf(testcase);
    if (file !== undefined && files.has(file)) drops.push({ start, end, status: testcase.status });
  }
  if (drops.length === 0) return { xml, dropped: 0 };
  // each suite tag and the dropped cases inside it
  const edits: Edit[] = [];
  const open: { start: number; tag: string; tests: number; failures: number; errors: number; skipped: number }[] = [];
  let next = 0;
  const visit = (until: number): void => {
    for (; next < drops.length && drops[next]!.start < until; next++) {
      const slot = COUNT_OF[drops[next]!.status];
      for (const suite of open) {
        suite.tests++;
        if (slot !== undefined) suite[slot]++;
      }
    }
  };
  const close = (suite: (typeof open)[number]): void => {
    let tag = suite.tag;
    for (const attribute of ['tests', 'failures', 'errors', 'skipped'] as const) tag = lower(tag, attribute, suite[attribute]);
    if (tag !== suite.tag) edits.push({ start: suite.start, end: suite.start + suite.tag.length, text: tag });
  };
  SUITE_TAG.lastIndex = 0;
  for (let m = SUITE_TAG.exec(xml); m !== null; m = SUITE_TAG.exec(xml)) {
    visit(m.index);
    if (m[1] === '/') close(open.pop()!);
    else if (m[3] !== '/') open.push({ start: m.index, tag: m[0], tests: 0, failures: 0, errors: 0, skipped: 0 });
  }
  visit(Infinity);
  for (const suite of open) close(suite);
  edits.push(...drops.map(({ start, end }) => ({ start, end, text: '' })));
  return { xml: applyEdits(xml, edits), dropped: drops.length };
}
