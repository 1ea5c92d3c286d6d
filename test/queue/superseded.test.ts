import { describe, expect, it } from 'vitest';
import { parseJUnitString } from '../../src/junit/read.js';
import { createFileMatcher } from '../../src/junit/match.js';
import type { JUnitCase } from '../../src/junit/types.js';
import { dropSupersededCases } from '../../src/queue/superseded.js';

// the shape jest-junit and pytest write: a root, one suite per file, cases with a file attribute
const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="batch" tests="5" failures="2" errors="1" skipped="1" time="3">
  <testsuite name="a" tests="2" failures="1" errors="0" skipped="0" time="1">
    <testcase classname="a" name="one" file="tests/a.test.js" time="0.5"/>
    <testcase classname="a" name="two" file="tests/a.test.js" time="0.5"><failure message="x">boom &lt;here&gt;</failure></testcase>
  </testsuite>
  <testsuite name="b" tests="3" failures="1" errors="1" skipped="1" time="2">
    <testcase classname="b" name="one" file="tests/b.test.js" time="1"><failure message="y"/></testcase>
    <testcase classname="b" name="two" file="tests/b.test.js" time="1"><error message="z">stack</error></testcase>
    <testcase classname="b" name="three" file="tests/b.test.js" time="0"><skipped/></testcase>
  </testsuite>
</testsuites>
`;

function read(xml: string): { cases: JUnitCase[]; root: string } {
  const cases: JUnitCase[] = [];
  parseJUnitString(xml, 'r.xml', (c) => cases.push(c));
  return { cases, root: /<testsuites [^>]*>/.exec(xml)![0] };
}

describe('dropping the testcases of superseded files from a batch report', () => {
  const match = createFileMatcher(['tests/a.test.js', 'tests/b.test.js']);

  it("drops every case of the file, and the counts of the suites around them", () => {
    const { xml, dropped } = dropSupersededCases(REPORT, 'r.xml', match, new Set(['tests/b.test.js']));
    expect(dropped).toBe(3);
    const { cases, root } = read(xml);
    expect(cases.map((c) => `${c.file} ${c.name} ${c.status}`)).toEqual(['tests/a.test.js one passed', 'tests/a.test.js two failed']);
    expect(root).toBe('<testsuites name="batch" tests="2" failures="1" errors="0" skipped="0" time="3">');
    expect(xml).toContain('<testsuite name="b" tests="0" failures="0" errors="0" skipped="0" time="2">');
    expect(xml).toContain('<testsuite name="a" tests="2" failures="1" errors="0" skipped="0" time="1">');
  });

  it('leaves the report byte for byte when no case belongs to a dropped file', () => {
    expect(dropSupersededCases(REPORT, 'r.xml', match, new Set(['tests/c.test.js']))).toEqual({ xml: REPORT, dropped: 0 });
  });
});
