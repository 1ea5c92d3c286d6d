import type { CaseStatus, JUnitCase } from './types.js';
import { getAttribute, type ScanHandler, type ScanTag, type XmlScanner } from './scan.js';
import { parseSeconds } from './seconds.js';

/**
 * The JUnit structure over scanner events, shared by both passes of the merge so that they agree
 * on what a suite and a testcase are: a `testsuite` or `testsuites` element outside any testcase
 * is a suite (at any depth), a `testcase` is a case, and `failure`/`error`/`skipped` directly
 * inside it give its status. Anything else is content that is copied untouched.
 */
export interface WalkEvents {
  /** A suite opens; `root` for the document element. */
  suite(tag: ScanTag, root: boolean): void;
  suiteEnd(name: string, root: boolean, selfClosing: boolean): void;
  /** A testcase closed. `location` is only filled when the walker was asked for locations. */
  testcase(status: CaseStatus, seconds: number, location: JUnitCase | undefined): void;
}

const CHILD_STATUS: Readonly<Record<string, CaseStatus>> = { failure: 'failed', error: 'error', skipped: 'skipped' };
const RANK: Record<CaseStatus, number> = { passed: 0, skipped: 1, failed: 2, error: 3 };

interface SuiteFrame {
  readonly name: string | undefined;
  readonly file: string | undefined;
  readonly selfClosing: boolean;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export class JUnitWalker implements ScanHandler {
  timestamp: string | undefined;
  private scanner: XmlScanner | undefined;
  private readonly suites: SuiteFrame[] = [];
  private inCase = false;
  private caseDepth = 0;
  private status: CaseStatus = 'passed';
  private seconds = 0;
  private caseAttrs = '';
  private rootSeen = false;

  constructor(
    private readonly events: WalkEvents,
    private readonly locations: boolean,
  ) {}

  attach(scanner: XmlScanner): void {
    this.scanner = scanner;
  }

  open(tag: ScanTag): void {
    const name = tag.name;
    if (this.inCase) {
      this.caseDepth++;
      if (this.caseDepth === 1) {
        const status = CHILD_STATUS[name];
        if (status !== undefined && RANK[status] > RANK[this.status]) this.status = status;
      }
      return;
    }
    const root = !this.rootSeen;
    this.rootSeen = true;
    if (root && name !== 'testsuites' && name !== 'testsuite') {
      throw this.scanner!.error(`root element is <${name}>, expected <testsuites> or <testsuite>`);
    }
    if (name === 'testsuite' || name === 'testsuites') {
      if (this.timestamp === undefined) this.timestamp = present(getAttribute(tag.attrs, 'timestamp'));
      const frame =
        name === 'testsuite' && this.locations
          ? { name: getAttribute(tag.attrs, 'name'), file: present(getAttribute(tag.attrs, 'file')), selfClosing: tag.selfClosing }
          : { name: undefined, file: undefined, selfClosing: tag.selfClosing };
      this.suites.push(frame);
      this.events.suite(tag, root);
      return;
    }
    if (name === 'testcase') {
      this.inCase = true;
      this.caseDepth = 0;
      this.status = 'passed';
      this.seconds = parseSeconds(getAttribute(tag.attrs, 'time'));
      this.caseAttrs = this.locations ? tag.attrs : '';
    }
  }

  close(name: string): void {
    if (this.inCase) {
      if (this.caseDepth > 0) {
        this.caseDepth--;
        return;
      }
      this.inCase = false;
      this.events.testcase(this.status, this.seconds, this.locations ? this.location() : undefined);
      return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      const frame = this.suites.pop();
      this.events.suiteEnd(name, this.suites.length === 0, frame?.selfClosing ?? false);
    }
  }

  private location(): JUnitCase {
    const attrs = this.caseAttrs;
    let file = present(getAttribute(attrs, 'file'));
    for (let i = this.suites.length - 1; file === undefined && i >= 0; i--) file = this.suites[i]!.file;
    const suites: string[] = [];
    for (const s of this.suites) if (s.name !== undefined) suites.push(s.name);
    return { name: getAttribute(attrs, 'name') ?? '', classname: getAttribute(attrs, 'classname'), file, suites, seconds: this.seconds, status: this.status };
  }
}
