/**
 * Test file paths as the planner sees them: relative to the project root, POSIX separators, no
 * leading `./` or `/`. Sorting is by plain UTF-16 code units so every node and every locale agrees.
 */
export function normalisePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  // collapse "a//b" and "a/./b"; a leading "./" or "/" is dropped (knapsack reports carry both)
  p = p.replace(/\/{2,}/g, '/').replace(/(^|\/)\.(?=\/)/g, '$1').replace(/\/\.\//g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.startsWith('/')) p = p.slice(1);
  return p;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Normalises, de-duplicates and sorts by code units. */
export function sortPaths(paths: Iterable<string>): string[] {
  return [...new Set([...paths].map(normalisePath))].sort(compareCodeUnits);
}
