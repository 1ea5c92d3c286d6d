import { isAbsolute, relative, resolve } from 'node:path';
import { renderJUnit } from '../junit-xml.js';

/**
 * A node:test reporter (`node --test --test-reporter=split-tests/node-test-reporter
 * --test-reporter-destination=junit.xml`) that writes JUnit with a `file` attribute on every
 * testcase. Node's own junit reporter writes no file and `classname="test"`, so its reports cannot
 * be mapped to test files. The file is the test file node runs, not the module whose test() call
 * made the test: node reports a shared helper's tests under the helper, so a test belongs to the
 * test file node last started (node reports each file's tests together, in file order) unless
 * the event names a test file itself.
 */

/** Node 20's skip reason for a test --test-name-pattern does not select (lib/internal/test_runner/test.js). */
const PATTERN_SKIP = 'test name does not match pattern';

interface TestEventData {
  readonly name: string;
  readonly nesting: number;
  readonly file?: string | undefined;
  readonly skip?: string | boolean | undefined;
  readonly todo?: string | boolean | undefined;
  readonly details?: {
    readonly duration_ms?: number | undefined;
    readonly type?: string | undefined;
    readonly error?: (Error & { failureType?: string; cause?: unknown }) | undefined;
  };
}

interface TestEvent {
  readonly type: string;
  readonly data: TestEventData;
}

interface Case {
  readonly file: string;
  readonly name: string;
  readonly seconds: number;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly message?: string | undefined;
  readonly detail?: string | undefined;
}

/** The reporter: node passes the run's events and writes what it yields to the destination. */
export default async function* junitReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const cwd = process.cwd();
  const started = new Date();
  const testFiles = new Set<string>();
  const stacks = new Map<string, string[]>();
  const cases: Case[] = [];
  /** Per test file, its whole run as node timed it (its own process: start-up and import too). */
  const fileSeconds = new Map<string, number>();
  let current: string | undefined;

  const fileOf = (data: TestEventData): string | undefined => {
    const file = data.file === undefined ? undefined : resolve(cwd, data.file);
    if (file !== undefined && (testFiles.has(file) || current === undefined)) return file;
    return current ?? file;
  };
  /** The event node emits for a whole test file: nesting 0, named after the file. */
  const isFileEvent = (data: TestEventData): boolean =>
    data.nesting === 0 && data.file !== undefined && resolve(cwd, data.name) === resolve(cwd, data.file);

  for await (const event of source) {
    const { type, data } = event;
    if (isFileEvent(data) && data.details?.duration_ms !== undefined) fileSeconds.set(resolve(cwd, data.file!), data.details.duration_ms / 1000);
    if (type === 'test:dequeue' || type === 'test:start') {
      if (isFileEvent(data)) {
        current = resolve(cwd, data.file!);
        testFiles.add(current);
        continue;
      }
      if (type === 'test:start') {
        const file = fileOf(data);
        if (file === undefined) continue;
        const stack = stacks.get(file) ?? [];
        stack.length = data.nesting;
        stack.push(data.name);
        stacks.set(file, stack);
      }
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    const file = fileOf(data);
    if (file === undefined) continue;
    const error = data.details?.error;
    if (isFileEvent(data)) {
      // the file itself failed (it would not load, or exited early): one errored case names it
      if (type === 'test:fail') cases.push(failed(file, pathOf(file, cwd), data, error));
      continue;
    }
    if (data.details?.type === 'suite') {
      // a suite fails when its tests do (reported on their own) or when a hook of its own failed
      if (type === 'test:fail' && error?.failureType !== 'subtestsFailed') cases.push(failed(file, fullName(stacks, file, data), data, error));
      continue;
    }
    // Node 20 reports the tests --test-name-pattern leaves out as skipped (Node 22 leaves them out):
    // they were not selected, so a selective run's report holds only what it ran
    if (data.skip === PATTERN_SKIP) continue;
    const name = fullName(stacks, file, data);
    const seconds = (data.details?.duration_ms ?? 0) / 1000;
    if (data.skip !== undefined && data.skip !== false) cases.push({ file, name, seconds, status: 'skipped', message: reason(data.skip) });
    else if (data.todo !== undefined && data.todo !== false) cases.push({ file, name, seconds, status: 'skipped', message: reason(data.todo) });
    else if (type === 'test:pass') cases.push({ file, name, seconds, status: 'passed' });
    else cases.push(failed(file, name, data, error));
  }
  yield render(cases, fileSeconds, cwd, started);
}

function reason(value: string | boolean): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fullName(stacks: Map<string, string[]>, file: string, data: TestEventData): string {
  const stack = stacks.get(file) ?? [];
  return [...stack.slice(0, data.nesting), data.name].join(' > ');
}

function failed(file: string, name: string, data: TestEventData, error: (Error & { cause?: unknown }) | undefined): Case {
  const cause = error?.cause instanceof Error ? error.cause : error;
  return {
    file,
    name,
    seconds: (data.details?.duration_ms ?? 0) / 1000,
    status: 'failed',
    message: cause?.message ?? 'failed',
    detail: cause?.stack ?? cause?.message ?? '',
  };
}

function pathOf(file: string, cwd: string): string {
  const rel = isAbsolute(file) ? relative(cwd, file) : file;
  return rel.split('\\').join('/');
}

function render(cases: readonly Case[], fileSeconds: ReadonlyMap<string, number>, cwd: string, started: Date): string {
  const byFile = new Map<string, Case[]>();
  for (const c of cases) {
    const list = byFile.get(c.file) ?? [];
    list.push(c);
    byFile.set(c.file, list);
  }
  const suites = [...byFile].map(([absolute, list]) => {
    const file = pathOf(absolute, cwd);
    // the suite's time is the file's whole run, as jest-junit's is: what it cost beyond its tests (walls.ts)
    const whole = fileSeconds.get(absolute);
    const tests = list.reduce((sum, c) => sum + c.seconds, 0);
    return { name: file, file, cases: list.map((c) => ({ ...c, classname: file })), ...(whole !== undefined && whole > tests ? { seconds: whole } : {}) };
  });
  return renderJUnit('node:test', suites, started);
}
