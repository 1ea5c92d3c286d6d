import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareCodeUnits } from '../paths.js';

/**
 * Turns a class-style key (pytest's `pkg.core.tests.test_arith`, `tests.test_cart.TestCart`, a
 * root module `test_top`) into the test file it names when that file exists under `root`, so
 * that `record` keys the history by the same path as `merge --record` and `--timings` do: the
 * longest dotted prefix `a.b.c` that is a file `a/b/c.<ext>`. Undefined when no such file exists.
 * Folder listings are read once each.
 */
export function createClassFileResolver(root: string): (key: string) => string | undefined {
  const listings = new Map<string, Map<string, string>>();
  const cache = new Map<string, string | undefined>();
  const filesIn = (dir: string): Map<string, string> => {
    let byStem = listings.get(dir);
    if (byStem !== undefined) return byStem;
    byStem = new Map();
    let names: string[] = [];
    try {
      names = readdirSync(join(root, dir), { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .sort(compareCodeUnits);
    } catch {
      // no such folder: nothing there
    }
    for (const name of names) {
      const dot = name.indexOf('.');
      // "test_arith.py" is the file of module test_arith; "a.b.py" is no module's file
      if (dot > 0 && dot === name.lastIndexOf('.') && !byStem.has(name.slice(0, dot))) byStem.set(name.slice(0, dot), name);
    }
    listings.set(dir, byStem);
    return byStem;
  };
  return (key) => {
    if (cache.has(key)) return cache.get(key);
    let found: string | undefined;
    const parts = key.split('.');
    if (!key.includes('/') && !key.includes('\\') && parts.every((part) => /^[\w-]+$/.test(part))) {
      for (let n = parts.length; n >= 1 && found === undefined; n--) {
        const dir = parts.slice(0, n - 1).join('/');
        const file = filesIn(dir).get(parts[n - 1]!);
        if (file !== undefined) found = dir === '' ? file : `${dir}/${file}`;
      }
    }
    cache.set(key, found);
    return found;
  };
}
