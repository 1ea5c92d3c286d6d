import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { sortByCodeUnits } from '../code-unit-sort.js';
import { normaliseTestPath } from '../paths.js';
import { mayNeedNormalising } from '../timings/clean-path.js';
import { createLinkGuard } from './glob-links.js';

export interface DiscoverInput {
  /** Positional test globs; win over everything else. */
  readonly globs?: readonly string[] | undefined;
  /** `--files-from FILE|-`: used when no globs are given. */
  readonly filesFrom?: string | undefined;
  /** Config `tests`, relative to `root`: used when neither of the above is given. */
  readonly configTests?: readonly string[] | undefined;
  /** Config `ignore`: extra globs never treated as tests. */
  readonly ignore?: readonly string[] | undefined;
  readonly cwd: string;
  /** The config file's folder (defaults to cwd). */
  readonly root?: string | undefined;
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /** What a folder given as a test glob stands for (a runner preset's pattern); default testFilePatterns(). */
  readonly testPattern?: readonly string[] | undefined;
}

/**
 * The test files a folder given where globs are expected (`split-tests --shard 1/4 tests/`, the
 * pytest habit) stands for: a runner preset's own pattern when one is given, else the usual names
 * of JavaScript/TypeScript, Python, Ruby and Go test files. The one place that default lives.
 */
export function testFilePatterns(presetPattern?: readonly string[]): readonly string[] {
  if (presetPattern !== undefined && presetPattern.length > 0) return presetPattern;
  return DEFAULT_TEST_PATTERNS;
}

const DEFAULT_TEST_PATTERNS: readonly string[] = [
  '**/*.{test,spec}.{js,jsx,mjs,cjs,ts,tsx,mts,cts}',
  '**/{test_*,*_test}.py',
  '**/*_spec.rb',
  '**/*_test.{rb,go}',
];

export interface DiscoveredFiles {
  /** Normalised, de-duplicated, sorted by code units. */
  readonly files: string[];
  /** Where the list came from, for narration: "globs", "--files-from", "config tests". */
  readonly source: string;
  readonly warnings: string[];
}

const ALWAYS_IGNORED = ['**/node_modules/**'];

const HINT = 'pass test globs (quoted, e.g. \'test/**/*.test.ts\'), --files-from FILE, or "tests" in split-tests.config.json';

/**
 * The test files: positional globs, else `--files-from`, else the config's `tests`. Globbing skips
 * node_modules and dot folders and returns files only. A list given with --files-from is taken as
 * is (after normalising): the caller may plan files that are not checked out on this machine.
 */
export async function discoverFiles(input: DiscoverInput): Promise<DiscoveredFiles> {
  const warnings: string[] = [];
  let files: string[];
  let source: string;
  if (input.globs !== undefined && input.globs.length > 0) {
    source = 'test globs';
    files = await globAll(input.globs, input.cwd, input.cwd, input.ignore ?? [], warnings, testFilePatterns(input.testPattern));
  } else if (input.filesFrom !== undefined) {
    source = `--files-from ${input.filesFrom}`;
    files = parseFileList(await readFileList(input.filesFrom, input.cwd, input.stdin)).map((f) => underCwd(f, input.cwd));
  } else if (input.configTests !== undefined && input.configTests.length > 0) {
    source = 'config "tests"';
    files = await globAll(input.configTests, input.root ?? input.cwd, input.cwd, input.ignore ?? [], warnings, testFilePatterns(input.testPattern));
  } else {
    throw new UserError('no test files given', { hint: HINT });
  }
  const sorted = normaliseAndSort(files);
  // a list read line by line cannot hold a line break; a glob can find one in a file's name
  if (!source.startsWith('--files-from')) refuseLineBreaks(sorted);
  if (sorted.length === 0) {
    const what =
      source === 'test globs' ? `test glob${input.globs!.length > 1 ? 's' : ''} ${quoteList(input.globs!)}` : source;
    throw new UserError(`no test files found: ${what} matched nothing`, { hint: HINT });
  }
  return { files: sorted, source, warnings };
}

function quoteList(patterns: readonly string[]): string {
  const shown = patterns.slice(0, 3).map((p) => `'${p}'`).join(', ');
  return patterns.length > 3 ? `${shown} and ${patterns.length - 3} more` : shown;
}

/**
 * Same result as sortPaths (src/paths.ts) minus empty paths: sorted by UTF-16 code units, the order
 * DESIGN.md asks for, with the multikey quicksort of code-unit-sort.ts (faster than a comparator,
 * and than the default sort, on paths with long shared prefixes).
 */
export function normaliseAndSort(paths: readonly string[], windows = process.platform === 'win32'): string[] {
  const unique = new Set<string>();
  for (const path of paths) {
    const p = mayNeedNormalising(path) ? normaliseTestPath(path, windows) : path;
    if (p !== '') unique.add(p);
  }
  const list = [...unique];
  // lists from `git ls-files` or an earlier run usually come sorted: checking is linear
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return sortByCodeUnits(list);
  return list;
}

