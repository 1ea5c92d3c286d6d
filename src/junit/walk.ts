import type { CaseStatus, JUnitCase } from './types.js';
import { decodeValue, rawAttribute, splitAttributes, type FixKind, type ScanHandler, type ScanTag, type XmlScanner } from './scan.js';
import { BadTimes, readSeconds } from './seconds.js';
import { hashParts } from './case-hashes.js';
import type { ReportEncoding } from './encoding.js';

/**
 * The JUnit structure over scanner events, shared by every pass of the merge so that they agree
 * on what a suite and a testcase are: a `testsuite` or `testsuites` element outside any testcase
 * is a suite (at any depth), a `testcase` is a case, and `failure`/`error`/`skipped` directly
 * inside it give its status. Anything else is content that is copied untouched.
 */
export interface WalkEvents {
  /** A suite opens (its start tag spans the scanner's current token); `root` for the document element. */
  suite(tag: ScanTag, root: boolean): void;
  /** A suite closes (its end tag, if any, is the current token). */
  suiteEnd(name: string, root: boolean, selfClosing: boolean): void;
  /** A testcase closed. */
  testcase(status: CaseStatus, seconds: number, raw: RawCase): void;
  /** Bytes the copy must replace (see ScanHandler.fix). */
  fix?(from: number, to: number, kind: FixKind): void;
}

/** A testcase's identifying attributes, raw (undecoded latin1 views of the bytes). */
export interface RawCase {
  readonly name: string;
  readonly classname: string | undefined;
  /** Its own `file` attribute. */
  readonly file: string | undefined;
}

const CHILD_STATUS: Readonly<Record<string, CaseStatus>> = { failure: 'failed', error: 'error', skipped: 'skipped' };
const RANK: Record<CaseStatus, number> = { passed: 0, skipped: 1, failed: 2, error: 3 };
/** Surefire's children of a testcase that failed and then passed on a rerun (run --retries writes them). */
const FLAKY_CHILDREN: ReadonlySet<string> = new Set(['flakyFailure', 'flakyError']);

interface SuiteFrame {
  /** Raw `name` of a testsuite; undefined for testsuites elements. */
  readonly name: string | undefined;
  readonly file: string | undefined;
  readonly selfClosing: boolean;
  /** The raw names of this suite and its ancestors: part of a testcase's identity. */
  readonly key: string;
}

export class JUnitWalker implements ScanHandler {
  /** How the report's bytes map to characters (set before the first event). */
  encoding: ReportEncoding = 'utf8';
  /** The first testsuites/testsuite `timestamp`, raw. */
  rawTimestamp: string | undefined;
  /** Testcase times that are not decimal seconds (counted as 0). */
  readonly badTimes = new BadTimes();
  private scanner: XmlScanner | undefined;
  private readonly suites: SuiteFrame[] = [];
  private inCase = false;
  private caseDepth = 0;
  private status: CaseStatus = 'passed';
  /** The current testcase has a flakyFailure/flakyError child. */
  private caseFlaky = false;
  private caseRaw: RawCase = { name: '', classname: undefined, file: undefined };
  private caseSeconds = 0;
  private rootSeen = false;

  constructor(private readonly events: WalkEvents) {}

  attach(scanner: XmlScanner): void {
    this.scanner = scanner;
  }

  /** Raw names of the open suites, joined: identifies where the current testcase sits. */
  get suiteKey(): string {
    return this.suites.at(-1)?.key ?? '';
  }

