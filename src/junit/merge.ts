import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { createTempPath, releaseTempPath } from '../fs/temp-files.js';
import { HashCounter, keptBits } from './case-hashes.js';
import { decodeValue, FIX_TEXT, splitAttributes, xmlSafeReferences, type FixKind, type ScanTag, type XmlScanner } from './scan.js';
import { cannotRead, CHUNK_BYTES, detach, scanReport } from './scan-file.js';
import { readSeconds } from './seconds.js';
import type { CaseStatus, CaseLocation, JUnitCase } from './types.js';
import type { JUnitWalker, WalkEvents } from './walk.js';
import type { ReportEncoding } from './encoding.js';
import { cleanUtf8, utf8Boundary } from './xml-chars.js';
import { findRepeatedReports, type RepeatedReport } from './repeated-reports.js';

/**
 * Merges JUnit reports into one `<testsuites>` in two streaming passes over each report:
 * the first checks it and counts every suite's totals (and the testcase hashes), the second copies
 * its bytes through with each suite's start tag rewritten to its exact totals. Memory holds the
 * current report's suite totals and a hash per testcase (for duplicates), never a report; the
 * output is written to a temporary file beside `output` and renamed into place only when every
 * report was good.
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
  /** Reports that repeat an earlier input byte for byte: left out, so their testcases count once. */
  readonly repeatedReports: readonly RepeatedReport[];
  /** What was read but not trusted (times that are not numbers), one line per report. */
  readonly warnings: readonly string[];
}

const COUNTED = ['tests', 'failures', 'errors', 'skipped', 'time'] as const;
const STATUS_SLOT: Record<CaseStatus, number> = { passed: -1, failed: 1, error: 2, skipped: 3 };
/** Fixes kept per report (each costs a few numbers until the report is copied). */
const MAX_FIXES = 1_000_000;
const FIX_BYTES: Readonly<Record<FixKind, Buffer>> = {
  'char-ref': Buffer.from(FIX_TEXT['char-ref']),
  'cdata-end': Buffer.from(FIX_TEXT['cdata-end']),
  comment: Buffer.alloc(0),
  time: Buffer.from(FIX_TEXT.time),
};

/** Seconds as JUnit writes them: up to 6 decimals, no float noise ("0.30000000000000004"). */
export function formatSeconds(seconds: number): string {
  return String(Number(seconds.toFixed(6)));
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

/**
 * A start tag with its counts replaced in place (or appended), the rest byte for byte. Counts are
 * the testcases under it. Its `time` is the producer's own when it wrote a readable one (pytest's
 * suite time holds collection and imports, which no testcase carries); else the sum of its
 * testcases. `badTime` receives a `time` that is not a number.
 */
function suiteTag(tag: ScanTag, totals: Float64Array, at: number, encoding: ReportEncoding, badTime: (raw: string) => void): Buffer {
  const values = [
    String(totals[at]!),
    String(totals[at + 1]!),
    String(totals[at + 2]!),
    String(totals[at + 3]!),
    formatSeconds(totals[at + 4]!),
  ];
  let out = `<${tag.name}`;
  const written = [false, false, false, false, false];
  const parts = splitAttributes(tag.attrs);
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i]!;
    const raw = xmlSafeReferences(parts[i + 1]!);
    const k = (COUNTED as readonly string[]).indexOf(key);
    if (k === -1) out += raw.includes('"') ? ` ${key}='${raw}'` : ` ${key}="${raw}"`;
    else if (!written[k]) {
      let value = values[k];
      if (key === 'time') {
        const own = readSeconds(raw);
        if (own !== undefined && !Number.isNaN(own)) value = formatSeconds(own);
        else if (own !== undefined) badTime(decodeValue(raw, encoding));
      }
      out += ` ${key}="${value}"`;
      written[k] = true;
    }
  }
  for (let k = 0; k < COUNTED.length; k++) if (!written[k]) out += ` ${COUNTED[k]}="${values[k]}"`;
  // the raw text is one character per byte: as is for UTF-8 input, re-encoded for latin1 input
  return Buffer.from(out + (tag.selfClosing ? '/>' : '>'), encoding === 'latin1' ? 'utf8' : 'latin1');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Where pass 2 copies a report from and what it replaces on the way. */
interface CopyPlan {
  /** Byte range of the report that goes into the merged root. */
  start: number;
  end: number;
  /** Suite start tags to rewrite: byte ranges and their new bytes, in file order. */
  readonly from: number[];
  readonly to: number[];
  readonly text: Buffer[];
}

/**
 * Copies bytes [start, end) of the open file `input` to `output`, a window at a time, as UTF-8;
 * with `clean`, what XML forbids is written as U+FFFD (see xml-chars.ts).
 */
