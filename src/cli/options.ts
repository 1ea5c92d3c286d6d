import type { Argv, Options } from 'yargs';
import { UserError } from '../errors.js';

/** The options shared by `split-tests`, `plan` and `run` (DESIGN.md "Common options"). */
export interface CommonArgs {
  /** Positional test globs; a command that wants them declares `[tests..]` in its command string. */
  tests?: string[];
  timings?: string[];
  filesFrom?: string;
  config?: string;
  groupByDir?: number;
  spreadGroups?: boolean;
  json?: boolean;
  /** `--runner NAME`: a test runner preset (src/runners). */
  runner?: string;
  /** `--strict-timings`: an unreadable timing source is an error, not a warning. */
  strictTimings?: boolean;
}

/** One option table drives yargs (parsing and --help) and the plain-argv fast path below. */
export type OptionTable = Readonly<Record<string, Options>>;

/**
 * yargs turns a flag given twice into an array; for a flag that takes one value that is a mistake
 * to report, not a value to pass on (`--shard 1/2 --shard 2/2` must not pick one silently).
 */
export function once(flag: string): (value: unknown) => unknown {
  return (value) => {
    if (Array.isArray(value)) {
      throw new UserError(`--${flag} was given ${value.length} times: ${value.join(', ')}`, { hint: `pass --${flag} once` });
    }
    return value;
  };
}

export const COMMON_OPTIONS = {
  timings: {
    type: 'string',
    array: true,
    // one value per flag: an array option would otherwise swallow the positional test globs after it
    nargs: 1,
    requiresArg: true,
    describe: 'Timing source: JUnit XML, JSON map {"path": seconds} or history file; globs allowed; repeatable',
  },
  'files-from': {
    coerce: once('files-from'),
    type: 'string',
    requiresArg: true,
    describe: "Read the test files from FILE, one per line ('-' for stdin), instead of globbing",
  },
  config: {
    coerce: once('config'),
    type: 'string',
    requiresArg: true,
    describe: 'Config file (default: split-tests.config.json, else the "split-tests" key of package.json)',
  },
  'group-by-dir': {
    coerce: once('group-by-dir'),
    type: 'number',
    requiresArg: true,
    describe: 'Keep files under the same first DEPTH folders on one shard',
  },
  'spread-groups': {
    type: 'boolean',
    describe: 'Let a feature group larger than a fair share spread over as many shards as balance wants (default: at most ceil(group / fair share) + 1)',
  },
  json: {
    type: 'boolean',
    describe: 'Print one JSON document on stdout',
  },
  'strict-timings': {
    type: 'boolean',
    describe: 'Fail (exit 2) on an unreadable or malformed timing source instead of warning and planning from the others (config "strictTimings")',
  },
  runner: {
    coerce: once('runner'),
    type: 'string',
    requiresArg: true,
    describe: 'Test runner preset: vitest, jest, playwright, mocha, node, cucumber-js, pytest, rspec (default: "runner" in the config)',
  },
} as const satisfies OptionTable;

/** Adds the positional test globs and the common options to a command's builder. */
export function commonOptions<T>(y: Argv<T>) {
  return y
    .positional('tests', {
      type: 'string',
      array: true,
      describe: 'Test file globs (fast-glob syntax); default: "tests" of the config file',
    })
    .options(COMMON_OPTIONS);
}

/**
 * Parses the plain command lines that CI runs on every node (`--shard 2/4 'test/**' --timings
 * 'reports/*.xml'`) without loading yargs, whose import costs more than the rest of a split of
 * 5,000 files. Returns the same arguments yargs would give the command (see
 * test/cli/options.test.ts), or undefined for anything it does not handle (help, version, short
 * or unknown or repeated flags, `--`, `--flag=value` of booleans, a value starting with "-" (but "-"), a
 * positional that is a command name): those go to yargs, which also reports the errors.
 */
export function parsePlainArgv(
  argv: readonly string[],
  table: OptionTable,
  reservedWords: readonly string[],
): (Record<string, unknown> & { _: string[]; tests: string[] }) | undefined {
  const args: Record<string, unknown> & { _: string[]; tests: string[] } = { _: [], tests: [] };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('-')) {
      if (reservedWords.includes(token)) return undefined;
      args.tests.push(token);
      continue;
    }
    if (!token.startsWith('--') || token === '--') return undefined;
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const option = Object.hasOwn(table, name) ? table[name] : undefined;
    if (option === undefined || !/^[a-z][a-z-]*$/.test(name)) return undefined;
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const seen = args[key] !== undefined;
    if (option.type === 'boolean') {
      // yargs reads `--json false` as a value, not as a test glob named "false"
      if (eq !== -1 || seen || argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      setBoth(args, name, key, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '' || (value.startsWith('-') && value !== '-')) return undefined;
    if (option.array) {
      const list = (args[key] as string[] | undefined) ?? [];
      list.push(value);
      setBoth(args, name, key, list);
    } else {
      if (seen) return undefined;
      if (option.type === 'number') {
        if (!/^\d+$/.test(value)) return undefined;
        setBoth(args, name, key, Number(value));
      } else if (option.type === 'string') {
        setBoth(args, name, key, value);
      } else return undefined;
    }
  }
  return args;
}

function setBoth(args: Record<string, unknown>, name: string, key: string, value: unknown): void {
  args[name] = value;
  args[key] = value;
}
