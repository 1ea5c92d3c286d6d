import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { createFileMatcher } from '../../src/junit/match.js';
import { cutFailure, failuresByItem, foldEarlierFailures } from '../../src/queue/earlier-failures.js';

const wellFormed = (xml: string): void => {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
};

const items = [
  { id: 0, files: ['a.test.js'], seconds: 1 },
  { id: 1, files: ['b.test.js'], seconds: 1 },
];
const fileOf = createFileMatcher(['a.test.js', 'b.test.js']);

const report = (a: string, b: string): string =>
  `<?xml version="1.0"?>\n<testsuites tests="3" failures="1"><testsuite name="s" tests="3" failures="1">` +
  `<testcase classname="A" name="one" file="a.test.js" time="1">${a}</testcase>` +
  `<testcase classname="A" name="two" file="a.test.js" time="1"/>` +
  `<testcase classname="B" name="one" file="b.test.js" time="1">${b}</testcase>` +
  `</testsuite></testsuites>\n`;

describe('failures kept across a requeue', () => {
  it('takes the failed tests of the failed items only, with their failure elements', () => {
    const xml = report('<failure message="no">at a.js:1</failure>', '<error message="b broke"/>');
    const found = failuresByItem(xml, 'r.xml', items, fileOf, new Set([0]));
    expect(found).toEqual(new Map([[0, [{ classname: 'A', name: 'one', failure: '<failure message="no">at a.js:1</failure>' }]]]));
  });

  it('folds them in as <flakyFailure> when the test passed here, <rerunFailure> when it failed again; counts stay', () => {
    const earlier = new Map([
      [0, [{ classname: 'A', name: 'one', failure: '<failure message="first">trace</failure>' }, { classname: 'A', name: 'two', failure: '<failure message="2"/>' }]],
      [1, [{ classname: 'B', name: 'one', failure: '<failure message="b first"/>' }]],
    ]);
    const xml = report('', '<failure message="b again"/>');
    const folded = foldEarlierFailures(xml, 'r.xml', items, fileOf, earlier);
    expect(folded.flaky).toBe(2);
    expect(folded.failedAgain).toBe(1);
    wellFormed(folded.xml);
    expect(folded.xml).toContain('<testcase classname="A" name="one" file="a.test.js" time="1"><flakyFailure message="first"><stackTrace>trace</stackTrace></flakyFailure></testcase>');
    // a self-closing testcase is opened to take its child
    expect(folded.xml).toContain('<testcase classname="A" name="two" file="a.test.js" time="1"><flakyFailure message="2"/></testcase>');
    expect(folded.xml).toContain('<failure message="b again"/><rerunFailure message="b first"/></testcase>');
    expect(folded.xml).toContain('<testsuite name="s" tests="3" failures="1">');
  });

  it('matches within the item only: the same class and name in another file is left alone', () => {
    const earlier = new Map([[1, [{ classname: 'A', name: 'one', failure: '<failure/>' }]]]);
    const folded = foldEarlierFailures(report('', ''), 'r.xml', items, fileOf, earlier);
    expect(folded).toMatchObject({ flaky: 0, failedAgain: 0 });
  });

  it('cuts a long failure on a character boundary, CDATA turned to text, still well-formed', () => {
    const long = `<failure message="m"><![CDATA[${'x<&>'.repeat(3000)}]]></failure>`;
    const cut = cutFailure(long, 1000);
    expect(cut.length).toBeLessThan(1100);
    wellFormed(`<r>${cut}</r>`);
    for (let max = 10; max < 60; max++) wellFormed(`<r>${cutFailure(`<error type="t">${'a&amp;b'.repeat(20)}</error>`, max)}</r>`);
    expect(cutFailure('<failure message="short"/>', 10)).toBe('<failure message="short"/>'.length <= 10 ? '' : '<failure message="(failure cut by split-tests)"/>');
  });
});
