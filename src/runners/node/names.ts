import { joinedNameKey } from '../patterns.js';

/**
 * What node's --test-name-pattern can see of a test whose id (the shipped reporter's name) is
 * its describe titles and its own title joined with " > ". A test runs when the pattern matches
 * its own title or any enclosing describe's title (Node 20 and 22), or, from Node 22, the titles
 * of it or of an enclosing describe joined with spaces. A title may itself hold " > ", so where
 * the id splits is not known: each reading counts.
 */

/** Where " > " starts in an id, overlapping occurrences included. */
function joins(id: string): number[] {
  const out: number[] = [];
  for (let at = id.indexOf(' > '); at !== -1; at = id.indexOf(' > ', at + 1)) out.push(at);
  return out;
}

/** Every reading of the test's own title: the whole id, or what follows any " > ". */
export function ownTitles(id: string): string[] {
  return [...new Set([id, ...joins(id).map((at) => id.slice(at + 3))])];
}

/** Every reading of a title on the test's path (its own or an enclosing describe's). */
export function pathTitles(id: string): string[] {
  const starts = [0, ...joins(id).map((at) => at + 3)];
  const ends = [...joins(id), id.length];
  const out = new Set<string>();
  for (const start of starts) for (const end of ends) if (end > start || (end === start && id === '')) out.add(id.slice(start, end));
  return [...out];
}

/** Keys (patterns.joinedNameKey) of every reading of the space-joined names node 22 also matches. */
export function pathNameKeys(id: string): string[] {
  return [...new Set([...joins(id), id.length].map((end) => joinedNameKey(id.slice(0, end))))];
}

/** Whether selecting `selected` by its own titles may also run `other` (on Node 20 or 22). */
export function selectsToo(selected: string, other: string): boolean {
  const titles = new Set(pathTitles(other));
  const keys = new Set(pathNameKeys(other));
  return ownTitles(selected).some((title) => titles.has(title) || keys.has(joinedNameKey(title)));
}
