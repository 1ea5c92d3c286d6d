import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { addRun, readHistory, writeHistory } from '../../src/timings/history.js';
import { loadTimings } from '../../src/timings/load.js';
import { roundTestMilliseconds, testEstimates } from '../../src/timings/test-history.js';
import { decodeTestHistory, encodeTestHistory, lazyTestHistory } from '../../src/timings/test-history-codec.js';
import type { TestHistory } from '../../src/timings/test-history-types.js';
import { tempTree } from './helpers.js';

const bad = (what: string): never => {
  throw new UserError(`h.json: ${what}`);
};

/** Ids that break naive encodings: separators, quotes, newlines, unicode, prototype keys. */
const HOSTILE = ['__proto__', 'constructor', '', 'a::b[x-y]', 'say "hi" \\ it', 'line\nbreak\r\ttab', 'ünïcödé › 🚀', 'describe > test', '\u0000nul', ',;|\u2028'];
const id = fc.oneof(fc.constantFrom(...HOSTILE), fc.string(), fc.string({ unit: 'grapheme' }));

/** Any per-test history: aligned columns of milliseconds or null, result letters for some tests. */
const history = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    runs: fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: width, maxLength: width }),
    files: fc.dictionary(id, fc.dictionary(id, fc.array(fc.option(fc.nat({ max: 4_000_000 }), { nil: null }), { minLength: width, maxLength: width }), { minKeys: 1, maxKeys: 6 }), { maxKeys: 5 }),
    letters: fc.array(fc.stringMatching(new RegExp(`^[pfesk-]{${width}}$`)), { maxLength: 4 }),
  }),
);

function build({ runs, files, letters }: { runs: string[]; files: Record<string, Record<string, (number | null)[]>>; letters: string[] }): TestHistory {
  // null-prototype: a file named "__proto__" must not reach Object.prototype
  const results = Object.create(null) as Record<string, Record<string, string>>;
  const ids = Object.entries(files).flatMap(([file, tests]) => Object.keys(tests).map((test) => [file, test] as const));
  letters.forEach((l, i) => {
    const at = ids[i % Math.max(1, ids.length)];
    if (at) (results[at[0]] ??= Object.create(null) as Record<string, string>)[at[1]] = l;
  });
  return { runs, files, ...(Object.keys(results).length > 0 ? { results } : {}) };
}

/** The model as plain objects, durations rounded as the history keeps them. */
function plain(tests: TestHistory): unknown {
  const round = (row: readonly (number | null)[]) => row.map((x) => (x === null ? null : roundTestMilliseconds(x)));
  const files = Object.entries(tests.files).map(([file, byTest]) => [file, Object.entries(byTest).map(([test, row]) => [test, round(row)]).sort()]).sort();
  const results = Object.entries(tests.results ?? {}).map(([file, byTest]) => [file, Object.entries(byTest).sort()]).sort();
  return { runs: [...tests.runs], files, results };
}

describe('per-test history encoding', () => {
  it('any history survives encode -> decode, hostile ids included, and encodes to the same text again (property)', () => {
    fc.assert(
      fc.property(history, (input) => {
        const tests = build(input);
        const encoded = encodeTestHistory(tests);
        const decoded = decodeTestHistory(JSON.parse(JSON.stringify(encoded)), bad);
        expect(plain(decoded)).toEqual(plain(tests));
        expect(encodeTestHistory({ ...decoded }).data).toBe(encoded.data);
      }),
      { numRuns: 200 },
    );
  });

  it('stores ids by the prefix they share with the one before, even when it ends inside a surrogate pair', () => {
    const ids = ['\u{1D49C}a', '\u{1D49D}b', 'TestCart::test_add', 'TestCart::test_add[1]', 'TestCart::test_remove', 'a', 'ab'];
    const tests: TestHistory = { runs: ['r1'], files: { 'a.py': Object.fromEntries(ids.map((id, i) => [id, [i]])) } };
    const decoded = decodeTestHistory(encodeTestHistory(tests), bad);
    expect(Object.entries(decoded.files['a.py']!).sort()).toEqual(ids.map((id, i) => [id, [i]]).sort());
  });

  it('keeps whole milliseconds below 100 ms and two significant digits above; rounding twice changes nothing', () => {
    expect([0, 7, 99, 99.6, 100, 104, 105, 1234, 1250, 995, 9949, 123456].map(roundTestMilliseconds)).toEqual([0, 7, 99, 100, 100, 100, 110, 1200, 1300, 1000, 9900, 120000]);
    fc.assert(fc.property(fc.nat({ max: 1e9 }), (ms) => roundTestMilliseconds(roundTestMilliseconds(ms)) === roundTestMilliseconds(ms) && Math.abs(roundTestMilliseconds(ms) - ms) <= 0.05 * ms + 0.5));
  });

  it('decodes only when files or results are read, and names the file when the data is corrupt', () => {
    const encoded = { ...encodeTestHistory({ runs: ['r1'], files: { 'a.py': { t: [5] } } }), data: 'not brotli' };
    const lazy = lazyTestHistory(encoded, bad);
    expect(lazy.runs).toEqual(['r1']);
    expect(() => lazy.files).toThrow('h.json: "tests".data is not base64 of brotli-compressed JSON (cut short or edited?)');
    const miscounted = lazyTestHistory({ ...encodeTestHistory({ runs: ['r1'], files: { 'a.py': { t: [5] } } }), count: 2 }, bad);
    expect(() => miscounted.results).toThrow('"tests".data holds 1 test ids, "tests".count says 2');
  });
});

