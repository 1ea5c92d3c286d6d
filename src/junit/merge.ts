import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../errors.js';
import { HashCounter, caseKey, hashKey } from './case-hashes.js';
import { rawAttributes, XmlScanner, type ScanTag } from './scan.js';
import type { CaseStatus, CaseLocation, JUnitCase } from './types.js';
import { JUnitWalker } from './walk.js';

/**
 * Merges JUnit reports into one `<testsuites>` in two streaming passes over each report:
 * the first checks it and counts every suite's totals (and the testcase hashes), the second copies
 * it through with each suite's start tag rewritten to its exact totals. Memory holds five numbers
 * per suite and a hash per testcase, never a report; the output is written to a temporary file
 * beside `output` and renamed into place only when everything succeeded.
 */

export interface MergeTotals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Sum of the testcases' `time`, in seconds. */
  time: number;
}

export interface MergeReport {
  readonly path: string;
  readonly cases: number;
  readonly timestamp?: string | undefined;
}

export interface DuplicateCase {
  readonly name: string;
  readonly classname?: string | undefined;
  readonly file?: string | undefined;
  readonly suites: readonly string[];
  readonly count: number;
  /** Reports it appears in, in input order. */
  readonly reports: readonly string[];
}

export interface MergeOptions {
  /** Report paths, in the order they are merged. */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Names each testcase's test file (e.g. createFileMatcher over the planned files). */
  readonly match?: (c: CaseLocation) => string | undefined;
  /** `name` of the merged root; default "split-tests merge". */
  readonly name?: string;
}

export interface MergeResult {
  readonly totals: MergeTotals;
  readonly reports: readonly MergeReport[];
  /** Testcases per file named by `match` (empty without it). */
  readonly casesByFile: ReadonlyMap<string, number>;
  /** Testcases `match` found no file for. */
  readonly unmatchedCases: number;
  readonly duplicates: readonly DuplicateCase[];
}

const COUNTED = ['tests', 'failures', 'errors', 'skipped', 'time'] as const;
const STATUS_SLOT: Record<CaseStatus, number> = { passed: -1, failed: 1, error: 2, skipped: 3 };
const CHUNK_BYTES = 1 << 20;
const OUT_BYTES = 1 << 20;

/** Seconds as JUnit writes them: up to 6 decimals, no float noise ("0.30000000000000004"). */
export function formatSeconds(seconds: number): string {
  return String(Number(seconds.toFixed(6)));
}

/** Calls `onChunk` with a file's text, 1 MB at a time, decoded as UTF-8 across chunk edges. */
function readChunks(path: string, onChunk: (text: string) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UserError(`${path}: cannot read JUnit report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: 'check the report path and that the file exists',
      cause: error,
    });
  }
  try {
    const bytes = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, bytes, 0, CHUNK_BYTES, null);
      } catch (error) {
        throw new UserError(`${path}: cannot read JUnit report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
      }
      if (n === 0) break;
      const text = decoder.write(bytes.subarray(0, n));
      if (text !== '') onChunk(text);
    }
    const rest = decoder.end();
    if (rest !== '') onChunk(rest);
  } finally {
    closeSync(fd);
  }
}

/** Five numbers per suite, in document order, growing as needed. */
class SuiteTotals {
  data = new Float64Array(5 * 1024);
  count = 0;

