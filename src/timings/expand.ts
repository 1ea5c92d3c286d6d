import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { compareCodeUnits } from '../paths.js';
import { SHARD_META_SUFFIX } from '../run/shard-meta.js';

export interface TimingSource {
  /** The path as the user sees it: relative to cwd with POSIX separators, or as given. */
  readonly source: string;
  readonly absolute: string;
}

export interface ExpandedSources {
  /** Sorted by `source` in code units, each file once. */
  readonly sources: TimingSource[];
  readonly warnings: string[];
}

// what a folder given as a timings source may hold; sidecars are the runner's notes, not timings
const FOLDER_PATTERNS = ['**/*.xml', '**/*.json', '**/.test_durations'];
const IGNORE = ['**/node_modules/**'];

/**
 * Expands `--timings` arguments: a path that exists is used as it is (a folder stands for the
 * reports and JSON files under it), anything else is a fast-glob pattern relative to `cwd`.
 * A pattern that matches nothing is a warning, not an error: the first run of a pipeline has no
 * timings yet and must still split (by count).
 */
export async function expandTimingPatterns(
  patterns: readonly string[],
  cwd: string,
  /** What a folder stands for, and how warnings name the option. */
  options: { readonly folderPatterns?: readonly string[]; readonly label?: string } = {},
): Promise<ExpandedSources> {
  const folderPatterns = [...(options.folderPatterns ?? FOLDER_PATTERNS)];
  const label = options.label ?? '--timings';
  const byAbsolute = new Map<string, TimingSource>();
  const warnings: string[] = [];
  const add = (absolute: string, source: string): void => {
    if (!byAbsolute.has(absolute)) byAbsolute.set(absolute, { absolute, source });
  };
  for (const pattern of patterns) {
    if (pattern.trim() === '') continue;
    const absolute = resolve(cwd, pattern);
    const kind = await statKind(absolute);
    if (kind === 'file') {
      add(absolute, displayPath(pattern, absolute, cwd));
      continue;
    }
    const matches =
      kind === 'dir'
        ? await fg(folderPatterns, { cwd: absolute, ignore: [...IGNORE, `**/*${SHARD_META_SUFFIX}`], onlyFiles: true, dot: false })
        : await fg(toGlob(pattern), { cwd, ignore: IGNORE, onlyFiles: true, absolute: false });
    const base = kind === 'dir' ? absolute : cwd;
    const files = matches.filter((m) => kind === 'dir' || !m.endsWith(SHARD_META_SUFFIX));
    if (files.length === 0) {
      warnings.push(`${label} '${pattern}' matched no ${kind === 'dir' ? 'report files in that folder' : 'files'}`);
      continue;
    }
    for (const match of files) {
      const abs = resolve(base, match);
      add(abs, displayPath(match, abs, cwd));
    }
  }
  const sources = [...byAbsolute.values()].sort((a, b) => compareCodeUnits(a.source, b.source) || compareCodeUnits(a.absolute, b.absolute));
  return { sources, warnings };
}

async function statKind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/** fast-glob wants forward slashes; a Windows user's `reports\*.xml` means the same. */
function toGlob(pattern: string): string {
  return process.platform === 'win32' ? pattern.replace(/\\/g, '/') : pattern;
}

function displayPath(given: string, absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  if (isAbsolute(given) && (rel.startsWith('..') || isAbsolute(rel))) return absolute.replace(/\\/g, '/');
  return rel.replace(/\\/g, '/');
}