  open(tag: ScanTag): void {
    const name = tag.name;
    if (this.inCase) {
      this.caseDepth++;
      if (this.caseDepth === 1) {
        const status = CHILD_STATUS[name];
        if (status !== undefined && RANK[status] > RANK[this.status]) this.status = status;
        else if (FLAKY_CHILDREN.has(name)) this.caseFlaky = true;
      }
      return;
    }
    const root = !this.rootSeen;
    this.rootSeen = true;
    if (root && name !== 'testsuites' && name !== 'testsuite') {
      throw this.scanner!.error(`root element is <${name.length > 40 ? `${name.slice(0, 40)}...` : name}>, expected <testsuites> or <testsuite>`);
    }
    if (name === 'testsuite' || name === 'testsuites') {
      if (this.rawTimestamp === undefined) {
        const ts = rawAttribute(tag.attrs, 'timestamp');
        if (ts !== undefined && ts.trim() !== '') this.rawTimestamp = ts;
      }
      const parent = this.suites.at(-1)?.key ?? '';
      if (name === 'testsuite') {
        const suiteName = rawAttribute(tag.attrs, 'name');
        const file = rawAttribute(tag.attrs, 'file');
        this.suites.push({ name: suiteName ?? '', file: file?.trim() ? file : undefined, selfClosing: tag.selfClosing, key: `${parent}\u0001${suiteName ?? ''}` });
      } else {
        this.suites.push({ name: undefined, file: undefined, selfClosing: tag.selfClosing, key: parent });
      }
      this.events.suite(tag, root);
      return;
    }
    if (name === 'testcase') {
      this.inCase = true;
      this.caseDepth = 0;
      this.status = 'passed';
      this.caseFlaky = false;
      // one pass over the attributes: this runs for every testcase of every report. Read here,
      // where the tag is the scanner's token: a time that is not a number is fixed in the copy to
      // the 0 it counts as, in file order with the other fixes
      const parts = splitAttributes(tag.attrs);
      let caseName = '';
      let classname: string | undefined;
      let file: string | undefined;
      let time: string | undefined;
      for (let i = 0; i < parts.length; i += 2) {
        const key = parts[i];
        if (key === 'name') caseName = parts[i + 1]!;
        else if (key === 'time') time = parts[i + 1];
        else if (key === 'classname') classname = parts[i + 1];
        else if (key === 'file') file = parts[i + 1];
      }
      this.caseRaw = { name: caseName, classname, file };
      this.caseSeconds = this.seconds(time, tag.attrs);
    }
  }

  close(name: string): void {
    if (this.inCase) {
      if (this.caseDepth > 0) {
        this.caseDepth--;
        return;
      }
      this.inCase = false;
      this.events.testcase(this.status, this.caseSeconds, this.caseRaw);
      return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      const frame = this.suites.pop();
      this.events.suiteEnd(name, this.suites.length === 0, frame?.selfClosing ?? false);
    }
  }

  fix(from: number, to: number, kind: FixKind): void {
    this.events.fix?.(from, to, kind);
  }

  /**
   * A testcase's raw `time` in seconds; one that is not a time counts as 0, is remembered for a
   * warning, and its value (in `attrs`, the start tag being read) is fixed to "0" in the copy.
   */
  private seconds(raw: string | undefined, attrs: string): number {
    const seconds = readSeconds(raw);
    if (seconds === undefined) return 0;
    if (Number.isNaN(seconds)) {
      this.badTimes.add(decodeValue(raw!, this.encoding));
      const m = /(?:^|\s)time\s*=\s*(["'])/.exec(attrs);
      if (m !== null) {
        const valueStart = m.index + m[0].length;
        // the attributes start right after '<testcase' in the tag
        const from = this.scanner!.tokenStartOffset + 1 + 'testcase'.length + valueStart;
        this.events.fix?.(from, from + attrs.indexOf(m[1]!, valueStart) - valueStart, 'time');
      }
      return 0;
    }
    return seconds;
  }

  /** The current testcase as the reader reports it: decoded, with its file and suites. */
  locate(raw: RawCase, status: CaseStatus, seconds: number): JUnitCase {
    const file = this.rawFile(raw);
    const suites: string[] = [];
    for (const s of this.suites) if (s.name !== undefined) suites.push(decodeValue(s.name, this.encoding));
    return {
      name: decodeValue(raw.name, this.encoding),
      classname: raw.classname === undefined ? undefined : decodeValue(raw.classname, this.encoding),
      file: file === undefined ? undefined : decodeValue(file, this.encoding),
      suites,
      seconds,
      status,
      ...(this.caseFlaky && status === 'passed' ? { flaky: true as const } : {}),
    };
  }

  /** The testcase's own file attribute, else the nearest enclosing suite's. */
  private rawFile(raw: RawCase): string | undefined {
    let file = raw.file !== undefined && raw.file.trim() !== '' ? raw.file : undefined;
    for (let i = this.suites.length - 1; file === undefined && i >= 0; i--) file = this.suites[i]!.file;
    return file;
  }

  /** What decides a testcase's test file, raw: its suites, class name and file. */
  placeKey(raw: RawCase): string {
    return `${this.suiteKey}\u0000${raw.classname ?? ''}\u0000${this.rawFile(raw) ?? ''}`;
  }

  /** What makes two testcases the same test: where it sits and what it is called (never its time). */
  caseKey(raw: RawCase): string {
    return `${this.placeKey(raw)}\u0000${raw.name}`;
  }

  /** hashParts of the same parts as caseKey, without building it. */
  caseHash(raw: RawCase): number {
    return hashParts([this.suiteKey, raw.classname, this.rawFile(raw), raw.name]);
  }
}
