import { describe, expect, it } from 'vitest';
import { asRerunChild, foldAttempts, locateCases, type Attempt } from '../../src/junit/fold-attempts.js';
import type { JUnitCase } from '../../src/junit/types.js';
import { failingTests, rerunBatches, retriesProblem, testKey } from '../../src/run/retries.js';
import { commandWithPreset } from '../../src/runners/command.js';
import { RUNNER_NAMES, runnerPreset } from '../../src/runners/index.js';
import { vitest } from '../../src/runners/vitest.js';

const c = (name: string, file: string | undefined, status: JUnitCase['status']): JUnitCase => ({ name, file, suites: [], seconds: 0, status });

describe('which tests a rerun takes', () => {
  it('failed and errored tests, each once, in report order; tests the preset cannot name are counted', () => {
    const cases = [c('a', 'x.test.ts', 'failed'), c('b', 'x.test.ts', 'passed'), c('c', 'y.test.ts', 'error'), c('a', 'x.test.ts', 'failed'), c('d', undefined, 'failed'), c('e', 'y.test.ts', 'skipped')];
    const { tests, unknown } = failingTests(cases, vitest);
    expect(tests).toEqual([{ file: 'x.test.ts', test: 'a' }, { file: 'y.test.ts', test: 'c' }]);
    expect(unknown).toBe(1);
  });

  it('one batch per file, files in first-seen order', () => {
    const refs = [{ file: 'x', test: 'a' }, { file: 'y', test: 'b' }, { file: 'x', test: 'c' }];
    expect(rerunBatches(refs)).toEqual([{ file: 'x', tests: ['a', 'c'] }, { file: 'y', tests: ['b'] }]);
  });
});

describe('what --retries needs', () => {
  it('every preset that selects tests, its own command writing to {junit} in an argument or a variable (jest, playwright)', () => {
    const selecting = RUNNER_NAMES.map((name) => runnerPreset(name)).filter((p) => p.selectTests !== undefined);
    expect(selecting.map((p) => p.name)).toContain('jest');
    for (const preset of selecting) {
      const { command, env } = commandWithPreset(preset, undefined, 'r.xml');
      expect(retriesProblem(preset, 'r.xml', command, env), preset.name).toBeUndefined();
    }
  });

  it('refuses no preset, no report, and a fixed report path', () => {
    expect(retriesProblem(undefined, 'r.xml', ['x', '{junit}'], {})?.message).toMatch(/^--retries needs --runner with test selection/);
    expect(retriesProblem(vitest, undefined, ['x'], {})?.message).toMatch(/^--retries needs --junit/);
    expect(retriesProblem(vitest, 'r.xml', ['npx', 'vitest', '--outputFile=r.xml'], {})?.message).toMatch(/must write its report to \{junit\}/);
  });
});

const REPORT = [
  '<testsuites><testsuite name="x.test.ts">',
  '<testcase classname="x.test.ts" name="flaky &gt; one" time="1"><failure message="boom 1" type="Error">trace &lt;1&gt;</failure><system-out>out</system-out></testcase>',
  '<testcase classname="x.test.ts" name="broken" time="1"><error message="e"/></testcase>',
  '<testcase classname="x.test.ts" name="fine" time="1"/>',
  '<testcase classname="x.test.ts" name="not rerun" time="1"><failure message="f">t</failure></testcase>',
  '</testsuite></testsuites>',
].join('\n');

const fold = (attempts: Record<string, Attempt[]>): string => {
  const located = locateCases(REPORT, 'r.xml');
  const map = new Map(Object.entries(attempts).map(([name, list]) => [testKey({ file: 'x.test.ts', test: name }), list]));
  return foldAttempts(REPORT, located, (t) => (t.file ?? t.classname) === undefined ? undefined : testKey({ file: t.classname!, test: t.name }), map);
};