describe('history version 3 on disk', () => {
  const v2 = {
    version: 2,
    files: { 'tests/test_a.py': [{ run: 'r1', seconds: 1.234 }] },
    runs: [{ id: 'r1', time: '2026-01-01T00:00:00.000Z', shards: [], totalSeconds: 1.234, fileCount: 1, largestFileSeconds: 1.234, added: [], removed: [], failedFiles: [] }],
    tests: { runs: ['r1'], files: { 'tests/test_a.py': { 'T::x[1]': [1234], 'y\n"z"': [3] } }, results: { 'tests/test_a.py': { 'T::x[1]': 'k' } } },
  };

  it('reads a version 2 file and writes it back as version 3 with its tests encoded (migration on the next write)', async () => {
    const cwd = await tempTree({ 'h.json': JSON.stringify(v2) });
    const path = join(cwd, 'h.json');
    const old = await readHistory(path);
    expect(old?.tests).toEqual(v2.tests);
    const next = addRun(old, { id: 'r2', time: '2026-01-02T00:00:00.000Z', files: new Map([['tests/test_a.py', { seconds: 2 }]]), tests: new Map([['tests/test_a.py', new Map([['T::x[1]', { seconds: 2.01, status: 'passed' as const }]])]]) });
    await writeHistory(path, next);
    const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(raw).toMatchObject({ version: 3, files: { 'tests/test_a.py': [{ run: 'r1', seconds: 1.234 }, { run: 'r2', seconds: 2 }] }, tests: { encoding: 'columns+brotli+base64', runs: ['r1', 'r2'], count: 2 } });
    const back = await readHistory(path);
    expect(back?.tests?.files).toEqual({ 'tests/test_a.py': { 'T::x[1]': [1200, 2000], 'y\n"z"': [3, null] } });
    expect(back?.tests?.results).toEqual({ 'tests/test_a.py': { 'T::x[1]': 'kp' } });
  });

  it('a run recorded without testcases writes the stored tests back as they were, without decoding them', async () => {
    const cwd = await tempTree({});
    const path = join(cwd, 'h.json');
    const encoded = { ...encodeTestHistory({ runs: ['r1'], files: { 'a.py': { t: [5] } } }), data: 'not brotli, never decoded' };
    await writeFile(path, JSON.stringify({ ...v2, version: 3, tests: encoded }));
    const next = addRun(await readHistory(path), { id: 'r2', time: '2026-01-02T00:00:00.000Z', files: new Map([['a.py', { seconds: 1 }]]) });
    await writeHistory(path, next);
    expect(JSON.parse(await readFile(path, 'utf8')).tests).toEqual(encoded);
  });

  it('plans from a version 3 file without decoding its tests; the planner gets them when it reads them', async () => {
    const cwd = await tempTree({});
    const good = addRun(undefined, { id: 'r1', time: '2026-01-01T00:00:00.000Z', files: new Map([['a.py', { seconds: 1 }]]), tests: new Map([['a.py', new Map([['t', { seconds: 0.5, status: 'passed' as const }]])]]) });
    await writeHistory(join(cwd, 'good.json'), good);
    const text = await readFile(join(cwd, 'good.json'), 'utf8');
    await writeFile(join(cwd, 'corrupt.json'), text.replace(/"data": "[^"]*"/, '"data": "AAAA"'));
    const corrupt = await loadTimings(['corrupt.json'], { cwd, files: ['a.py'] });
    expect(corrupt.runs.map((r) => [...r.seconds])).toEqual([[['a.py', 1]]]);
    expect(() => corrupt.runs[0]!.tests).toThrow(UserError);
    const loaded = await loadTimings(['good.json'], { cwd, files: ['a.py'] });
    expect(loaded.runs[0]!.tests).toEqual(new Map([['a.py', new Map([['t', 0.5]])]]));
    expect(testEstimates((await readHistory(join(cwd, 'good.json')))!.tests!)).toEqual(loaded.runs[0]!.tests);
  });
});
