import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { mergeReports } from '../../src/junit/merge.js';
import { readJUnitFile } from '../../src/junit/read.js';
import { readSeconds } from '../../src/junit/seconds.js';

const dir = mkdtempSync(join(tmpdir(), 'junit-valid-'));

/** Names of the testcases in a well-formed document, by saxes (strict): throws on anything else. */
function strictNames(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const names: string[] = [];
  parser.on('opentag', (tag) => {
    if (tag.name === 'testcase') names.push(String(tag.attributes['name']));
  });
  parser.write(xml).close();
  return names;
}

async function readNames(path: string): Promise<string[]> {
  const names: string[] = [];
  await readJUnitFile(path, (c) => names.push(c.name));
  return names;
}

function bytes(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

describe('a merged report is well-formed XML whatever the tests printed', () => {
  const cases: Record<string, Buffer> = {
    'control characters in text and attributes': bytes('<testsuite name="s"><testcase name="a\u0001b" time="1"><failure message="\u001b[31mred">x\u0000y\u0007</failure></testcase></testsuite>'),
    'references to characters XML forbids': bytes('<testsuites><testsuite name="s&#1;"><testsuite name="n&#x0;"><testcase name="a&#1;b&#xFFFF;" time="1"><system-out>&#27;[0m &#55296; &#x110000;</system-out></testcase></testsuite></testsuite></testsuites>'),
    "a bare ']]>' in text, after CDATA and in an attribute": bytes('<testsuite name="s"><testcase name="x ]]> y" time="1"><system-out>a ]]> b<![CDATA[c ]]> d ]]> e</system-out></testcase></testsuite>'),
    "'--' in a comment": bytes('<testsuite name="s"><!-- a -- b --><testcase name="c" time="1"/><!-- tail ---></testsuite>'),
    'bytes that are not UTF-8, U+FFFE and U+FFFF': bytes('<testsuite name="s"><testcase name="a', [0xff, 0xfe], 'b" time="1"><system-out>', [0xc3], ' ', [0xef, 0xbf, 0xbf], [0xed, 0xa0, 0x80], '</system-out></testcase></testsuite>'),
    'control characters in a latin1 report': bytes('<?xml version="1.0" encoding="ISO-8859-1"?><testsuite name="s"><testcase name="caf', [0xe9, 0x01], '" time="1"/></testsuite>'),
  };
  for (const [what, input] of Object.entries(cases)) {
    it(`${what}: merged as U+FFFD or escaped, and merge and record read the same names`, async () => {
      const path = join(dir, 'in.xml');
      writeFileSync(path, input);
      const output = join(dir, 'out.xml');
      const result = await mergeReports({ inputs: [path], output });
      const merged = readFileSync(output, 'utf8');
      const names = strictNames(merged);
      expect(names).toHaveLength(result.totals.tests);
      // what record reads from the input is what the merged report says
      expect(await readNames(path)).toEqual(names);
      expect(names.join('')).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    });
  }

  it('writes what was forbidden as U+FFFD, keeps the rest byte for byte', async () => {
    const path = join(dir, 'one.xml');
    writeFileSync(path, '<testsuite name="s"><testcase name="a\u0001b&#1;" time="1"><system-out>x ]]> y</system-out></testcase><!-- keep - me --></testsuite>');
    await mergeReports({ inputs: [path], output: join(dir, 'one-out.xml') });
    const merged = readFileSync(join(dir, 'one-out.xml'), 'utf8');
    expect(merged).toContain('<testcase name="a\uFFFDb&#xFFFD;" time="1"><system-out>x ]]&gt; y</system-out></testcase><!-- keep - me -->');
  });
});

describe('one reader for merge and record', () => {
  it('refuses the same malformed bytes with the same file:line:col and a hint that fits', async () => {
    const inputs: [string, RegExp][] = [
      ['<testsuite name="s">\n<testcase name="a" time="1">\n<failure>a & b</failure></testcase></testsuite>', /was the test run killed|not well-formed/],
      ['<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<testsuite/>', /never write a DOCTYPE/],
      ['<testsuite name="s">\n<testcase name="a"', /killed while writing/],
      ['<testsuite/>\n<?xml version="1.0"?><testsuite/>', /not well-formed/],
    ];
    for (const [text, hint] of inputs) {
      const path = join(dir, 'bad.xml');
      writeFileSync(path, text);
      const fromMerge = await mergeReports({ inputs: [path], output: join(dir, 'bad-out.xml') }).catch((e: unknown) => e);
      const fromRecord = await readJUnitFile(path, () => {}).catch((e: unknown) => e);
      expect(fromMerge).toBeInstanceOf(UserError);
      expect((fromRecord as UserError).message).toBe((fromMerge as UserError).message);
      expect((fromMerge as UserError).hint, text).toMatch(hint);
    }
    const doctype = await readJUnitFile(join(dir, 'bad.xml'), () => {}).catch((e: unknown) => e);
    expect((doctype as UserError).message).toMatch(/XML declaration in the middle/);
    writeFileSync(join(dir, 'bad.xml'), '<!DOCTYPE x><testsuite/>');
    const refused = (await readJUnitFile(join(dir, 'bad.xml'), () => {}).catch((e: unknown) => e)) as UserError;
    expect(refused.hint).not.toMatch(/killed/);
  });
});

describe('times', () => {
  it('reads decimal seconds only', () => {
    expect([' 1.5 ', '.5', '2e-3', '+2', '1,5', '1,234.5', '0'].map(readSeconds)).toEqual([1.5, 0.5, 0.002, 2, 1.5, 1234.5, 0]);
    for (const bad of ['NaN', '-1', '1e309', 'abc', '0x10', 'Infinity', '1.2.3', '1 s']) expect(readSeconds(bad), bad).toBeNaN();
    expect(readSeconds(undefined)).toBeUndefined();
    expect(readSeconds(' ')).toBeUndefined();
  });

  it('warns naming the report and the values, counting them as 0 s, in merge and record alike', async () => {
    const path = join(dir, 'times.xml');
    writeFileSync(path, '<testsuite name="s"><testcase name="a" time="NaN"/><testcase name="b" time="0x10"/><testcase name="c" time="-1"/><testcase name="d" time="1e309"/><testcase name="e" time="2"/></testsuite>');
    const merged = await mergeReports({ inputs: [path], output: join(dir, 'times-out.xml') });
    expect(merged.totals.time).toBe(2);
    // written as the 0 they count as, so the merged report agrees with its own totals
    expect(readFileSync(join(dir, 'times-out.xml'), 'utf8')).toContain('<testcase name="a" time="0"/><testcase name="b" time="0"/><testcase name="c" time="0"/><testcase name="d" time="0"/><testcase name="e" time="2"/>');
    const warning = `${path}: 4 time attributes are not a decimal number of seconds ("NaN", "0x10", "-1", ...): counted as 0 s`;
    expect(merged.warnings).toEqual([warning]);
    let seconds = 0;
    const read = await readJUnitFile(path, (c) => (seconds += c.seconds));
    expect(seconds).toBe(2);
    expect(read.warnings).toEqual([warning]);
  });

  it("keeps a producer's own suite time (pytest's holds collection); the root's time is the sum of the testcases", async () => {
    const path = join(dir, 'pytest.xml');
    writeFileSync(path, '<testsuites><testsuite name="pytest" tests="2" time="5.25"><testcase name="a" time="1"/><testcase name="b" time="0.5"/></testsuite><testsuite name="none"><testcase name="c" time="2"/></testsuite></testsuites>');
    const output = join(dir, 'pytest-out.xml');
    const result = await mergeReports({ inputs: [path], output });
    const merged = readFileSync(output, 'utf8');
    expect(merged).toContain('<testsuite name="pytest" tests="2" time="5.25" failures="0" errors="0" skipped="0">');
    expect(merged).toContain('<testsuite name="none" tests="1" failures="0" errors="0" skipped="0" time="2">');
    expect(result.totals.time).toBe(3.5);
    expect(merged).toMatch(/<testsuites name="split-tests merge" tests="3" failures="0" errors="0" skipped="0" time="3.5" *>/);
  });
});
