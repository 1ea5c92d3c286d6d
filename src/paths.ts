/**
 * Test file paths as the planner sees them: relative to the project root, POSIX separators, no
 * leading `./` or `/`. Sorting is by plain UTF-16 code units so every node and every locale agrees.
 */
export function normalisePath(path: string): string {
  // "a//b", "a/./b", a leading "./" or "/" (knapsack reports carry both) and "\\" all collapse;
  // ".." is kept as written: resolving it would need the file system.
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/**
 * A test file's path as discovery hands it on (globs, --files-from): like normalisePath, but it
 * never turns one file's name into another's. An absolute path that cannot be made relative (a
 * file outside the project) keeps its leading "/", and a backslash is a separator only on Windows:
 * on POSIX systems it is part of a file name (`a\\b.test.ts` is one file in the current folder).
 */
export function normaliseTestPath(path: string, windows: boolean): string {
  const slashed = windows ? path.replace(/\\/g, '/') : path;
  const body = slashed
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
  return slashed.startsWith('/') && body !== '' ? `/${body}` : body;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Normalises, de-duplicates and sorts by code units. */
export function sortPaths(paths: Iterable<string>): string[] {
  return [...new Set([...paths].map(normalisePath))].sort(compareCodeUnits);
}
