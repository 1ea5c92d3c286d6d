import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { compareCodeUnits } from '../paths.js';
import { roundTestMilliseconds } from './test-history.js';
import { TESTS_ENCODING, type EncodedTestHistory, type TestHistory } from './test-history-types.js';

/**
 * The per-test history on disk: its columns as one JSON document, brotli-compressed, in base64
 * inside the history file. Columns, not one object per test: the ids of a file sit together, and
 * so do the numbers, which is what lets the compressor find the repeats. The document is
 *   files   [file, ...]                      sorted by code units
 *   shared  [n, ...]                         per test: code units its id shares with the id before it in its file
 *   ids     [[rest of the id, ...] per file] ids sorted by code units, each without those n code units
 *   ms      [milliseconds or null, ...]      runs.length per test, tests in the order of ids
 *   results [[file index, test index, letters], ...]   only tests with a result other than passed
 * Measured on 108,000 realistic ids x 10 runs (bench/test-history.mjs): brotli takes the columns
 * to 0.93x of gzip's size, the shared prefixes (tests of a class or describe block) to 0.92x more.
 */
interface Columns {
  readonly files: readonly string[];
  readonly shared: readonly number[];
  readonly ids: readonly (readonly string[])[];
  readonly ms: readonly (number | null)[];
  readonly results: readonly (readonly [number, number, string])[];
}

/** A history read from disk keeps its encoding: written back unchanged, it is not encoded again. */
const encodings = new WeakMap<TestHistory, EncodedTestHistory>();

export function encodeTestHistory(tests: TestHistory): EncodedTestHistory {
  const known = encodings.get(tests);
  if (known !== undefined) return known;
  const width = tests.runs.length;
  const files = Object.keys(tests.files).sort(compareCodeUnits);
  const ids: string[][] = [];
  const shared: number[] = [];
  const ms: (number | null)[] = [];
  const results: [number, number, string][] = [];
  files.forEach((file, f) => {
    const byTest = tests.files[file]!;
    const letters = tests.results?.[file];
    const list = Object.keys(byTest).sort(compareCodeUnits);
    let previous = '';
    ids.push(
      list.map((id) => {
        let n = 0;
        while (n < id.length && n < previous.length && id.charCodeAt(n) === previous.charCodeAt(n)) n++;
        previous = id;
        shared.push(n);
        return id.slice(n);
      }),
    );
    list.forEach((id, t) => {
      const row = byTest[id]!;
      // a version 2 history held exact milliseconds: they are rounded the way new samples are
      for (let i = 0; i < width; i++) {
        const x = row[i];
        ms.push(x === null || x === undefined ? null : roundTestMilliseconds(x));
      }
      const result = letters?.[id];
      if (result !== undefined) results.push([f, t, result]);
    });
  });
  const columns: Columns = { files, shared, ids, ms, results };
  const text = Buffer.from(JSON.stringify(columns));
  // quality 5: within 2% of quality 6's size at two thirds of its time (a record of 100,000 tests)
  const packed = brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
  const encoded: EncodedTestHistory = { encoding: TESTS_ENCODING, runs: [...tests.runs], count: shared.length, data: packed.toString('base64') };
  encodings.set(tests, encoded);
  return encoded;
}

/**
 * The per-test history of an encoded "tests" key, decoded on first use: `runs` is there at once,
 * `files` and `results` are decoded (and checked) the first time either is read. `bad` throws the
 * history's one-line error; with lazy decoding it is thrown by whatever reads the tests first.
 */
export function lazyTestHistory(encoded: EncodedTestHistory, bad: (what: string) => never): TestHistory {
  let decoded: Pick<TestHistory, 'files' | 'results'> | undefined;
  const decode = (): Pick<TestHistory, 'files' | 'results'> => (decoded ??= decodeColumns(encoded, bad));
  const tests: TestHistory = {
    runs: encoded.runs,
    get files() {
      return decode().files;
    },
    get results() {
      return decode().results;
    },
  };
  encodings.set(tests, encoded);
  return tests;
}

/** Decodes at once (tests, and tools that want the whole model). */
export function decodeTestHistory(encoded: EncodedTestHistory, bad: (what: string) => never): TestHistory {
  return { runs: encoded.runs, ...decodeColumns(encoded, bad) };
}

