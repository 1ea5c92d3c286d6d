import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SplitTestsConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { editDistance } from './did-you-mean.js';
import { MAX_SHARDS } from '../plan/shard-spec.js';

export const CONFIG_FILE_NAME = 'split-tests.config.json';

export interface LoadedConfig {
  readonly config: SplitTestsConfig;
  /** The file the config came from; undefined when there is none. */
  readonly path?: string | undefined;
  /** Folder that relative globs and paths in the config are resolved against. */
  readonly root: string;
}

/**
 * `--config FILE`, else `split-tests.config.json` in cwd, else the `"split-tests"` key of cwd's
 * package.json, else an empty config. Checked at the boundary; after this the types are trusted.
 */
export async function loadConfig(options: { cwd: string; path?: string | undefined }): Promise<LoadedConfig> {
  if (options.path !== undefined) {
    const path = resolve(options.cwd, options.path);
    const text = await readText(path, `--config ${options.path}`);
    if (text === undefined) {
      throw new UserError(`--config ${options.path}: file not found`, { hint: `create it or fix the path (resolved to ${path})` });
    }
    const parsed = parseJson(text, options.path);
    // `--config package.json` means its "split-tests" key, as when it is found on its own
    if (basename(path) === 'package.json') {
      const section = isRecord(parsed) ? parsed['split-tests'] : undefined;
      if (section === undefined) {
        throw new UserError(`--config ${options.path}: no "split-tests" key`, { hint: 'add a "split-tests" object to it, or use split-tests.config.json' });
      }
      return { config: validateConfig(section, `${options.path} "split-tests"`), path, root: dirname(path) };
    }
    return { config: validateConfig(parsed, options.path), path, root: dirname(path) };
  }
  const own = resolve(options.cwd, CONFIG_FILE_NAME);
  const ownText = await readText(own, CONFIG_FILE_NAME);
  if (ownText !== undefined) {
    return { config: validateConfig(parseJson(ownText, CONFIG_FILE_NAME), CONFIG_FILE_NAME), path: own, root: options.cwd };
  }
  const pkg = resolve(options.cwd, 'package.json');
  const pkgText = await readText(pkg, 'package.json');
  if (pkgText !== undefined) {
    const parsed = parseJson(pkgText, 'package.json');
    if (isRecord(parsed) && parsed['split-tests'] !== undefined) {
      const label = 'package.json "split-tests"';
      return { config: validateConfig(parsed['split-tests'], label), path: pkg, root: options.cwd };
    }
  }
  return { config: {}, root: options.cwd };
}

async function readText(path: string, label: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new UserError(`${label}: is a folder, expected a JSON file`);
    throw new UserError(`${label}: cannot read (${code ?? String(error)})`, { cause: error });
  }
}

/** JSON.parse with the error turned into `file:line:col: message`. */
export function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    let where = '';
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    const position = /position (\d+)/.exec(message);
    if (lineCol) where = `:${lineCol[1]}:${lineCol[2]}`;
    else if (position) where = lineColumnAt(text, Number(position[1]));
    const what = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new UserError(`${label}${where}: invalid JSON: ${what}`, { hint: 'fix the JSON syntax (no comments or trailing commas)' });
  }
}