function copyRange(input: number, output: number, start: number, end: number, bytes: Buffer, encoding: ReportEncoding, clean: boolean): void {
  let at = start;
  while (at < end) {
    let n = readSync(input, bytes, 0, Math.min(bytes.length, end - at), at);
    if (n === 0) throw new Error('unexpected end of file');
    if (encoding === 'latin1') {
      const utf8 = Buffer.from(bytes.toString('latin1', 0, n), 'utf8');
      writeAll(output, clean ? cleanUtf8(utf8) : utf8);
    } else if (clean) {
      // a window may cut a character in two: its first bytes go with the next window
      if (at + n < end) n = utf8Boundary(bytes, n) || n;
      writeAll(output, cleanUtf8(bytes.subarray(0, n)));
    } else writeAll(output, bytes, n);
    at += n;
  }
}

function writeAll(fd: number, bytes: Buffer, length: number = bytes.length): void {
  let done = 0;
  while (done < length) done += writeSync(fd, bytes, done, length - done);
}

/**
 * The merged root's start tag is written first with room for its totals, and filled in at the end
 * (spaces before `>` are valid XML): reports can then be copied one by one, and nothing about a
 * report is kept once it is written, however many reports there are.
 */
const ROOT_TAG_BYTES = 256;

function rootTag(name: string, root: MergeTotals): Buffer {
  const tag = `<testsuites name="${escapeAttribute(name)}" tests="${root.tests}" failures="${root.failures}" errors="${root.errors}" skipped="${root.skipped}" time="${formatSeconds(root.time)}"`;
  const bytes = Buffer.from(tag, 'utf8');
  if (bytes.length + 1 > ROOT_TAG_BYTES) throw new Error('merged root tag too long');
  return Buffer.concat([bytes, Buffer.alloc(ROOT_TAG_BYTES - bytes.length - 1, ' '), Buffer.from('>')]);
}