describe('folding reruns into the shard report (Surefire convention)', () => {
  it('passed in the end: the failures become flakyFailure children, the rest of the testcase stays', () => {
    const out = fold({ 'flaky > one': [{ status: 'failed', failure: '<failure message="boom 2">t2</failure>' }, { status: 'passed' }] });
    expect(out).toContain(
      '<testcase classname="x.test.ts" name="flaky &gt; one" time="1"><system-out>out</system-out>' +
        '<flakyFailure message="boom 1" type="Error"><stackTrace>trace &lt;1&gt;</stackTrace></flakyFailure>' +
        '<flakyFailure message="boom 2"><stackTrace>t2</stackTrace></flakyFailure></testcase>',
    );
    const statuses: string[] = [];
    locateCases(out, 'out.xml').forEach((l) => statuses.push(`${l.testcase.name}:${l.testcase.status}`));
    expect(statuses).toEqual(['flaky > one:passed', 'broken:error', 'fine:passed', 'not rerun:failed']);
  });

  it('failed every attempt: the failure stays, each rerun adds a rerunFailure/rerunError', () => {
    const out = fold({ broken: [{ status: 'error', failure: '<error message="e2"/>' }, { status: 'failed', failure: '<failure message="f3">x</failure>' }] });
    expect(out).toContain('<testcase classname="x.test.ts" name="broken" time="1"><error message="e"/><rerunError message="e2"/><rerunFailure message="f3"><stackTrace>x</stackTrace></rerunFailure></testcase>');
  });

  it('lowers the failures/errors counts of every suite around a test that passed in the end', () => {
    const xml =
      '<testsuites tests="4" failures="2" errors="1"><testsuite name="a" failures="1" errors=\'1\'>' +
      '<testcase classname="x.test.ts" name="f"><failure/></testcase><testcase classname="x.test.ts" name="e"><error/></testcase></testsuite>' +
      '<testsuite name="b" failures="1" errors="0"><testcase classname="x.test.ts" name="g"><failure/></testcase></testsuite></testsuites>';
    const passedAfter = [{ status: 'failed' } as const, { status: 'passed' } as const];
    const attempts = new Map([['f', passedAfter], ['e', passedAfter], ['g', [{ status: 'failed' } as const]]].map(([k, v]) => [testKey({ file: 'x.test.ts', test: k as string }), v as Attempt[]]));
    const out = foldAttempts(xml, locateCases(xml, 'r.xml'), (t) => testKey({ file: t.classname!, test: t.name }), attempts);
    expect(out).toContain('<testsuites tests="4" failures="1" errors="0"><testsuite name="a" failures="0" errors=\'0\'>');
    expect(out).toContain('<testsuite name="b" failures="1" errors="0">');
    expect(out).toContain('<testcase classname="x.test.ts" name="e"><flakyError/><flakyFailure/></testcase>');
  });

  it('leaves every other byte as it was', () => {
    expect(fold({})).toBe(REPORT);
    expect(fold({ fine: [{ status: 'passed' }] })).toBe(REPORT);
  });

  it('a report whose testcase elements cannot be told apart in the text is refused, not rewritten', () => {
    const tricky = '<testsuite name="s"><testcase name="a"><system-out><![CDATA[</testcase><testcase name="b"/>]]></system-out></testcase></testsuite>';
    expect(() => locateCases(tricky, 'r.xml')).toThrow(/r.xml: found 2 <testcase> elements in the text but read 1/);
    const nested = '<testsuite name="s"><testcase name="a"><system-out><![CDATA[<testcase name="b"/>]]></system-out></testcase></testsuite>';
    expect(locateCases(nested, 'r.xml').map((l) => [l.start, l.end])).toEqual([[20, nested.length - '</testsuite>'.length]]);
  });

  it('renames an element whose attribute holds a > or a slash', () => {
    expect(asRerunChild('<failure message="a > b / c"/>', 'flaky')).toBe('<flakyFailure message="a > b / c"/>');
  });
});
