import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { mergeReports } from '../../src/junit/merge.js';
import { createFileMatcher } from '../../src/junit/match.js';
import { readJUnitFile } from '../../src/junit/read.js';
import type { JUnitCase } from '../../src/junit/types.js';
// @ts-expect-error plain JS helper shared with the benchmark
import { writeCorpus } from '../../bench/lib/junit-corpus.mjs';
import { checkMergedTotals } from './merge-check.js';

const fixtures = join(import.meta.dirname, '../../fixtures/junit');
const fixtureFiles = readdirSync(fixtures)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => join(fixtures, f));

async function casesOf(path: string): Promise<JUnitCase[]> {
  const out: JUnitCase[] = [];
  await readJUnitFile(path, (c) => out.push(c));
  return out;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'junit-merge-'));
}

describe('mergeReports', () => {
  it('keeps every testcase of every producer, in order, with exact totals at every level', async () => {
    const output = join(tempDir(), 'merged.xml');
    const result = await mergeReports({ inputs: fixtureFiles, output });
    const expected: JUnitCase[] = [];
    for (const f of fixtureFiles) expected.push(...(await casesOf(f)));
    // the reader sees the same cases, locations and statuses in the merged file as in the inputs
    expect(await casesOf(output)).toEqual(expected);
    const check = checkMergedTotals(output);
    expect(check.mismatches).toEqual([]);
    expect(check.root).toEqual(expect.objectContaining({ tests: expected.length }));
    expect(result.totals.tests).toBe(expected.length);
    expect(result.totals.failures).toBe(expected.filter((c) => c.status === 'failed').length);
    expect(result.totals.errors).toBe(expected.filter((c) => c.status === 'error').length);
    expect(result.totals.skipped).toBe(expected.filter((c) => c.status === 'skipped').length);
    expect(result.totals.time).toBeCloseTo(expected.reduce((s, c) => s + c.seconds, 0), 6);
    expect(result.reports.map((r) => r.cases)).toEqual(await Promise.all(fixtureFiles.map(async (f) => (await casesOf(f)).length)));
    expect(result.duplicates).toEqual([]);
  });

  it('keeps properties, system-out/err, CDATA, entities and comments byte for byte', async () => {
    const output = join(tempDir(), 'merged.xml');
    await mergeReports({ inputs: fixtureFiles, output });
    const merged = readFileSync(output, 'utf8');
    for (const piece of [
      '<![CDATA[stdout & <tag>\n]]>', // playwright
      'name="cart &gt; applies a &lt;discount&gt; &amp; &quot;coupon&quot;"', // vitest
      'log &amp; &lt;tag&gt; ]]&gt; done', // vitest system-out
      '<!-- tests 6 -->', // node:test summary comments
      '<property name="line.separator" value="&#10;"/>', // surefire
      'xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd"',
      '<flakyFailure message="timeout"',
      'finds café ☕',
      "./spec/cart/checkout_spec.rb:14:in `block (2 levels) in &lt;top (required)&gt;&apos;",
    ]) {
      expect(merged).toContain(piece);
    }
    // the producers' wrong root totals (mocha counts a pending test it never wrote) are not copied
    expect(merged).not.toContain('name="Mocha Tests"');
    expect(merged.match(/<testsuites[\s>]/g)).toHaveLength(1);
  });

  it('matches a generated corpus counted by its generator and by an independent parser', async () => {
    const dir = tempDir();
    const corpus = writeCorpus(join(dir, 'reports'), { reports: 12, totalBytes: 3e6, seed: 11 });
    const output = join(dir, 'merged.xml');
    const result = await mergeReports({ inputs: corpus.files, output });
    expect(result.totals).toEqual({
      tests: corpus.tests,
      failures: corpus.failures,
      errors: corpus.errors,
      skipped: corpus.skipped,
      time: expect.closeTo(corpus.timeMs / 1000, 6),
    });
    const check = checkMergedTotals(output);
    expect(check.mismatches).toEqual([]);
    expect(check.root.tests).toBe(corpus.tests);
    // nested describe suites of the corpus are kept as nested suites
    expect(check.suites).toBeGreaterThan(12);
    expect(readFileSync(output, 'utf8').match(/<testcase[\s/>]/g)).toHaveLength(corpus.tests);
  });

  it('rewrites the totals of a bare <testsuite> root and of nested and self-closing suites', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.xml');
    const b = join(dir, 'b.xml');
    writeFileSync(
      a,
      '\uFEFF<?xml version="1.0"?>\n<testsuite name="root" tests="99" time="bogus" custom=\'say "hi"\'><testsuite name="inner" failures="7"><testcase name="x" time="1.25"><failure/></testcase></testsuite><testcase name="y" time="0.5"><skipped/></testcase><testsuite name="empty"/></testsuite>\n',
    );
    writeFileSync(b, '<testsuites tests="1000"><testsuite name="s"><testcase name="z" time="2"><error/></testcase></testsuite></testsuites>');
    const output = join(dir, 'm.xml');
    const result = await mergeReports({ inputs: [a, b], output });
    expect(result.totals).toEqual({ tests: 3, failures: 1, errors: 1, skipped: 1, time: 3.75 });
    const merged = readFileSync(output, 'utf8');
    expect(merged).toContain(`<testsuite name="root" tests="2" time="1.75" custom='say "hi"' failures="1" errors="0" skipped="1">`);
    expect(merged).toContain('<testsuite name="inner" failures="1" tests="1" errors="0" skipped="0" time="1.25">');
    expect(merged).toContain('<testsuite name="empty" tests="0" failures="0" errors="0" skipped="0" time="0"/>');
    expect(checkMergedTotals(output).mismatches).toEqual([]);
  });

  it('maps cases to planned files and finds duplicated testcases across reports', async () => {
    const dir = tempDir();
    const vitest = join(fixtures, 'vitest.xml');
    const output = join(dir, 'm.xml');
    const again = join(dir, 'again.xml');
    // the same testcases, not the same bytes (a byte-identical copy is left out: see below)
    writeFileSync(again, `${readFileSync(vitest, 'utf8')}\n`);
    const match = createFileMatcher(['vt/checkout/cart.test.ts', 'vt/checkout/payment.test.ts', 'vt/other.test.ts']);
    const result = await mergeReports({ inputs: [vitest, again], output, match });
    expect(Object.fromEntries(result.casesByFile)).toEqual({ 'vt/checkout/cart.test.ts': 10, 'vt/checkout/payment.test.ts': 4 });
    expect(result.unmatchedCases).toBe(0);
    expect(result.duplicates).toHaveLength(7);
    expect(result.duplicates[0]).toEqual({
      name: 'cart > adds an item',
      classname: 'checkout/cart.test.ts',
      file: undefined,
      suites: ['checkout/cart.test.ts'],
      count: 2,
      reports: [vitest, again],
    });
  });

  it('leaves out a byte-identical copy of a report, naming which report it repeats', async () => {
    const dir = tempDir();
    const vitest = join(fixtures, 'vitest.xml');
    const copy = join(dir, 'copy.xml');
    writeFileSync(copy, readFileSync(vitest));
    const once = await mergeReports({ inputs: [vitest], output: join(dir, 'once.xml') });
    const twice = await mergeReports({ inputs: [vitest, copy], output: join(dir, 'twice.xml') });
    expect(twice.totals).toEqual(once.totals);
    expect(twice.repeatedReports).toEqual([{ path: copy, of: vitest }]);
    expect(twice.duplicates).toEqual([]);
    expect(readFileSync(join(dir, 'twice.xml'))).toEqual(readFileSync(join(dir, 'once.xml')));
  });

  it('fails on a malformed report with file:line:col, leaving no output and an existing one untouched', async () => {
    const dir = tempDir();
    const good = join(fixtures, 'vitest.xml');
    const output = join(dir, 'merged.xml');
    const cases: [string, RegExp][] = [
      ['<testsuites>\n  <testsuite name="a">\n    <testcase name="x" time="1"', /:3:\d+: unexpected end of file inside a tag$/],
      ['<testsuites><testsuite></testsuites>', /:1:24: closing tag <\/testsuites> does not match <testsuite>$/],
      ['', /:1:1: no root element/],
      ['hello', /:1:1: text before the root element/],
      ['<html/>', /:1:1: root element is <html>/],
      ['<testsuites>&bogus;</testsuites>', /:1:13: undefined entity &bogus;/],
      ['<testsuites><testcase name="a" name2=x/></testsuites>', /:1:\d+: malformed attribute/],
      ['<testsuites/><testsuites/>', /:1:14: element <testsuites> after the root element/],
      ['<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites>&a;</testsuites>', /:1:1: DOCTYPE is not allowed/],
      ['<testsuites><![CDATA[never closed', /unexpected end of file inside a CDATA section/],
    ];
    for (const [content, message] of cases) {
      const bad = join(dir, 'bad.xml');
      writeFileSync(bad, content);
      const error = await mergeReports({ inputs: [good, bad], output }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, content).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect((error as UserError).message, content).toMatch(message);
      expect((error as UserError).exitCode).toBe(2);
      expect(existsSync(output)).toBe(false);
    }
    writeFileSync(output, 'previous');
    await expect(mergeReports({ inputs: [join(dir, 'bad.xml')], output })).rejects.toThrow(UserError);
    expect(readFileSync(output, 'utf8')).toBe('previous');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
