import { parseJUnitString } from './read.js';
import type { CaseStatus, JUnitCase } from './types.js';

/** One testcase element of a report: the case as the reader sees it and where its bytes are. */
export interface LocatedCase {
  readonly testcase: JUnitCase;
  /** [start, end) of the whole `<testcase>` element in the text. */
  readonly start: number;
  readonly end: number;
}

/** One rerun of a test: its verdict and, when it failed, its raw `<failure>`/`<error>` element. */
export interface Attempt {
  readonly status: CaseStatus;
  readonly failure?: string | undefined;
}

const ATTRS = `(?:[^>"']|"[^"]*"|'[^']*')*?`;
const TESTCASE_START = new RegExp(`<testcase\\b${ATTRS}(/?)>`, 'g');
const FAILURE_CHILD = new RegExp(`<(failure|error)\\b${ATTRS}(?:/>|>[\\s\\S]*?</\\1\\s*>)`, 'g');

/**
 * Every testcase of a well-formed report (one a runner just wrote, already checked) with its byte
 * span: the reader's cases in document order beside the `<testcase>` elements found in the text.
 * Throws when the two disagree (a `<testcase` inside a CDATA section or a comment).
 */
export function locateCases(xml: string, name: string): LocatedCase[] {
  const cases: JUnitCase[] = [];
  parseJUnitString(xml, name, (c) => cases.push(c));
  const spans: { start: number; end: number }[] = [];
  TESTCASE_START.lastIndex = 0;
  for (let m = TESTCASE_START.exec(xml); m !== null; m = TESTCASE_START.exec(xml)) {
    const start = m.index;
    let end = start + m[0].length;
    if (m[1] !== '/') {
      const close = xml.indexOf('</testcase', end);
      if (close === -1) break;
      end = xml.indexOf('>', close) + 1;
    }
    spans.push({ start, end });
    TESTCASE_START.lastIndex = end;
  }
  if (spans.length !== cases.length) {
    throw new Error(`${name}: found ${spans.length} <testcase> elements in the text but read ${cases.length} testcases`);
  }
  return cases.map((testcase, i) => ({ testcase, start: spans[i]!.start, end: spans[i]!.end }));
}

/** The `<failure>`/`<error>` children of one testcase element, raw. */
export function failureElements(element: string): string[] {
  return [...element.matchAll(FAILURE_CHILD)].map((m) => m[0]);
}

/**
 * A `<failure>`/`<error>` element renamed as a Surefire rerun child: `flakyFailure`/`flakyError`
 * when the test passed in the end, `rerunFailure`/`rerunError` when it never did; its text goes
 * into `<stackTrace>`, where Jenkins' JUnit plugin reads it.
 */
export function asRerunChild(element: string, kind: 'flaky' | 'rerun'): string {
  // the attributes: everything up to the first `>` outside quotes
  const head = new RegExp(`^<(failure|error)\\b(${ATTRS})(/?)>`).exec(element);
  if (head === null) return element;
  const tag = `${kind}${head[1] === 'error' ? 'Error' : 'Failure'}`;
  const attrs = head[2]!;
  if (head[3] === '/') return `<${tag}${attrs}/>`;
  const body = element.slice(head[0].length).replace(/<\/(?:failure|error)\s*>$/, '');
  return body.trim() === '' ? `<${tag}${attrs}/>` : `<${tag}${attrs}><stackTrace>${body}</stackTrace></${tag}>`;
}

const failing = (status: CaseStatus): boolean => status === 'failed' || status === 'error';

/**
 * The shard's report with its reruns folded in (the Surefire convention): each rerun test keeps
 * one testcase. Passed in the end: its failures leave and every failed attempt, the first run's
 * included, becomes a `<flakyFailure>`; failed every time: its failure stays and each failed
 * rerun is added as a `<rerunFailure>`. `keyOf` names a case's test (undefined: not rerun).
 */
export function foldAttempts(
  xml: string,
  located: readonly LocatedCase[],
  keyOf: (c: JUnitCase) => string | undefined,
  attempts: ReadonlyMap<string, readonly Attempt[]>,
): string {
  const edits: Edit[] = [];
  /** Where each test that passed in the end sat, and which count it leaves. */
  const nowPassing: { at: number; count: 'failures' | 'errors' }[] = [];
  for (const { testcase, start, end } of located) {
    const key = keyOf(testcase);
    const reruns = key === undefined ? undefined : attempts.get(key);
    if (reruns === undefined || reruns.length === 0 || !failing(testcase.status)) continue;
    const element = xml.slice(start, end);
    const closeAt = element.lastIndexOf('</testcase');
    if (closeAt === -1) continue;
    const passed = reruns[reruns.length - 1]!.status === 'passed';
    const rerunFailures = reruns.filter((a) => failing(a.status)).map((a) => a.failure ?? '<failure/>');
    let inner = element.slice(0, closeAt);
    let added: string[];
    if (passed) {
      const first = failureElements(inner);
      inner = inner.replace(FAILURE_CHILD, '');
      added = [...first, ...rerunFailures].map((f) => asRerunChild(f, 'flaky'));
      nowPassing.push({ at: start, count: testcase.status === 'error' ? 'errors' : 'failures' });
    } else {
      added = rerunFailures.map((f) => asRerunChild(f, 'rerun'));
    }
    edits.push({ start, end, text: [inner, ...added, element.slice(closeAt)].join('') });
  }
  edits.push(...suiteCountEdits(xml, nowPassing));
  return applyEdits(xml, edits);
}

/** The text with each [start, end) span replaced by its edit's text (spans do not overlap). */
export function applyEdits(xml: string, edits: readonly Edit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(xml.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(xml.slice(at));
  return parts.join('');
}

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const SUITE_TAG = new RegExp(`<(/?)testsuites?\\b(${ATTRS})(/?)>`, 'g');

/**
 * The `failures`/`errors` attributes of every testsuite(s) enclosing a test that passed in the
 * end, lowered by one for each such test, so that a reader of the counts agrees with the cases.
 */
function suiteCountEdits(xml: string, nowPassing: readonly { at: number; count: 'failures' | 'errors' }[]): Edit[] {
  if (nowPassing.length === 0) return [];
  const lowered = new Map<number, { tag: string; failures: number; errors: number }>();
  const open: { start: number; tag: string }[] = [];
  let next = 0;
  SUITE_TAG.lastIndex = 0;
  const visit = (until: number): void => {
    while (next < nowPassing.length && nowPassing[next]!.at < until) {
      const { count } = nowPassing[next++]!;
      for (const suite of open) {
        const entry = lowered.get(suite.start) ?? { tag: suite.tag, failures: 0, errors: 0 };
        entry[count]++;
        lowered.set(suite.start, entry);
      }
    }
  };
  for (let m = SUITE_TAG.exec(xml); m !== null; m = SUITE_TAG.exec(xml)) {
    visit(m.index);
    if (m[1] === '/') open.pop();
    else if (m[3] !== '/') open.push({ start: m.index, tag: m[0] });
  }
  visit(Infinity);
  return [...lowered].map(([start, { tag, failures, errors }]) => ({
    start,
    end: start + tag.length,
    text: lower(lower(tag, 'failures', failures), 'errors', errors),
  }));
}

/** The count `attribute` of a suite's start tag lowered by `by` (never below 0). */
export function lower(tag: string, attribute: string, by: number): string {
  if (by === 0) return tag;
  return tag.replace(new RegExp(`(\\s${attribute}\\s*=\\s*)(["'])(\\d+)\\2`), (_, head: string, quote: string, n: string) => `${head}${quote}${Math.max(0, Number(n) - by)}${quote}`);
}