export async function mergeReports(options: MergeOptions): Promise<MergeResult> {
  const { inputs, output, match } = options;
  const name = options.name ?? 'split-tests merge';
  const root: MergeTotals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const hashes = new HashCounter();
  const casesByFile = new Map<string, number>();
  const placeCache = new Map<string, string | undefined>();
  let unmatchedCases = 0;
  const reports: MergeReport[] = [];
  const warnings: string[] = [];
  // an artifact downloaded twice must not count twice: merge the first copy only
  const { unique, repeated } = findRepeatedReports(inputs);

  // registered while it exists, with the main thread too: a signal or an exit removes it
  const temp = createTempPath(output);
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (error) {
    releaseTempPath(temp);
    throw new UserError(`--output ${output}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: 'check that the output folder exists and is writable',
      cause: error,
    });
  }
  let written = false;
  try {
    const header = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n');
    writeAll(fd, header);
    writeAll(fd, rootTag(name, root));
    const bytes = Buffer.allocUnsafe(CHUNK_BYTES);
    for (const path of unique) {
      // Pass 1 over this report: check it, count every suite, note the start tags to rewrite.
      const totals = new SuiteTotals();
      const open: { slot: number; tag: ScanTag; index: number }[] = [];
      const plan: CopyPlan = { start: 0, end: 0, from: [], to: [], text: [] };
      let cases = 0;
      // eslint-disable-next-line prefer-const
      let scanner: XmlScanner;
      // eslint-disable-next-line prefer-const
      let walker: JUnitWalker;
      const events: WalkEvents = {
        suite(tag, isRoot) {
          // fixes inside this start tag are dropped: suiteTag rewrites the whole tag
          while (plan.from.length > 0 && plan.from[plan.from.length - 1]! >= scanner.tokenStartOffset) {
            plan.from.pop();
            plan.to.pop();
            plan.text.pop();
          }
          // an input's <testsuites> root dissolves into the merged root; every other suite is kept
          if (isRoot) plan.start = tag.name === 'testsuites' ? scanner.tokenEndOffset : scanner.tokenStartOffset;
          const slot = isRoot && tag.name === 'testsuites' ? -1 : totals.allocate();
          // the tag is kept only until the suite closes, then replaced by its rewritten bytes
          open.push({ slot, tag, index: plan.from.length });
          if (slot >= 0) {
            plan.from.push(scanner.tokenStartOffset);
            plan.to.push(scanner.tokenEndOffset);
            plan.text.push(EMPTY);
          }
        },
        suiteEnd(_name, isRoot, selfClosing) {
          const frame = open.pop()!;
          if (frame.slot >= 0) plan.text[frame.index] = suiteTag(frame.tag, totals.data, frame.slot * 5, walker.encoding, (raw) => walker.badTimes.add(raw));
          if (isRoot) {
            const rootIsSuite = frame.slot >= 0;
            plan.end = selfClosing ? (rootIsSuite ? scanner.tokenEndOffset : plan.start) : rootIsSuite ? scanner.tokenEndOffset : scanner.tokenStartOffset;
          }
        },
        testcase(status, seconds, raw) {
          cases++;
          const s = STATUS_SLOT[status];
          const data = totals.data;
          for (const frame of open) {
            if (frame.slot < 0) continue;
            const at = frame.slot * 5;
            data[at]!++;
            if (s > 0) data[at + s]!++;
            data[at + 4]! += seconds;
          }
          root.tests++;
          if (status === 'failed') root.failures++;
          else if (status === 'error') root.errors++;
          else if (status === 'skipped') root.skipped++;
          root.time += seconds;
          hashes.add(walker.caseHash(raw));
          if (match) {
            const place = walker.placeKey(raw);
            let file = placeCache.get(place);
            if (file === undefined && !placeCache.has(place)) {
              const c = walker.locate(raw, status, seconds);
              file = match({ file: c.file === undefined ? undefined : detach(c.file), classname: c.classname === undefined ? undefined : detach(c.classname), suites: c.suites.map(detach) });
              if (placeCache.size >= 100_000) placeCache.clear();
              placeCache.set(detach(place), file);
            }
            if (file === undefined) unmatchedCases++;
            else casesByFile.set(file, (casesByFile.get(file) ?? 0) + 1);
          }
        },
        fix(from, to, kind) {
          if (plan.from.length >= MAX_FIXES) {
            throw scanner.error(`over ${MAX_FIXES.toLocaleString('en-US')} character references and markup that XML forbids`, undefined, 'is it a JUnit report? fix the tool that wrote it, or leave the file out');
          }
          plan.from.push(from);
          plan.to.push(to);
          plan.text.push(FIX_BYTES[kind]);
        },
      };
      const done = scanReport(path, events, (w, sc) => {
        walker = w;
        scanner = sc;
      });
      const timestamp = done.walker.rawTimestamp;
      reports.push({ path, cases, timestamp: timestamp === undefined ? undefined : detach(decodeValue(timestamp, done.walker.encoding)) });
      const badTimes = done.walker.badTimes.warning(path);
      if (badTimes !== undefined) warnings.push(detach(badTimes));
      const { encoding, needsCleaning: clean } = done.file;

      // Pass 2 over this report (still in the page cache): copy it byte for byte, except its
      // suites' start tags and the fixes (cleaned of what XML forbids when pass 1 saw any).
      let input: number;
      try {
        input = openSync(path, 'r');
      } catch (error) {
        throw cannotRead(path, error);
      }
      try {
        const { size, mtimeMs } = fstatSync(input);
        if (size !== done.file.size || mtimeMs !== done.file.mtimeMs) {
          throw new UserError(`${path}: changed while it was being merged`, { hint: 'merge after the test run has finished writing its reports' });
        }
        writeAll(fd, NEWLINE);
        let at = plan.start;
        for (let i = 0; i < plan.from.length; i++) {
          copyRange(input, fd, at, plan.from[i]!, bytes, encoding, clean);
          writeAll(fd, clean ? cleanUtf8(plan.text[i]!) : plan.text[i]!);
          at = plan.to[i]!;
        }
        copyRange(input, fd, at, plan.end, bytes, encoding, clean);
      } finally {
        closeSync(input);
      }
    }
    writeAll(fd, Buffer.from('\n</testsuites>\n'));
    const tag = rootTag(name, root);
    let done = 0;
    while (done < tag.length) done += writeSync(fd, tag, done, tag.length - done, header.length + done);
    closeSync(fd);
    renameSync(temp, output);
    releaseTempPath(temp);
    written = true;
  } finally {
    if (!written) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(temp, { force: true });
      releaseTempPath(temp);
    }
  }

  return { totals: root, reports, casesByFile, unmatchedCases, duplicates: findDuplicates(unique, hashes.repeated()), repeatedReports: repeated, warnings };
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = Buffer.from('\n');

/**
 * Pass 3, only when pass 1 saw a testcase hash twice: confirm on full keys which testcases repeat,
 * and in which reports. Runs without duplicates never pay for it.
 */
function findDuplicates(inputs: readonly string[], suspects: ReadonlySet<number>): DuplicateCase[] {
  if (suspects.size === 0) return [];
  const repeated = new Map<string, { c: JUnitCase; count: number; reports: string[] }>();
  for (const path of inputs) {
    // eslint-disable-next-line prefer-const
    let walker: JUnitWalker;
    scanReport(path, {
      suite() {},
      suiteEnd() {},
      testcase(status, seconds, raw) {
        if (!suspects.has(keptBits(walker.caseHash(raw)))) return;
        const key = walker.caseKey(raw);
        const entry = repeated.get(key);
        if (entry === undefined) {
          const c = walker.locate(raw, status, seconds);
          repeated.set(detach(key), {
            c: { ...c, name: detach(c.name), classname: c.classname === undefined ? undefined : detach(c.classname), file: c.file === undefined ? undefined : detach(c.file), suites: c.suites.map(detach) },
            count: 1,
            reports: [path],
          });
        } else {
          entry.count++;
          if (entry.reports.at(-1) !== path) entry.reports.push(path);
        }
      },
    }, (created) => {
      walker = created;
    });
  }
  const duplicates: DuplicateCase[] = [];
  for (const { c, count, reports } of repeated.values()) {
    if (count > 1) duplicates.push({ name: c.name, classname: c.classname, file: c.file, suites: c.suites, count, reports });
  }
  return duplicates;
}
