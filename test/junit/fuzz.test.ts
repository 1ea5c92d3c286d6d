import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { mergeReports } from '../../src/junit/merge.js';
import { parseJUnitString } from '../../src/junit/read.js';

const fixtures = join(import.meta.dirname, '../../fixtures/junit');
const seeds = readdirSync(fixtures)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => readFileSync(join(fixtures, f), 'utf8'));
seeds.push('<testsuites><testsuite name="n"><testsuite name="m"><testcase name="a" time="1"><skipped/></testcase></testsuite></testsuite></testsuites>');

const SNIPPETS = [
  '<', '>', '&', '&amp;', '&#0;', '&#x110000;', '&lol;', ']]>', '<![CDATA[', '<!--', '-->', '"', "'", '=', '/>',
  '</testsuite>', '</testcase>', '<testcase name="x">', '<testsuite>', '<testsuites>', '<failure/>', '<skipped/>',
  '<!DOCTYPE t [<!ENTITY a "b">]>', '<?xml version="1.0"?>', '\uFEFF', '\u0000', '\uD800', '\uFFFF', 'é', '\n', ' time="1e400"', ' time="-3"',
];

type Mutation = { kind: 'truncate' | 'delete' | 'insert' | 'duplicate'; at: number; length: number; snippet: number };

const mutation = fc.record({
  kind: fc.constantFrom('truncate', 'delete', 'insert', 'duplicate'),
  at: fc.nat(),
  length: fc.nat({ max: 200 }),
  snippet: fc.nat({ max: SNIPPETS.length - 1 }),
}) as fc.Arbitrary<Mutation>;

function mutate(text: string, mutations: readonly Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    if (m.kind === 'truncate') t = t.slice(0, at);
    else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.length);
    else if (m.kind === 'insert') t = t.slice(0, at) + SNIPPETS[m.snippet]! + t.slice(at);
    else t = t.slice(0, at) + t.slice(at, at + m.length) + t.slice(at);
  }
  return t;
}

const POSITIONED = /^[^\n]*:\d+:\d+: [^\n]+$/;

describe('fuzzing the readers with mutated and truncated reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'junit-fuzz-'));

  it('the reader yields cases or a positioned UserError, never anything else', () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
        const text = mutate(seeds[seed]!, mutations);
        try {
          parseJUnitString(text, 'fuzz.xml', () => {});
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          expect(error.message).toMatch(POSITIONED);
          expect(error.message.startsWith('fuzz.xml:')).toBe(true);
        }
      }),
      { numRuns: 400, seed: Number(process.env["FUZZ_SEED"] ?? 20261123) },
    );
  });

  it('merge accepts what the reader accepts, with the same testcases, and what it writes is well-formed XML (strict saxes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, mutations) => {
        const text = mutate(seeds[seed]!, mutations);
        const input = join(dir, 'in.xml');
        writeFileSync(input, text);
        let readerCases: number | undefined;
        try {
          readerCases = parseJUnitString(text, input, () => {}).cases;
        } catch {
          readerCases = undefined;
        }
        try {
          const output = join(dir, 'out.xml');
          const result = await mergeReports({ inputs: [input], output });
          expect(result.totals.tests).toBe(readerCases);
          // the mutations insert NUL, U+FFFF, lone surrogates, &#0;, ']]>', '-->'...: none may reach the output
          let written = 0;
          const strict = new SaxesParser({ xmlns: false });
          strict.on('opentag', (tag) => {
            if (tag.name === 'testcase') written++;
          });
          strict.write(readFileSync(output, 'utf8')).close();
          expect(written).toBeGreaterThanOrEqual(result.totals.tests);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          expect(error.message).toMatch(POSITIONED);
          expect(readerCases, `merge rejected what the reader accepted: ${error.message}`).toBeUndefined();
        }
      }),
      { numRuns: 300, seed: Number(process.env["FUZZ_SEED"] ?? 20261124) },
    );
  });

  it('rejects billion laughs and external entities without expanding anything', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><testsuites><testsuite name="&lol9;"><testcase name="&lol9;"/></testsuite></testsuites>`;
    const xxe = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="x"><testcase name="&xxe;"/></testsuite>';
    const bare = '<testsuite name="x"><testcase name="&xxe;"/></testsuite>';
    for (const [text, what] of [
      [laughs, /DOCTYPE is not allowed/],
      [xxe, /DOCTYPE is not allowed/],
      [bare, /undefined entity/],
    ] as const) {
      const input = join(dir, 'evil.xml');
      writeFileSync(input, text);
      expect(() => parseJUnitString(text, 'evil.xml', () => {})).toThrow(what);
      await expect(mergeReports({ inputs: [input], output: join(dir, 'evil-out.xml') })).rejects.toThrow(what);
    }
  });
});