async function globAll(
  patterns: readonly string[],
  globCwd: string,
  outputCwd: string,
  ignore: readonly string[],
  warnings: string[],
  testPattern: readonly string[],
): Promise<string[]> {
  // loaded here, not at startup: a --files-from run never globs, and fast-glob costs ~50 ms to load
  const { default: fg } = await import('fast-glob');
  const guard = createLinkGuard(globCwd);
  const windows = process.platform === 'win32';
  const results = await Promise.all(
    patterns.map(async (raw) => {
      const pattern = process.platform === 'win32' ? raw.replace(/\\/g, '/') : raw;
      const folder = fg.isDynamicPattern(pattern) ? undefined : await folderAt(resolve(globCwd, pattern));
      // a folder stands for the test files under it
      const globs = folder === undefined ? [pattern] : testPattern.map((p) => `${fg.escapePath(pattern.replace(/\/+$/, ''))}/${p}`);
      const matches = await fg(globs, {
        cwd: globCwd,
        ignore: [...ALWAYS_IGNORED, ...ignore],
        onlyFiles: true,
        dot: false,
        unique: true,
        fs: guard.fs,
      });
      return { matches, folder: folder !== undefined };
    }),
  );
  if (guard.skipped.size > 0) {
    const links = [...guard.skipped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const shown = links.slice(0, 3).map(([link, target]) => `${link} -> ${target}`).join(', ');
    warnings.push(
      `not following ${links.length} folder link${links.length === 1 ? '' : 's'} that lead${links.length === 1 ? 's' : ''} back into the project (${shown}${links.length > 3 ? ', ...' : ''}): the files there are globbed once, where they are`,
    );
  }
  const out: string[] = [];
  const found = new Set<string>();
  results.forEach(({ matches, folder }, i) => {
    if (matches.length === 0) {
      if (folder) {
        throw new UserError(`test glob '${patterns[i]}' is a folder and holds no files matching ${testPattern.map((p) => `'${p}'`).join(', ')}`, {
          hint: `pass a glob for its test files instead, e.g. '${patterns[i]!.replace(/\/+$/, '')}/**/*.test.ts'`,
        });
      }
      warnings.push(`test glob '${patterns[i]}' matched no files`);
    }
    for (const match of matches) {
      const path = toOutputPath(match, globCwd, outputCwd);
      out.push(path);
      if (guard.fileLinks.size > 0) found.add(normaliseTestPath(path, windows));
    }
  });
  if (guard.fileLinks.size === 0) return out;
  // a file link to a file that is listed anyway: the same file twice, under two names
  return out.filter((path) => {
    const target = guard.fileLinks.get(resolve(outputCwd, path));
    return target === undefined || !found.has(normaliseTestPath(toOutputPath(target, globCwd, outputCwd), windows));
  });
}

async function folderAt(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isDirectory() ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Paths are printed relative to where the user runs the command, so they can go straight to a runner. */
function toOutputPath(match: string, globCwd: string, outputCwd: string): string {
  if (isAbsolute(match)) return relative(outputCwd, match);
  if (globCwd === outputCwd) return match;
  return relative(outputCwd, resolve(globCwd, match));
}

/**
 * One name a line is what `split-tests --shard` prints and what `--files-from` reads: a name with
 * a line break would come out as two names, neither of them a file. Refused, naming the file.
 */
function refuseLineBreaks(files: readonly string[]): void {
  const broken = files.find((file) => /[\n\r]/.test(file));
  if (broken === undefined) return;
  throw new UserError(`test file name with a line break: ${JSON.stringify(broken)}`, {
    hint: 'file lists hold one name a line: rename the file, or leave it out with "ignore" in split-tests.config.json',
  });
}

/**
 * An absolute path inside cwd (e.g. from `find $PWD -name ...`) becomes relative to cwd; any other
 * absolute path (a file outside the project) cannot be made relative and is kept as it is.
 */
function underCwd(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function readFileList(from: string, cwd: string, stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  if (from === '-') {
    const stream = stdin ?? process.stdin;
    if (stdin === undefined && process.stdin.isTTY) {
      throw new UserError('--files-from -: stdin is a terminal, not a list', { hint: "pipe the list in, e.g. git ls-files '*.test.ts' | split-tests --files-from - ..." });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(cwd, from), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, expected a file' : `cannot read (${code ?? String(error)})`;
    throw new UserError(`--files-from ${from}: ${what}`, { hint: 'pass a file with one test path per line, or - to read stdin', cause: error });
  }
}

/** One path per line; blank lines and lines starting with `#` are skipped; CRLF tolerated. */
export function parseFileList(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    out.push(trimmed);
  }
  return out;
}
