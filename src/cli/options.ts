import type { Argv } from 'yargs';

/** The options shared by `split-tests`, `plan` and `run` (DESIGN.md "Common options"). */
export interface CommonArgs {
  /** Positional test globs; a command that wants them declares `[tests..]` in its command string. */
  tests?: string[];
  timings?: string[];
  filesFrom?: string;
  config?: string;
  groupByDir?: number;
  json?: boolean;
}

/**
 * Adds the common options to a command's builder. `--timings` takes exactly one value per flag
 * (`nargs: 1`): an array option would otherwise swallow the positional test globs after it.
 */
export function commonOptions<T>(y: Argv<T>) {
  return y
    .positional('tests', {
      type: 'string',
      array: true,
      describe: 'Test file globs (fast-glob syntax); default: "tests" of the config file',
    })
    .option('timings', {
      type: 'string',
      array: true,
      nargs: 1,
      requiresArg: true,
      describe: 'Timing source: JUnit XML, JSON map {"path": seconds} or history file; globs allowed; repeatable',
    })
    .option('files-from', {
      type: 'string',
      requiresArg: true,
      describe: "Read the test files from FILE, one per line ('-' for stdin), instead of globbing",
    })
    .option('config', {
      type: 'string',
      requiresArg: true,
      describe: 'Config file (default: split-tests.config.json, else the "split-tests" key of package.json)',
    })
    .option('group-by-dir', {
      type: 'number',
      requiresArg: true,
      describe: 'Keep files under the same first DEPTH folders on one shard',
    })
    .option('json', {
      type: 'boolean',
      describe: 'Print one JSON document on stdout',
    });
}
