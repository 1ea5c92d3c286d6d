import picomatch from 'picomatch';
import { UserError } from '../errors.js';
import type { GroupSpec } from './types.js';

/**
 * Feature groups: file -> group name, for the files that belong to one. A file in no group is an
 * item of its own.
 *
 * - `globs`: the first group, in config order, with a pattern that matches the file wins, so a
 *   file is never in two groups and the config author controls precedence.
 * - `dir` depth D: the group is the first D folders of the path (`spec/features/idv/a_spec.rb`
 *   with D = 2 is in `spec/features`). A file with fewer than D folders is not grouped: putting
 *   every shallow file into one catch-all group would tie unrelated files together.
 */
export function assignGroups(files: readonly string[], spec: GroupSpec): Map<string, string> {
  const result = new Map<string, string>();
  switch (spec.kind) {
    case 'none':
      return result;
    case 'dir': {
      if (!Number.isInteger(spec.depth) || spec.depth < 1) {
        throw new UserError(`--group-by-dir ${spec.depth}: depth must be a whole number of at least 1`, {
          hint: 'e.g. --group-by-dir 2 groups spec/features/a_spec.rb under spec/features',
        });
      }
      for (const file of files) {
        const group = dirGroup(file, spec.depth);
        if (group !== undefined) result.set(file, group);
      }
      return result;
    }
    case 'globs': {
      const matchers = spec.groups
        .filter((group) => group.patterns.length !== 0)
        .map((group) => ({
          name: group.name,
          // dot: test folders like `.storybook/` are ordinary paths here, not hidden files to skip
          isMatch: picomatch(group.patterns.map(stripDotSlash), { dot: true }),
        }));
      for (const file of files) {
        const group = matchers.find((m) => m.isMatch(file));
        if (group !== undefined) result.set(file, group.name);
      }
      return result;
    }
  }
}

function dirGroup(file: string, depth: number): string | undefined {
  let end = -1;
  for (let i = 0; i < depth; i++) {
    end = file.indexOf('/', end + 1);
    if (end === -1) return undefined;
  }
  return file.slice(0, end);
}

function stripDotSlash(pattern: string): string {
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}
