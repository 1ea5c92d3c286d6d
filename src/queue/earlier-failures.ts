import { applyEdits, asRerunChild, failureElements, locateCases, type Edit } from '../junit/fold-attempts.js';
import type { JUnitCase } from '../junit/types.js';
import type { EarlierFailure, QueueItem } from './types.js';

/** A kept failure's text at most (a stack trace's first lines are what a reader needs). */
const MAX_FAILURE_CHARS = 4096;

/**
 * The failed tests of each failed item in a batch report, to keep with the item when it goes back
 * to the queue: class name, name and the `<failure>`/`<error>` element, its text cut to 4 KiB.
 */
export function failuresByItem(xml: string, name: string, items: readonly QueueItem[], fileOf: (c: JUnitCase) => string | undefined, failedIds: ReadonlySet<number>): Map<number, EarlierFailure[]> {
  const itemOfFile = new Map<string, number>();
  for (const item of items) if (failedIds.has(item.id)) for (const file of item.files) itemOfFile.set(file, item.id);
  const found = new Map<number, EarlierFailure[]>();
  if (itemOfFile.size === 0) return found;
  for (const { testcase, start, end } of locateCases(xml, name)) {
    if (testcase.status !== 'failed' && testcase.status !== 'error') continue;
    const file = fileOf(testcase);
    const id = file === undefined ? undefined : itemOfFile.get(file);
    if (id === undefined) continue;
    const failure = failureElements(xml.slice(start, end))[0] ?? '<failure/>';
    const list = found.get(id) ?? [];
    list.push({ classname: testcase.classname ?? '', name: testcase.name, failure: cutFailure(failure) });
    found.set(id, list);
  }
  return found;
}

/**
 * The batch report with the failures of earlier attempts at its items folded in, the way
 * `run --retries` folds reruns (Surefire): a test that passed here gains a `<flakyFailure>` per
 * earlier failure, one that failed here too gains a `<rerunFailure>`. Tests are matched by class
 * name and name within the item's files. Counts stay: this run's verdict is the test's verdict.
 */
export function foldEarlierFailures(
  xml: string,
  name: string,
  items: readonly QueueItem[],
  fileOf: (c: JUnitCase) => string | undefined,
  earlier: ReadonlyMap<number, readonly EarlierFailure[]>,
): { xml: string; flaky: number; failedAgain: number } {
  const byKey = new Map<string, string[]>();
  const itemOfFile = new Map<string, number>();
  for (const item of items) {
    const list = earlier.get(item.id);
    if (list === undefined) continue;
    for (const file of item.files) itemOfFile.set(file, item.id);
    for (const f of list) {
      const key = keyOf(item.id, f.classname, f.name);
      byKey.set(key, [...(byKey.get(key) ?? []), f.failure]);
    }
  }
  const edits: Edit[] = [];
  let flaky = 0;
  let failedAgain = 0;
  if (byKey.size === 0) return { xml, flaky, failedAgain };
  for (const { testcase, start, end } of locateCases(xml, name)) {
    if (testcase.status === 'skipped') continue;
    const file = fileOf(testcase);
    const id = file === undefined ? undefined : itemOfFile.get(file);
    if (id === undefined) continue;
    const failures = byKey.get(keyOf(id, testcase.classname ?? '', testcase.name));
    if (failures === undefined) continue;
    const passed = testcase.status === 'passed';
    if (passed) flaky++;
    else failedAgain++;
    const children = failures.map((f) => asRerunChild(f, passed ? 'flaky' : 'rerun')).join('');
    const element = xml.slice(start, end);
    const closeAt = element.lastIndexOf('</testcase');
    // `<testcase .../>`: opened up to take the children
    const text = closeAt === -1 ? `${element.replace(/\s*\/>$/, '>')}${children}</testcase>` : `${element.slice(0, closeAt)}${children}${element.slice(closeAt)}`;
    edits.push({ start, end, text });
  }
  return { xml: applyEdits(xml, edits), flaky, failedAgain };
}

function keyOf(id: number, classname: string, name: string): string {
  return `${id}\u0000${classname}\u0000${name}`;
}

/**
 * A failure element of at most about MAX_FAILURE_CHARS: its text (CDATA turned into escaped text)
 * cut on a character, never inside an entity, so the element stays well-formed.
 */
export function cutFailure(element: string, max: number = MAX_FAILURE_CHARS): string {
  if (element.length <= max) return element;
  const head = /^<(failure|error)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/.exec(element);
  if (head === null || head[3] === '/') return element.length <= max ? element : '<failure message="(failure cut by split-tests)"/>';
  const tag = head[1]!;
  const attrs = head[2]!.length > max / 2 ? ' message="(message cut by split-tests)"' : head[2]!;
  const body = element
    .slice(head[0].length)
    .replace(new RegExp(`</${tag}\\s*>$`), '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  // a body with elements of its own (rare) is not cut through: only its head is kept
  if (body.includes('<')) return `<${tag}${attrs}>… (cut by split-tests)</${tag}>`;
  let cut = body.slice(0, max);
  cut = cut.replace(/&[^;]*$/, '').replace(/[\uD800-\uDBFF]$/, '');
  return `<${tag}${attrs}>${cut}\n… (cut by split-tests)</${tag}>`;
}
