import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { compareCodeUnits } from '../paths.js';

export interface ReportInputs {
  /** Report files as the user sees them (relative to cwd when inside it), sorted, each once. */
  readonly paths: string[];
  readonly warnings: string[];
}

/**
 * Report arguments to files: a file is itself, a folder means every `*.xml` under it, anything
 * else is a glob. `exclude` (the merge's own output) is never an input, so merging a folder into a
 * file inside it twice does not merge the first result in again.
 */
/** `*.xml` files under a folder, skipping node_modules and dot folders (as the globs do). */
function xmlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.xml')) out.push(path);
    }
  };
  walk(dir);
  return out;
}

export async function expandReportInputs(args: readonly string[], options: { cwd: string; exclude?: readonly string[] }): Promise<ReportInputs> {
  const { cwd } = options;
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(cwd, p)));
  const found = new Map<string, string>();
  const warnings: string[] = [];
  const add = (path: string): void => {
    const absolute = resolve(cwd, path);
    if (excluded.has(absolute)) return;
    const shown = relative(cwd, absolute);
    found.set(absolute, shown === '' || shown.startsWith('..') ? absolute : shown);
  };
  for (const arg of args) {
    let kind: 'file' | 'dir' | undefined;
    try {
      const stat = statSync(resolve(cwd, arg));
      kind = stat.isDirectory() ? 'dir' : 'file';
    } catch {
      kind = undefined;
    }
    if (kind === 'file') {
      add(arg);
      continue;
    }
    if (kind === 'dir') {
      const before = found.size;
      for (const m of xmlFilesUnder(resolve(cwd, arg))) add(m);
      if (found.size === before) warnings.push(`${arg}: folder has no *.xml reports`);
      continue;
    }
    // fast-glob costs memory and startup: load it only for a pattern
    const { default: fg } = await import('fast-glob');
    if (!fg.isDynamicPattern(arg)) {
      throw new UserError(`${arg}: no such report file or folder`, { hint: 'pass JUnit XML files, folders that hold them, or a quoted glob like "reports/**/*.xml"' });
    }
    const matches = await fg(arg, { cwd, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'] });
    if (matches.length === 0) warnings.push(`'${arg}' matched no files`);
    for (const m of matches) add(m);
  }
  const paths = [...found.values()].sort(compareCodeUnits);
  return { paths, warnings };
}
