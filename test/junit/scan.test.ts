import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashCounter, hashParts, keptBits } from '../../src/junit/case-hashes.js';
import { mergeReports } from '../../src/junit/merge.js';
import { parseJUnitString } from '../../src/junit/read.js';
import { decodeValue, splitAttributes } from '../../src/junit/scan.js';
import { checkMergedTotals } from './merge-check.js';

describe('merge scanner windows', () => {
  it('copies tokens larger than a read window, and comments and CDATA spanning many windows, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-scan-'));
    const bigAttr = `${'a&amp;b '.repeat(30_000)}é`;
    const bigCdata = `${'line <x> & ]] ]> \u2603\n'.repeat(40_000)}`;
    const bigComment = `${'-'.repeat(1)} ${'c'.repeat(300_000)} `;
    const xml = `<testsuites><testsuite name="s"><!--${bigComment}--><testcase name="${bigAttr}" time="1"><system-out><![CDATA[${bigCdata}]]></system-out></testcase><testcase name="tail" time="2"><failure/></testcase></testsuite></testsuites>`;
    const input = join(dir, 'big.xml');
    writeFileSync(input, xml);
    const output = join(dir, 'out.xml');
    const result = await mergeReports({ inputs: [input], output });
    expect(result.totals).toEqual({ tests: 2, failures: 1, errors: 0, skipped: 0, time: 3 });
    const merged = readFileSync(output, 'utf8');
    expect(merged).toContain(`<testcase name="${bigAttr}" time="1"><system-out><![CDATA[${bigCdata}]]></system-out></testcase>`);
    expect(merged).toContain(`<!--${bigComment}-->`);
    expect(checkMergedTotals(output).mismatches).toEqual([]);
    const names: string[] = [];
    parseJUnitString(merged, 'out.xml', (c) => names.push(c.name));
    expect(names).toEqual([bigAttr.replace(/&amp;/g, '&'), 'tail']);
  });

  it('reports the line and column of an error deep in a large file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-scan-'));
    const lines = Array.from({ length: 5000 }, (_, i) => `<testcase name="c${i}" time="0.1"/>`);
    lines[4321] = '<testcase name="bad" time="0.1"><failure>a & b</failure></testcase>';
    const input = join(dir, 'deep.xml');
    writeFileSync(input, `<testsuite name="s">\n${lines.join('\n')}\n</testsuite>\n`);
    await expect(mergeReports({ inputs: [input], output: join(dir, 'o.xml') })).rejects.toThrow(`${input}:4323:44: '&' that does not start an entity reference`);
  });
});

describe('attribute helpers', () => {
  it('splits raw attributes with either quote and decodes UTF-8 bytes and references', () => {
    expect(splitAttributes(` name="a 'b'" classname='c "d"'  time = "1.5"`)).toEqual(['name', "a 'b'", 'classname', 'c "d"', 'time', '1.5']);
    const latin1 = Buffer.from('café &amp; &#x263A; &lt;x&gt;\tend', 'utf8').toString('latin1');
    expect(decodeValue(latin1)).toBe('café & \u263A <x> end');
  });
});

describe('HashCounter', () => {
  it('finds exactly the repeated hashes while growing through many sizes', () => {
    const counter = new HashCounter();
    const repeated = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const h = hashParts([`suite-${i % 977}`, `case ${i}`]);
      counter.add(h);
      if (i % 1000 === 0) {
        counter.add(h);
        repeated.add(keptBits(h));
      }
    }
    expect(counter.repeated()).toEqual(repeated);
  });

  it('hashes parts as a sequence: moving a boundary changes the hash', () => {
    expect(hashParts(['ab', 'c'])).not.toBe(hashParts(['a', 'bc']));
    expect(hashParts(['same'])).toBe(hashParts(['same']));
  });
});
