/**
 * The JUnit text our shipped reporters (node:test, cucumber-js) write: one <testsuite> per test
 * file, a `file` attribute on every testcase so that split-tests maps each case to its file.
 * Hand-written rather than junit-report-builder because it runs inside the test runner's own
 * process, where it must load nothing beyond this file.
 */
export interface JUnitCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds: number;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** the failure's or skip's message attribute */
  readonly message?: string | undefined;
  /** the failure's body */
  readonly detail?: string | undefined;
}

export interface JUnitSuite {
  readonly name: string;
  readonly file: string;
  readonly cases: readonly JUnitCase[];
  /** The file's whole run (its import too), when the runner reports it; else the sum of its cases. */
  readonly seconds?: number | undefined;
}

export function renderJUnit(producer: string, suites: readonly JUnitSuite[], started: Date): string {
  const all = suites.flatMap((suite) => suite.cases);
  const count = (list: readonly JUnitCase[], status: JUnitCase['status']): number => list.filter((c) => c.status === status).length;
  const seconds = (list: readonly JUnitCase[]): string => list.reduce((sum, c) => sum + c.seconds, 0).toFixed(6);
  const totals = (list: readonly JUnitCase[], whole?: number): string =>
    `tests="${list.length}" failures="${count(list, 'failed')}" errors="0" skipped="${count(list, 'skipped')}" time="${whole === undefined ? seconds(list) : whole.toFixed(6)}"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(producer)}" ${totals(all)}>`];
  for (const suite of suites) {
    const file = xml(suite.file);
    out.push(`  <testsuite name="${xml(suite.name)}" file="${file}" timestamp="${started.toISOString()}" ${totals(suite.cases, suite.seconds)}>`);
    for (const c of suite.cases) {
      const attributes = `classname="${xml(c.classname)}" name="${xml(c.name)}" file="${file}" time="${c.seconds.toFixed(6)}"`;
      if (c.status === 'passed') out.push(`    <testcase ${attributes}/>`);
      else if (c.status === 'skipped') {
        out.push(`    <testcase ${attributes}><skipped${c.message === undefined ? '' : ` message="${xml(c.message)}"`}/></testcase>`);
      } else {
        out.push(`    <testcase ${attributes}><failure message="${xml(c.message ?? '')}">${xml(c.detail ?? '')}</failure></testcase>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/** XML text: the five entities escaped, characters XML 1.0 cannot hold dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
