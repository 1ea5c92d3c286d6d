import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineColumn, locateJsonError } from '../../src/timings/json-error.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON text with one character deleted, replaced or inserted, or cut short. */
const mutatedJson = fc
  .tuple(fc.json(), fc.nat(), fc.constantFrom('delete', 'replace', 'insert', 'truncate'), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1', '-', '.', 'e', ' ', '\n', '\u0001'))
  .map(([text, at, how, ch]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
    if (how === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
    if (how === 'insert') return text.slice(0, i) + ch + text.slice(i);
    return text.slice(0, i);
  });

describe('locateJsonError', () => {
  it('agrees with JSON.parse on what is valid, and points inside the text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutatedJson), (text) => {
        const valid = parses(text);
        const at = locateJsonError(text);
        if (valid) {
          expect(at.what).toBe('invalid JSON');
        } else {
          expect(at.what).not.toBe('invalid JSON');
          const lines = text.split('\n');
          expect(at.line).toBeGreaterThanOrEqual(1);
          expect(at.line).toBeLessThanOrEqual(lines.length);
          expect(at.column).toBeLessThanOrEqual((lines[at.line - 1]?.length ?? 0) + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reports the position V8 reports when V8 gives one', () => {
    for (const text of ['{"a":1,}', '[1,2', '{"a" 1}', '{"a":1 "b":2}', '{\n  "x": [1, 2,, 3]\n}']) {
      let offset: number | undefined;
      try {
        JSON.parse(text);
      } catch (error) {
        const m = /position (\d+)/.exec((error as Error).message);
        offset = m ? Number(m[1]) : undefined;
      }
      const at = locateJsonError(text);
      if (offset !== undefined) expect([at.line, at.column]).toEqual(Object.values(lineColumn(text, offset)));
    }
  });
});
