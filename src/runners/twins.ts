import type { RunnerPreset } from './types.js';

/**
 * Which of a file's tests a runner's name filter cannot tell apart ("twins"): selecting or
 * excluding one of a group may also run or skip the others. Pure helpers the presets'
 * `indistinguishable` capability is made of, and `selectionGroups`, what callers ask.
 */

/** Groups (two or more ids each) of ids with equal keys. */
export function groupsByKey(tests: readonly string[], key: (test: string) => string): string[][] {
  const byKey = new Map<string, string[]>();
  for (const test of new Set(tests)) {
    const k = key(test);
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [test]);
    else list.push(test);
  }
  return [...byKey.values()].filter((group) => group.length > 1);
}

/** Groups (two or more ids each) of ids connected by `related` (taken both ways), as connected components. */
export function connectedGroups(tests: readonly string[], related: (a: string, b: string) => boolean): string[][] {
  const ids = [...new Set(tests)];
  const parent = ids.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      if (root(a) !== root(b) && (related(ids[a]!, ids[b]!) || related(ids[b]!, ids[a]!))) parent[root(a)] = root(b);
    }
  }
  const groups = new Map<number, string[]>();
  for (const [i, id] of ids.entries()) {
    const list = groups.get(root(i));
    if (list === undefined) groups.set(root(i), [id]);
    else list.push(id);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/**
 * A file's known tests as groups that the preset's selection keeps apart: every id in exactly one
 * group, in first-seen order, twins together. A slice made of whole groups selects exactly its own
 * tests among the known ones.
 */
export function selectionGroups(preset: Pick<RunnerPreset, 'indistinguishable'>, tests: readonly string[]): string[][] {
  const ids = [...new Set(tests)];
  const twins = preset.indistinguishable?.(ids) ?? [];
  const groupOf = new Map<string, string[]>();
  for (const group of twins) for (const id of group) groupOf.set(id, group);
  const out: string[][] = [];
  const seen = new Set<string[]>();
  for (const id of ids) {
    const group = groupOf.get(id);
    if (group === undefined) out.push([id]);
    else if (!seen.has(group)) {
      seen.add(group);
      out.push([...group]);
    }
  }
  return out;
}
