import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/junit/merge.js';
import { readJUnitFile } from '../../src/junit/read.js';
import type { JUnitCase } from '../../src/junit/types.js';
import { checkMergedTotals } from './merge-check.js';

/** Text as a producer escapes it in an attribute. */
function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const name = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '&', '<', '>', '"', "'", 'é', '☃', '/', '.', ':'), maxLength: 8 });
const time = fc.oneof(fc.integer({ min: 0, max: 5000 }).map((ms) => (ms / 1000).toFixed(3)), fc.constantFrom('', 'NaN', '-1', '1,5', undefined));
const testcase = fc.record({
  name,
  classname: fc.option(name, { nil: undefined }),
  file: fc.option(fc.constantFrom('a.test.ts', 'dir/b.test.ts', ''), { nil: undefined }),
  time,
  status: fc.constantFrom('', '<failure message="x &amp; y">trace &lt;1&gt;</failure>', '<error/>', '<skipped/>', '<skipped/><failure/>', '<system-out><![CDATA[<out> & ]]></system-out>'),
});

type Case = { name: string; classname: string | undefined; file: string | undefined; time: string | undefined; status: string };
type Suite = { name: string; file: string | undefined; items: (Case | Suite)[] };

const { suite } = fc.letrec((tie) => ({
  suite: fc.record({
    name,
    file: fc.option(fc.constantFrom('s.test.ts', 'dir/t.test.ts'), { nil: undefined }),
    items: fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, testcase, tie('suite') as fc.Arbitrary<Suite>), { maxLength: 4 }),
  }),
})) as { suite: fc.Arbitrary<Suite> };

function renderCase(c: Case): string {
  const attrs = [`name="${attr(c.name)}"`, c.classname === undefined ? '' : `classname="${attr(c.classname)}"`, c.file === undefined ? '' : `file="${c.file}"`, c.time === undefined ? '' : `time="${c.time}"`].filter(Boolean).join(' ');
  return c.status === '' ? `<testcase ${attrs}/>` : `<testcase ${attrs}>${c.status}</testcase>`;
}

function renderSuite(s: Suite): string {
  const inner = s.items.map((i) => ('items' in i ? renderSuite(i) : renderCase(i))).join('\n');
  // producers' own totals are often wrong; the merge must not care
  return `<testsuite name="${attr(s.name)}"${s.file === undefined ? '' : ` file="${s.file}"`} tests="42" time="9.9"><!-- c -->\n${inner}</testsuite>`;
}

const report = fc.record({ bareRoot: fc.boolean(), suites: fc.array(suite, { minLength: 1, maxLength: 3 }), bom: fc.boolean() });

function renderReport(r: { bareRoot: boolean; suites: Suite[]; bom: boolean }): string {
  const head = `${r.bom ? '\uFEFF' : ''}<?xml version="1.0" encoding="UTF-8"?>\n`;
  if (r.bareRoot) return `${head}${renderSuite(r.suites[0]!)}\n`;
  return `${head}<testsuites name="run" tests="1">\n${r.suites.map(renderSuite).join('\n')}\n</testsuites>\n`;
}

describe('merge property: never loses or duplicates a testcase, totals are the sum of the parts', () => {
  it('reading the merged report gives the inputs\' testcases, in order, and every level adds up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-prop-'));
    await fc.assert(
      fc.asyncProperty(fc.array(report, { minLength: 1, maxLength: 4 }), async (reports) => {
        const inputs = reports.map((r, i) => {
          const path = join(dir, `r${i}.xml`);
          writeFileSync(path, renderReport(r));
          return path;
        });
        const expected: JUnitCase[] = [];
        for (const input of inputs) await readJUnitFile(input, (c) => expected.push(c));
        const output = join(dir, 'merged.xml');
        const result = await mergeReports({ inputs, output });
        const merged: JUnitCase[] = [];
        await readJUnitFile(output, (c) => merged.push(c));
        expect(merged).toEqual(expected);
        expect(result.totals.tests).toBe(expected.length);
        expect(result.totals.failures).toBe(expected.filter((c) => c.status === 'failed').length);
        expect(result.totals.errors).toBe(expected.filter((c) => c.status === 'error').length);
        expect(result.totals.skipped).toBe(expected.filter((c) => c.status === 'skipped').length);
        expect(checkMergedTotals(output).mismatches).toEqual([]);
      }),
      { numRuns: 80, seed: Number(process.env["FUZZ_SEED"] ?? 424242) },
    );
  });
});
