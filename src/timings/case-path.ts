import { normalisePath } from '../paths.js';
import { createClassFileResolver } from './class-file.js';
import type { CaseLocation } from '../junit/types.js';
import { nodeFileOfCase } from '../junit/node-file.js';

/**
 * The test file a JUnit testcase belongs to when no discovered files are known to match against
 * (`record` without a file list): the `file` attribute (of the case or an enclosing suite), else
 * the innermost suite or the class name that reads as a path (vitest, jest, playwright and Go name
 * suites after the file or package), else the class name when it is one (Surefire
 * `com.acme.CartTest`, pytest `tests.test_cart.TestCart`, rspec `Cart::CheckoutSpec`: a stable
 * key that `--timings` later maps to the file like a testcase's class), else the outermost suite's
 * name. A "class name" with spaces is a sentence (jest-junit's default "{classname} {title}") and
 * one without a package is a label (node:test writes "test" for every case): neither is a key.
 */
export function pathOfCase(c: CaseLocation): string | undefined {
  if (c.file !== undefined && c.file.trim() !== '') return normalisePath(c.file.trim()) || undefined;
  for (const candidate of [...[...(c.suites ?? [])].reverse(), c.classname]) {
    if (candidate !== undefined && /[/\\]/.test(candidate)) return normalisePath(candidate.trim()) || undefined;
  }
  // a nested class is its outer class's file: "CheckoutIT$CardPayments" is CheckoutIT
  const classname = c.classname?.trim().replace(/\$.*$/, '');
  if (classname && !/\s/.test(classname) && /\.|::/.test(classname)) return classname;
  const suite = c.suites?.find((name) => name.trim() !== '')?.trim();
  return suite ? normalisePath(suite) : classname || undefined;
}

/**
 * The path a case names for its file (its `file` attribute, else a suite or class name that reads
 * as a path), or undefined when it names none: node:test's "test" is a class label, not a file.
 */
export function locationPath(c: CaseLocation): string | undefined {
  if (c.file !== undefined && c.file.trim() !== '') return c.file.trim();
  return [...[...(c.suites ?? [])].reverse(), c.classname].find((name) => name !== undefined && /[/\\]/.test(name))?.trim();
}

/** What to call a case's location in "could not map" messages: its path, else what it names instead. */
export function locationLabel(c: CaseLocation): string {
  const path = locationPath(c);
  if (path !== undefined) return path;
  if (c.classname?.trim()) return `class ${c.classname.trim()}`;
  const suite = c.suites?.findLast((name) => name.trim() !== '');
  if (suite !== undefined) return `suite ${suite.trim()}`;
  return c.name?.trim() ? `testcase ${c.name.trim()}` : '(unnamed testcase)';
}

/** A testcase's identity within a run: repeated by a later run of the same suite, never by another shard. */
export function caseIdentity(c: CaseLocation): string {
  // NUL never occurs in XML text, so the joined parts cannot collide
  return `${c.file ?? ''}\u0000${c.classname ?? ''}\u0000${(c.suites ?? []).join('\u0001')}\u0000${c.name ?? ''}`;
}

/**
 * pathOfCase for reports written in this checkout: an absolute path under `root` (jest's and
 * some Surefire setups' `file` attributes) becomes relative to it, so the history is keyed by the
 * same path on every machine; a class name that names a file under `root` (pytest's
 * `pkg.core.tests.test_arith`) becomes that file, the key `merge --record` and a file list give;
 * a bare class label that names no file (node:test's "test" on every case) is no key at all.
 */
export function createCasePath(root: string): (c: CaseLocation) => string | undefined {
  const prefix = `${normalisePath(root)}/`;
  const fileOfClass = createClassFileResolver(root);
  return (c) => {
    // pytest names where an inherited test is defined, not the test file that ran it (node-file.ts)
    if (nodeFileOfCase(c) !== undefined) {
      const fromClass = fileOfClass(c.classname!.trim());
      if (fromClass !== undefined) return fromClass;
    }
    const path = pathOfCase(c);
    if (path === undefined) return undefined;
    if (prefix !== '/' && path.startsWith(prefix)) return path.slice(prefix.length);
    if (path.includes('/')) return path;
    // the class first: a root module's "test_top" gives way to pytest's suite name in pathOfCase
    const classname = c.classname?.trim();
    const file = (classname ? fileOfClass(classname) : undefined) ?? fileOfClass(path);
    if (file !== undefined) return file;
    const bareClass = path === classname && !/\.|::/.test(path);
    return bareClass ? undefined : path;
  };
}
