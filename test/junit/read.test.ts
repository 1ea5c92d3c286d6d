import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseJUnitString, readJUnitFile } from '../../src/junit/read.js';
import { parseSeconds } from '../../src/junit/seconds.js';
import type { JUnitCase } from '../../src/junit/types.js';

function parse(xml: string): { cases: JUnitCase[]; timestamp?: string | undefined } {
  const cases: JUnitCase[] = [];
  const info = parseJUnitString(xml, 'r.xml', (c) => cases.push(c));
  expect(info.cases).toBe(cases.length);
  return { cases, timestamp: info.timestamp };
}

function errorOf(xml: string): UserError {
  try {
    parseJUnitString(xml, 'r.xml', () => {});
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseJUnitString', () => {
  it('reads nested suites, statuses, times and the first timestamp', () => {
    const { cases, timestamp } = parse(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="run" timestamp="2026-01-02T03:04:05Z">
  <testsuite name="outer" file="tests/a.test.ts" timestamp="2026-09-09T00:00:00Z">
    <properties><property name="k" value="v"/></properties>
    <testsuite name="inner">
      <testcase name="ok" classname="A" time="0.25"/>
      <testcase name="fails" time="1.5"><failure message="boom">stack</failure><system-out>x</system-out></testcase>
    </testsuite>
    <testcase name="errs" time="garbage"><error/></testcase>
    <testcase name="skips" file="tests/b.test.ts"><skipped/></testcase>
    <testcase name="fail and skip"><skipped/><failure/></testcase>
  </testsuite>
  <testsuite name="tail"><testcase name="last"/></testsuite>
</testsuites>`);
    expect(timestamp).toBe('2026-01-02T03:04:05Z');
    expect(cases.map((c) => [c.name, c.status, c.seconds, c.file, c.suites.join('>')])).toEqual([
      ['ok', 'passed', 0.25, 'tests/a.test.ts', 'outer>inner'],
      ['fails', 'failed', 1.5, 'tests/a.test.ts', 'outer>inner'],
      ['errs', 'error', 0, 'tests/a.test.ts', 'outer'],
      ['skips', 'skipped', 0, 'tests/b.test.ts', 'outer'],
      ['fail and skip', 'failed', 0, 'tests/a.test.ts', 'outer'],
      ['last', 'passed', 0, undefined, 'tail'],
    ]);
    expect(cases[0]!.classname).toBe('A');
  });

  it('accepts a bare <testsuite> root, a BOM, CDATA, comments and predefined entities', () => {
    const { cases } = parse('\uFEFF<!-- hi --><testsuite name="s &amp; t"><testcase name="a &lt;b&gt; &#x263A;"><system-out><![CDATA[<not xml>]]></system-out></testcase></testsuite>');
    expect(cases).toHaveLength(1);
    expect(cases[0]!.name).toBe('a <b> \u263A');
    expect(cases[0]!.suites).toEqual(['s & t']);
  });

  it('ignores testcase-looking elements nested inside a testcase', () => {
    const { cases } = parse('<testsuite><testcase name="a"><system-out><testcase name="fake"/></system-out></testcase></testsuite>');
    expect(cases.map((c) => c.name)).toEqual(['a']);
  });

  it('names file, line and column for malformed input', () => {
    expect(errorOf('').message).toMatch(/^r\.xml:1:1: .*empty/);
    expect(errorOf('not xml').message).toMatch(/^r\.xml:1:\d+: /);
    expect(errorOf('<html><body/></html>').message).toBe('r.xml:1:1: root element is <html>, expected <testsuites> or <testsuite>');
    expect(errorOf('<testsuites>\n<testsuite name="a">\n<testcase name="x"').message).toMatch(/^r\.xml:3:\d+: /);
    expect(errorOf('<testsuites><testsuite></testsuites>').message).toMatch(/^r\.xml:1:\d+: /);
    expect(errorOf('<testsuites>&nbsp;</testsuites>').message).toMatch(/^r\.xml:1:\d+: undefined entity/);
    for (const e of [errorOf(''), errorOf('<a')]) {
      expect(e.exitCode).toBe(2);
      expect(e.message).not.toContain('\n');
    }
  });

  it('rejects DOCTYPEs: no billion laughs, no external entities', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><testsuites><testsuite name="&lol9;"/></testsuites>`;
    expect(errorOf(laughs).message).toMatch(/^r\.xml:1:\d+: DOCTYPE is not allowed/);
    const xxe = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="&xxe;"/>';
    expect(errorOf(xxe).message).toMatch(/DOCTYPE is not allowed/);
  });
});

describe('readJUnitFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'junit-read-'));

  it('streams a large file in chunks, multi-byte characters across chunk edges included', async () => {
    const path = join(dir, 'big.xml');
    const body = Array.from({ length: 20_000 }, (_, i) => `<testcase name="caf\u00e9 \u{1F600} ${i}" time="0.001"/>`).join('\n');
    writeFileSync(path, `<testsuites><testsuite name="big">${body}</testsuite></testsuites>`);
    let n = 0;
    let bad = 0;
    const info = await readJUnitFile(path, (c) => {
      if (c.name !== `caf\u00e9 \u{1F600} ${n}`) bad++;
      n++;
    });
    expect(info).toEqual({ path, timestamp: undefined, cases: 20_000, warnings: [] });
    expect(bad).toBe(0);
  });

  it('names the path of a missing or truncated file', async () => {
    await expect(readJUnitFile(join(dir, 'nope.xml'), () => {})).rejects.toThrow(/nope\.xml: cannot read JUnit report \(ENOENT\)/);
    const path = join(dir, 'cut.xml');
    writeFileSync(path, '<testsuites>\n  <testsuite name="a">\n    <testcase name="x" time="1"');
    await expect(readJUnitFile(path, () => {})).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: `));
  });
});

describe('parseSeconds', () => {
  it('reads the spellings producers write, and 0 for the rest', () => {
    expect(parseSeconds('1.5')).toBe(1.5);
    expect(parseSeconds(' 2 ')).toBe(2);
    expect(parseSeconds('1,234.5')).toBe(1234.5);
    expect(parseSeconds('0,25')).toBe(0.25);
    expect(parseSeconds('1e-3')).toBe(0.001);
    for (const bad of [undefined, '', 'abc', '-1', 'NaN', 'Infinity', '1.2.3']) expect(parseSeconds(bad)).toBe(0);
  });

  it('streams by construction: testcases before a defect deep in a large file arrive before the file has been read to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-stream-'));
    const path = join(dir, 'deep.xml');
    const cases = Array.from({ length: 40_000 }, (_, i) => `<testcase name="c${i}" time="0.1"/>`).join('\n');
    writeFileSync(path, `<testsuite name="s">\n${cases}\n<testcase name="bad" time="1"><failure>a & b</failure></testcase></testsuite>`);
    let seen = 0;
    await expect(readJUnitFile(path, () => seen++)).rejects.toThrow(/'&' that does not start an entity reference/);
    // the reader never holds the file: it handed out every testcase before it met the defect
    expect(seen).toBe(40_000);
  });
});

