import { normalisePath } from '../paths.js';
import { nodeFileOfCase } from './node-file.js';
import type { CaseLocation } from './types.js';

/**
 * Maps JUnit testcases to the project's test files. Producers say where a case lives in different
 * ways: a `file` attribute (vitest, playwright, jest-junit with addFileAttribute, rspec, pytest),
 * a suite named after the file (vitest, jest, playwright, node:test), or only a class name
 * (Surefire `com.acme.cart.CartTest`, pytest `tests.test_cart.TestCart`, rspec `Cart::CheckoutSpec`).
 * Every lookup is a hash probe in indexes built once, so 100k cases cost no more than 100k probes.
 */

/** Marks a key that more than one file claims: guessing between them would mis-attribute time. */
const AMBIGUOUS = Symbol('ambiguous');
type Index = Map<string, string | typeof AMBIGUOUS>;

function put(index: Index, key: string, file: string): void {
  if (key === '') return;
  const existing = index.get(key);
  if (existing === undefined) index.set(key, file);
  else if (existing !== file) index.set(key, AMBIGUOUS);
}

function get(index: Index, key: string): string | undefined {
  const found = index.get(key);
  return found === AMBIGUOUS ? undefined : found;
}

/** "a/b/c.ts" → ["a/b/c.ts", "b/c.ts", "c.ts"]: every tail that starts at a path segment. */
function tails(path: string): string[] {
  const out = [path];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) out.push(path.slice(i + 1));
  return out;
}

/** The path without its extensions: "spec/cart_spec.rb" → "spec/cart_spec", "a/cart.test.ts" → "a/cart". */
function stems(path: string): string[] {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const out: string[] = [];
  // "cart.test.ts" gives "cart.test" and "cart"; a leading dot is part of the name
  for (let dot = base.lastIndexOf('.'); dot > 0; dot = base.lastIndexOf('.', dot - 1)) out.push(dir + base.slice(0, dot));
  return out;
}

/**
 * A key that forgets how a class name spells a file name: case, `_` and `-`. `Cart::CheckoutSpec`
 * and `cart/checkout_spec.rb` meet at "cart/checkoutspec".
 */
function loose(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Class-name spellings of a path: dots and `::` separate packages/modules. */
function classPath(name: string): string {
  return name
    .trim()
    .replace(/\[.*$/, '') // parametrised ids: "test_x[1-2]"
    .replace(/\$.*$/, '') // Java nested classes: "CartTest$Inner"
    .replace(/::/g, '/')
    .replace(/\./g, '/')
    .replace(/^\/+|\/+$/g, '');
}

export function createFileMatcher(files: readonly string[]): (loc: CaseLocation) => string | undefined {
  const exact: Index = new Map();
  const suffix: Index = new Map();
  const stem: Index = new Map();
  const looseStem: Index = new Map();
  const seen = new Set<string>();
  for (const file of files) {
    const path = normalisePath(file);
    // "./a.ts" and "a.ts" are one file: the first spelling is the one returned
    if (seen.has(path)) continue;
    seen.add(path);
    put(exact, path, file);
    for (const tail of tails(path)) put(suffix, tail, file);
    for (const s of stems(path)) {
      for (const tail of tails(s)) {
        put(stem, tail, file);
        put(looseStem, loose(tail), file);
      }
    }
  }

  const byPath = (candidate: string): string | undefined => {
    const path = normalisePath(candidate.trim());
    const found = get(exact, path) ?? get(suffix, path);
    if (found !== undefined) return found;
    // the candidate may be the longer one: an absolute path, or a monorepo package prefix
    for (const tail of tails(path).slice(1)) {
      const inner = get(exact, tail);
      if (inner !== undefined) return inner;
    }
    return undefined;
  };

  /** Class names: the longest package prefix that names a file ("tests.test_cart.TestCart" → tests/test_cart). */
  const byClass = (candidate: string, index: Index, key: (s: string) => string): string | undefined => {
    const segments = classPath(candidate).split('/').filter((s) => s !== '');
    for (let n = segments.length; n >= 1; n--) {
      const found = get(index, key(segments.slice(0, n).join('/')));
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const snake = (s: string): string => s.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();

  const cache = new Map<string, string | undefined>();

  const resolve = (loc: CaseLocation): string | undefined => {
    // pytest names where an inherited test is defined, not the test file that ran it (node-file.ts)
    if (nodeFileOfCase(loc) !== undefined) {
      const found = byClass(loc.classname!.trim(), stem, (s) => s);
      if (found !== undefined) return found;
    }
    if (loc.file !== undefined && loc.file.trim() !== '') {
      const found = byPath(loc.file);
      if (found !== undefined) return found;
    }
    // innermost suite first: it is the most specific name a producer gave
    const names: string[] = [];
    for (let i = (loc.suites?.length ?? 0) - 1; i >= 0; i--) {
      const suite = loc.suites![i]!;
      if (suite.trim() !== '') names.push(suite);
    }
    if (loc.classname !== undefined && loc.classname.trim() !== '') names.unshift(loc.classname);
    for (const name of names) {
      const found = byPath(name);
      if (found !== undefined) return found;
    }
    for (const name of names) {
      const found = byClass(name, stem, (s) => s) ?? byClass(name, stem, snake) ?? byClass(name, looseStem, loose);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  return (loc) => {
    const key = `${loc.file ?? ''}\u0000${loc.classname ?? ''}\u0000${(loc.suites ?? []).join('\u0000')}`;
    if (cache.has(key)) return cache.get(key);
    const found = resolve(loc);
    // cases of one file repeat the same location; bound the cache so a huge report cannot grow it forever
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, found);
    return found;
  };
}
