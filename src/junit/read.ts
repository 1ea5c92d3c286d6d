import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { UserError } from '../errors.js';
import type { CaseStatus, JUnitCase } from './types.js';
import { parseSeconds } from './seconds.js';
import { reportEncoding, type ReportEncoding } from './encoding.js';
import { createSaxParser, readError } from './sax.js';

export interface JUnitFileInfo {
  readonly path: string;
  /** The first testsuites/testsuite `timestamp` attribute, as written. */
  readonly timestamp?: string | undefined;
  readonly cases: number;
}

interface OpenCase {
  name: string;
  classname: string | undefined;
  file: string | undefined;
  seconds: number;
  status: CaseStatus;
}

interface OpenSuite {
  readonly name: string | undefined;
  readonly file: string | undefined;
}

// A failure or error outranks a skip: a test that errored while being skipped still errored.
const STATUS_RANK: Record<CaseStatus, number> = { passed: 0, skipped: 1, failed: 2, error: 3 };
const CHILD_STATUS: Readonly<Record<string, CaseStatus>> = { failure: 'failed', error: 'error', skipped: 'skipped' };

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Turns SAX events of one JUnit document into testcases. Producers nest suites freely
 * (`testsuites > testsuite > testsuite > testcase`, or a bare `testsuite` root), so only the
 * element names matter, never their depth.
 */
class CaseCollector {
  cases = 0;
  timestamp: string | undefined;
  private rootSeen = false;
  private readonly suites: OpenSuite[] = [];
  private current: OpenCase | undefined;
  /** Elements open inside the current testcase (its status children are direct children only). */
  private caseDepth = 0;

  constructor(
    private readonly parser: SaxesParser,
    private readonly onCase: (c: JUnitCase) => void,
  ) {}

  open(tag: SaxesTagPlain): void {
    const name = tag.name;
    const attrs = tag.attributes;
    if (!this.rootSeen) {
      this.rootSeen = true;
      if (name !== 'testsuites' && name !== 'testsuite') {
        throw readError(this.parser, `root element is <${name}>, expected <testsuites> or <testsuite>`);
      }
    }
    if (this.current !== undefined) {
      this.caseDepth++;
      const status = this.caseDepth === 1 ? CHILD_STATUS[name] : undefined;
      if (status !== undefined && STATUS_RANK[status] > STATUS_RANK[this.current.status]) this.current.status = status;
      return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      if (this.timestamp === undefined) this.timestamp = nonEmpty(attrs['timestamp']);
      // the root <testsuites> names the whole run ("vitest tests"), not a suite of cases
      if (name === 'testsuite') this.suites.push({ name: attrs['name'], file: nonEmpty(attrs['file']) });
      else this.suites.push({ name: undefined, file: undefined });
      return;
    }
    if (name === 'testcase') {
      let file = nonEmpty(attrs['file']);
      for (let i = this.suites.length - 1; file === undefined && i >= 0; i--) file = this.suites[i]!.file;
      this.current = {
        name: attrs['name'] ?? '',
        classname: attrs['classname'],
        file,
        seconds: parseSeconds(attrs['time']),
        status: 'passed',
      };
      this.caseDepth = 0;
    }
  }

  close(tag: SaxesTagPlain): void {
    if (this.current !== undefined) {
      if (this.caseDepth > 0) {
        this.caseDepth--;
        return;
      }
      if (tag.name !== 'testcase') return;
      const c = this.current;
      this.current = undefined;
      this.cases++;
      const suites: string[] = [];
      for (const s of this.suites) if (s.name !== undefined) suites.push(s.name);
      this.onCase({ name: c.name, classname: c.classname, file: c.file, suites, seconds: c.seconds, status: c.status });
      return;
    }
    if (tag.name === 'testsuite' || tag.name === 'testsuites') this.suites.pop();
  }

  finish(): void {
    if (!this.rootSeen) throw readError(this.parser, 'no XML root element (empty file or not XML)');
  }
}

function createCaseParser(name: string, onCase: (c: JUnitCase) => void): { parser: SaxesParser; collector: CaseCollector } {
  const parser = createSaxParser(name);
  const collector = new CaseCollector(parser, onCase);
  parser.on('opentag', (tag) => collector.open(tag as SaxesTagPlain));
  parser.on('closetag', (tag) => collector.close(tag as SaxesTagPlain));
  return { parser, collector };
}

/** UTF-8, or latin1 for a report that declares ISO-8859-1 / windows-1252; other encodings are refused. */
async function encodingOf(path: string): Promise<ReportEncoding> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const found = reportEncoding(head.toString('latin1', 0, bytesRead));
    if ('unsupported' in found) {
      throw new UserError(`${path}:1:1: encoding ${found.unsupported} is not supported`, { hint: 're-encode the report as UTF-8 (e.g. iconv -t UTF-8)' });
    }
    return found.encoding;
  } finally {
    await file.close();
  }
}

/**
 * Streams a JUnit XML report and calls `onCase` for every testcase, in document order. Memory stays
 * flat whatever the file size. Entities are never expanded and a DOCTYPE is rejected; malformed,
 * truncated, empty or non-JUnit input throws a UserError `<path>:<line>:<col>: <what>`.
 */
export async function readJUnitFile(path: string, onCase: (c: JUnitCase) => void): Promise<JUnitFileInfo> {
  const { parser, collector } = createCaseParser(path, onCase);
  try {
    const encoding = await encodingOf(path);
    for await (const chunk of createReadStream(path, { encoding, highWaterMark: 1 << 16 })) {
      parser.write(chunk as string);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      throw new UserError(`${path}: cannot read JUnit report (${code})`, { hint: 'check the report path and that the file exists', cause: error });
    }
    throw error;
  }
  parser.close();
  collector.finish();
  return { path, timestamp: collector.timestamp, cases: collector.cases };
}

/** The same as readJUnitFile over a string already in memory; `name` stands for the path in errors. */
export function parseJUnitString(xml: string, name: string, onCase: (c: JUnitCase) => void): JUnitFileInfo {
  const { parser, collector } = createCaseParser(name, onCase);
  parser.write(xml);
  parser.close();
  collector.finish();
  return { path: name, timestamp: collector.timestamp, cases: collector.cases };
}
