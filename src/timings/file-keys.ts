import { createFileMatcher } from '../junit/match.js';
import { cleanPath } from './clean-path.js';

/**
 * Maps a timing source's path for a file (a Knapsack key, a history entry) to one of the discovered
 * test files: the same path, else the discovered file that the key ends with (a report written on
 * another machine carries `/builds/acme/shop/spec/a_spec.rb` for `spec/a_spec.rb`), the longest
 * such file winning. A key without a slash may be a class name that a history recorded without a
 * file list (Surefire's `com.acme.CartTest`): the JUnit matcher maps it like a testcase's class.
 * Path-like keys never take that fuzzy route, so a deleted file's time never lands on another file.
 * Without discovered files every key is taken as it is.
 */
export function createKeyMapper(files: readonly string[]): (key: string) => string | undefined {
  if (files.length === 0) return (key) => cleanPath(key) || undefined;
  // Each discovered file under its own name, then under its normalised name where that is no other
  // file's: a POSIX name with a backslash (`a\\b.test.ts`) is not the file `a/b.test.ts`, so its
  // time must neither be lost nor land on that other file.
  const known = new Map<string, string>();
  for (const file of files) known.set(file, file);
  for (const file of files) {
    const clean = cleanPath(file);
    if (!known.has(clean)) known.set(clean, file);
  }
  const cache = new Map<string, string | undefined>();
  let byClass: ((loc: { classname: string }) => string | undefined) | undefined;
  return (key) => {
    // most keys are already clean paths: one probe before any normalising
    const exact = known.get(key);
    if (exact !== undefined) return exact;
    const path = cleanPath(key);
    const named = known.get(path);
    if (named !== undefined) return named;
    if (cache.has(path)) return cache.get(path);
    let found: string | undefined;
    // walk the key's suffixes longest first: "a/b/c.ts", "b/c.ts", "c.ts"
    for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
      const suffix = path.slice(cut + 1);
      if (known.has(suffix)) {
        found = known.get(suffix);
        break;
      }
    }
    if (found === undefined && !path.includes('/')) {
      byClass ??= createFileMatcher(files);
      found = byClass({ classname: key });
    }
    cache.set(path, found);
    return found;
  };
}