  allocate(): number {
    if ((this.count + 1) * 5 > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    return this.count++;
  }
}

/** A start tag with its counted attributes replaced in place (or appended), the rest byte for byte. */
function suiteTag(tag: ScanTag, totals: Float64Array, at: number): string {
  const values = [
    String(totals[at]!),
    String(totals[at + 1]!),
    String(totals[at + 2]!),
    String(totals[at + 3]!),
    formatSeconds(totals[at + 4]!),
  ];
  let out = `<${tag.name}`;
  const written = [false, false, false, false, false];
  for (const [key, raw] of rawAttributes(tag.attrs)) {
    const k = (COUNTED as readonly string[]).indexOf(key);
    if (k === -1) out += ` ${key}=${raw}`;
    else if (!written[k]) {
      out += ` ${key}="${values[k]}"`;
      written[k] = true;
    }
  }
  for (let k = 0; k < COUNTED.length; k++) if (!written[k]) out += ` ${COUNTED[k]}="${values[k]}"`;
  return out + (tag.selfClosing ? '/>' : '>');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Buffered synchronous writes: flat memory, and no event-loop turn per slice. */
class OutFile {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= OUT_BYTES) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

export async function mergeReports(options: MergeOptions): Promise<MergeResult> {
  const { inputs, output, match } = options;
  const totals = new SuiteTotals();
  const root: MergeTotals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const hashes = new HashCounter();
  const casesByFile = new Map<string, number>();
  let unmatchedCases = 0;
  const reports: MergeReport[] = [];
  const firstSlot: number[] = [];

  // Pass 1: check every report and count. Nothing is written until all of them are known good.
  for (const path of inputs) {
    firstSlot.push(totals.count);
    const open: number[] = [];
    let cases = 0;
    const walker = new JUnitWalker(
      {
        suite(_tag, isRoot) {
          // an input's <testsuites> root dissolves into the merged root; every other suite is kept
          open.push(isRoot && _tag.name === 'testsuites' ? -1 : totals.allocate());
        },
        suiteEnd() {
          open.pop();
        },
        testcase(status, seconds, location) {
          cases++;
          const s = STATUS_SLOT[status];
          const data = totals.data;
          for (const slot of open) {
            if (slot < 0) continue;
            const at = slot * 5;
            data[at]!++;
            if (s > 0) data[at + s]!++;
            data[at + 4]! += seconds;
          }
          root.tests++;
          if (status === 'failed') root.failures++;
          else if (status === 'error') root.errors++;
          else if (status === 'skipped') root.skipped++;
          root.time += seconds;
          const c = location!;
          hashes.add(hashKey(caseKey(c)));
          if (match) {
            const file = match(c);
            if (file === undefined) unmatchedCases++;
            else casesByFile.set(file, (casesByFile.get(file) ?? 0) + 1);
          }
        },
      },
      true,
    );
    const scanner = new XmlScanner(path, walker);
    walker.attach(scanner);
    readChunks(path, (text) => scanner.write(text));
    scanner.end();
    reports.push({ path, cases, timestamp: walker.timestamp });
  }

  const suspects = hashes.repeated();
  const repeated = new Map<string, { c: JUnitCase; count: number; reports: string[] }>();

  // Pass 2: write.
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (error) {
    throw new UserError(`--output ${output}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: 'check that the output folder exists and is writable',
      cause: error,
    });
  }
  let done = false;
  try {
    const out = new OutFile(fd);
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n');
    out.write(
      `<testsuites name="${escapeAttribute(options.name ?? 'split-tests merge')}" tests="${root.tests}" failures="${root.failures}" errors="${root.errors}" skipped="${root.skipped}" time="${formatSeconds(root.time)}">`,
    );
    for (const [index, path] of inputs.entries()) {
      let slot = firstSlot[index]!;
      const end = firstSlot[index + 1] ?? totals.count;
      let rootIsSuite = false;
      out.write('\n');
      // eslint-disable-next-line prefer-const
      let scanner: XmlScanner;
      const walker = new JUnitWalker(
        {
          suite(tag, isRoot) {
            if (isRoot && tag.name === 'testsuites') {
              scanner.startCopying();
              return;
            }
            if (slot >= end) throw new UserError(`${path}: changed while it was being merged`, { hint: 'merge after the test run has finished writing its reports' });
            const text = suiteTag(tag, totals.data, slot * 5);
            slot++;
            if (isRoot) {
              rootIsSuite = true;
              out.write(text);
              scanner.startCopying();
            } else scanner.replaceToken(text);
          },
          suiteEnd(name, isRoot, selfClosing) {
            if (!isRoot) return;
            if (rootIsSuite) {
              scanner.replaceToken(selfClosing ? '' : `</${name}>`);
              scanner.stopCopying();
            } else scanner.stopCopying();
          },
          testcase(_status, _seconds, location) {
            if (location === undefined) return;
            const key = caseKey(location);
            if (!suspects.has(hashKey(key))) return;
            const entry = repeated.get(key);
            if (entry === undefined) repeated.set(key, { c: location, count: 1, reports: [path] });
            else {
              entry.count++;
              if (entry.reports.at(-1) !== path) entry.reports.push(path);
            }
          },
        },
        suspects.size > 0,
      );
      scanner = new XmlScanner(path, walker, (text) => out.write(text));
      walker.attach(scanner);
      readChunks(path, (text) => scanner.write(text));
      scanner.end();
      if (slot !== end) throw new UserError(`${path}: changed while it was being merged`, { hint: 'merge after the test run has finished writing its reports' });
    }
    out.write('\n</testsuites>\n');
    out.flush();
    closeSync(fd);
    renameSync(temp, output);
    done = true;
  } finally {
    if (!done) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(temp, { force: true });
    }
  }

  const duplicates: DuplicateCase[] = [];
  for (const { c, count, reports: where } of repeated.values()) {
    if (count > 1) duplicates.push({ name: c.name, classname: c.classname, file: c.file, suites: c.suites, count, reports: where });
  }
  return { totals: root, reports, casesByFile, unmatchedCases, duplicates };
}