/** Checks the plain part of an encoded "tests" key (the data is checked when it is decoded). */
export function validateEncodedTestHistory(value: Record<string, unknown>, bad: (what: string) => never): EncodedTestHistory {
  if (value.encoding !== TESTS_ENCODING) bad(`"tests".encoding must be ${JSON.stringify(TESTS_ENCODING)}`);
  if (!Array.isArray(value.runs) || !value.runs.every((r) => typeof r === 'string')) bad('"tests".runs must be an array of run ids');
  if (!Number.isSafeInteger(value.count) || (value.count as number) < 0) bad('"tests".count must be a whole number of test ids');
  if (typeof value.data !== 'string') bad('"tests".data must be a string (base64 of compressed columns)');
  return value as unknown as EncodedTestHistory;
}

function decodeColumns(encoded: EncodedTestHistory, bad: (what: string) => never): Pick<TestHistory, 'files' | 'results'> {
  let value: unknown;
  try {
    value = JSON.parse(brotliDecompressSync(Buffer.from(encoded.data, 'base64')).toString('utf8'));
  } catch {
    return bad('"tests".data is not base64 of brotli-compressed JSON (cut short or edited?)');
  }
  const v = value as Partial<Record<keyof Columns, unknown>> | null;
  if (typeof v !== 'object' || v === null) return bad('"tests".data must hold an object of columns');
  const { files, shared, ids, ms, results } = v;
  const width = encoded.runs.length;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) return bad('"tests".data: "files" must be an array of test files');
  if (!Array.isArray(ids) || ids.length !== files.length || !ids.every((list) => Array.isArray(list) && list.every((id) => typeof id === 'string'))) {
    return bad('"tests".data: "ids" must hold one array of test ids per file');
  }
  const count = (ids as string[][]).reduce((n, list) => n + list.length, 0);
  if (count !== encoded.count) bad(`"tests".data holds ${count} test ids, "tests".count says ${encoded.count}`);
  if (!Array.isArray(shared) || shared.length !== count || !shared.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return bad('"tests".data: "shared" must hold one prefix length per test id');
  }
  if (!Array.isArray(ms) || ms.length !== count * width) return bad(`"tests".data: "ms" must hold ${width} values per test id (${count * width})`);
  for (const x of ms as unknown[]) if (x !== null && !(typeof x === 'number' && Number.isFinite(x) && x >= 0)) bad('"tests".data: "ms" must hold milliseconds or null');
  if (!Array.isArray(results)) return bad('"tests".data: "results" must be an array');

  // null-prototype records: a test id such as "__proto__" is a key like any other
  const out: Record<string, Record<string, (number | null)[]>> = Object.create(null) as Record<string, Record<string, (number | null)[]>>;
  // the full ids, per file, for the results' indices too
  const full: string[][] = [];
  let k = 0;
  (files as string[]).forEach((file, f) => {
    const byTest = Object.create(null) as Record<string, (number | null)[]>;
    const list: string[] = [];
    let previous = '';
    for (const rest of (ids as string[][])[f]!) {
      const n = (shared as number[])[k]!;
      if (n > previous.length) bad(`"tests".data: test id ${k} shares ${n} code units with one of ${previous.length}`);
      const id = previous.slice(0, n) + rest;
      list.push(id);
      byTest[id] = (ms as (number | null)[]).slice(k * width, (k + 1) * width);
      previous = id;
      k++;
    }
    full.push(list);
    out[file] = byTest;
  });
  let letters: Record<string, Record<string, string>> | undefined;
  for (const entry of results as unknown[]) {
    const [f, t, text] = Array.isArray(entry) ? (entry as unknown[]) : [];
    const list = typeof f === 'number' ? full[f] : undefined;
    const id = typeof t === 'number' ? list?.[t] : undefined;
    if (id === undefined || typeof text !== 'string' || text.length !== width || !/^[pfesk-]*$/.test(text)) {
      return bad(`"tests".data: "results" entries must be [file index, test index, ${width} letters of p, f, e, s, k or -]`);
    }
    letters ??= Object.create(null) as Record<string, Record<string, string>>;
    (letters[(files as string[])[f as number]!] ??= Object.create(null) as Record<string, string>)[id] = text;
  }
  return { files: out, results: letters };
}