function lineColumnAt(text: string, offset: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return `:${line}:${column}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- validation ------------------------------------------------------------------------------

type Check = (value: unknown, key: string, label: string) => void;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function fail(label: string, key: string, expected: string, value: unknown): never {
  throw new UserError(`${label}: "${key}" must be ${expected}, got ${describe(value)}`, {
    hint: `fix "${key}" in ${label.replace(/ ".*"$/, '')}`,
  });
}

const nonEmptyString: Check = (value, key, label) => {
  if (typeof value !== 'string' || value.trim() === '') fail(label, key, 'a non-empty string', value);
};

const stringList: Check = (value, key, label) => {
  if (!Array.isArray(value)) fail(label, key, 'an array of strings', value);
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') fail(label, `${key}[${i}]`, 'a non-empty string', item);
  });
};

const nonEmptyStringList: Check = (value, key, label) => {
  stringList(value, key, label);
  if ((value as unknown[]).length === 0) fail(label, key, 'a non-empty array of strings', value);
};

const boolean: Check = (value, key, label) => {
  if (typeof value !== 'boolean') fail(label, key, 'true or false', value);
};

const wholeAtLeastOne: Check = (value, key, label) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(label, key, 'a whole number ≥ 1', value);
};

const wholeAtLeastZero: Check = (value, key, label) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(label, key, 'a whole number ≥ 0', value);
};

const shardCount: Check = (value, key, label) => {
  wholeAtLeastOne(value, key, label);
  if ((value as number) > MAX_SHARDS) fail(label, key, `at most ${MAX_SHARDS} (each shard is a CI job)`, value);
};

const positiveNumber: Check = (value, key, label) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(label, key, 'a number > 0', value);
};

const nonNegativeNumber: Check = (value, key, label) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(label, key, 'a number ≥ 0', value);
};

const groupsCheck: Check = (value, key, label) => {
  if (!isRecord(value)) fail(label, key, 'an object of group name to globs', value);
  for (const [name, patterns] of Object.entries(value)) {
    if (name.trim() === '') fail(label, key, 'an object with non-empty group names', value);
    nonEmptyStringList(patterns, `${key}.${name}`, label);
  }
};

function objectOf(shape: Record<string, Check>): Check {
  return (value, key, label) => {
    if (!isRecord(value)) fail(label, key, 'an object', value);
    checkKeys(value, shape, `${key}.`, label);
  };
}

const SHAPE: Record<string, Check> = {
  // editors add "$schema" for completion; harmless
  $schema: nonEmptyString,
  tests: nonEmptyStringList,
  ignore: stringList,
  timings: stringList,
  strictTimings: boolean,
  groups: groupsCheck,
  groupByDir: wholeAtLeastOne,
  spreadGroups: (value, key, label) => {
    if (typeof value !== 'boolean') fail(label, key, 'true or false', value);
  },
  shards: shardCount,
  runner: nonEmptyString,
  history: nonEmptyString,
  historyRunsPerFile: wholeAtLeastOne,
  historyRuns: wholeAtLeastOne,
  run: objectOf({
    command: nonEmptyStringList,
    junit: nonEmptyString,
    timeoutSeconds: positiveNumber,
    concurrency: wholeAtLeastOne,
    retries: wholeAtLeastZero,
  }),
  pipeline: objectOf({
    build: nonEmptyString,
    package: nonEmptyString,
    deploy: nonEmptyString,
    packagePaths: stringList,
    target: nonEmptyString,
    nodeOverheadSeconds: nonNegativeNumber,
    buildSeconds: nonNegativeNumber,
    packageSeconds: nonNegativeNumber,
    mergeSeconds: nonNegativeNumber,
    deploySeconds: nonNegativeNumber,
  }),
};

function checkKeys(value: Record<string, unknown>, shape: Record<string, Check>, prefix: string, label: string): void {
  for (const key of Object.keys(value)) {
    const check = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (check === undefined) {
      const suggestion = closest(key, Object.keys(shape));
      throw new UserError(
        `${label}: unknown key "${prefix}${key}"${suggestion === undefined ? '' : `; did you mean "${prefix}${suggestion}"?`}`,
        { hint: `known keys: ${Object.keys(shape).filter((k) => k !== '$schema').map((k) => prefix + k).join(', ')}` },
      );
    }
    if (value[key] === undefined) continue;
    check(value[key], `${prefix}${key}`, label);
  }
}

/** Checks a parsed config against SplitTestsConfig; `label` names the file in messages. */
export function validateConfig(value: unknown, label: string): SplitTestsConfig {
  if (!isRecord(value)) {
    throw new UserError(`${label}: must be a JSON object, got ${describe(value)}`, { hint: 'e.g. { "tests": ["test/**/*.test.ts"] }' });
  }
  checkKeys(value, SHAPE, '', label);
  return value as SplitTestsConfig;
}

/** The known key nearest to `key` (case-insensitive edit distance), if it is near enough to be a typo. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
