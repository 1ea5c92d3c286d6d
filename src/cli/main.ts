import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UserError, isUserError } from '../errors.js';
import { closest } from './did-you-mean.js';
import { parsePlainArgv } from './options.js';

type AnyCommand = CommandModule<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Command modules are imported only when their command is on the command line (all of them for
 * --help): `split-tests --shard 1/4` runs on every CI node, and loading the runner, the JUnit
 * merger and the report renderers it never uses would cost its startup time.
 */
const COMMANDS: Readonly<Record<string, () => Promise<AnyCommand>>> = {
  plan: async () => (await import('./commands/plan.js')).planCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  record: async () => (await import('./commands/record.js')).recordCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  pipeline: async () => (await import('./commands/pipeline.js')).pipelineCommand,
  queue: async () => (await import('./commands/queue.js')).queueCommand,
};

async function commandsFor(argv: readonly string[], splitCommand: AnyCommand): Promise<AnyCommand[]> {
  const end = argv.indexOf('--');
  const own = end === -1 ? argv : argv.slice(0, end);
  const help = own.includes('--help') || own.includes('-h') || own.includes('help');
  // Any token equal to a command name loads that command: loading one too many is harmless, one
  // too few would make yargs take the command name for a test glob.
  const names = Object.keys(COMMANDS).filter((name) => help || own.includes(name));
  const loaded = await Promise.all(names.map((name) => COMMANDS[name]!()));
  return [splitCommand, ...loaded];
}

/**
 * yargs' own wording ("Unknown arguments: foo-bar, fooBar") turned into what the user typed
 * (`--foo-bar`): yargs lists the camelCase alias too, and names flags and stray words alike.
 */
export function usageMessage(message: string, argv: readonly string[], known: KnownNames = {}): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    const typed = new Set(argv.map((a) => a.replace(/=.*$/, '')));
    const flags: string[] = [];
    const words: string[] = [];
    for (const name of unknown[1]!.split(', ')) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      if (typed.has(flag)) flags.push(flag + suggestion(name, known.flags ?? [], (n) => `--${n}`));
      else if (argv.includes(name)) words.push(`'${name}'${suggestion(name, known.words ?? [], (n) => `'${n}'`)}`);
      // else: the camelCase twin of a kebab-case flag already listed
    }
    const parts = [
      flags.length > 0 ? `unknown option${flags.length > 1 ? 's' : ''} ${flags.join(', ')}` : '',
      words.length > 0 ? `unexpected argument${words.length > 1 ? 's' : ''} ${words.join(', ')}` : '',
    ].filter((p) => p !== '');
    if (parts.length > 0) return parts.join('; ');
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message);
  if (missing) return `--${missing[1]} needs a value`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

class UsageError extends UserError {}

/** yargs has it, its type definitions do not: the options of the command being parsed. */
interface YargsWithOptions {
  getOptions(): { key: Record<string, unknown> };
}

/** What a mistyped flag or word is compared against for a "did you mean". */
export interface KnownNames {
  /** The command's options, kebab-case, without dashes. */
  readonly flags?: readonly string[];
  /** Command names. */
  readonly words?: readonly string[];
}

function suggestion(typed: string, candidates: readonly string[], show: (name: string) => string): string {
  const match = closest(typed, candidates);
  return match === undefined ? '' : ` (did you mean ${show(match)}?)`;
}

/**
 * A first word that is no command but one slip from one (`split-tests plam --shards 4`) would be
 * taken as a test glob by the default command and fail on a flag it does not know, or plan a
 * shard of nothing: say which command was meant. A word that names a path, or looks like a glob,
 * is a test glob and left alone.
 */
function mistypedCommand(argv: readonly string[]): UsageError | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || Object.hasOwn(COMMANDS, first) || !/^[a-z][a-z-]*$/.test(first)) return undefined;
  const meant = closest(first, Object.keys(COMMANDS));
  if (meant === undefined || existsSync(first)) return undefined;
  return new UsageError(`unknown command '${first}' (did you mean '${meant}'?)`, { hint: `run 'split-tests ${meant} --help' for its options` });
}

/** split-tests' own version: the package.json beside dist/ (and src/), never the cwd's. */
export async function ownVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('split-tests: its own package.json has no version');
  return version;
}

/**
 * Parses argv, runs one command and returns the exit code. The only place that turns errors into
 * exit codes: a UserError prints one line (and a hint) to stderr and exits with its code; anything
 * else is a bug, printed with its stack, exit 2 (knip's convention: 2 is usage, input or crash).
 */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  // `split-tests --shard 1/4 | head -1`: the reader is gone, which is not an error worth a stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  try {
    await parseAndRun(argv);
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`split-tests: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    // A bug: the whole stack, and exit 2 (not 1, which means "tests failed" to CI scripts).
    process.stderr.write(`split-tests: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.usage;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
}

async function parseAndRun(argv: string[]): Promise<void> {
  const mistyped = mistypedCommand(argv);
  if (mistyped !== undefined) throw mistyped;
  // The default command and `plan` with plain flags (what every CI node runs) skip yargs: see
  // parsePlainArgv. Anything else, and every error, goes through yargs below.
  const { splitCommand, SPLIT_OPTIONS } = await import('./commands/split.js');
  const reserved = Object.keys(COMMANDS);
  const debug = { debug: { type: 'boolean' } } as const;
  if (argv[0] === 'plan') {
    const { planCommand, PLAN_OPTIONS } = await import('./commands/plan.js');
    const plain = parsePlainArgv(argv.slice(1), { ...PLAN_OPTIONS, ...debug }, reserved);
    if (plain !== undefined) {
      await planCommand.handler({ ...plain, _: ['plan'], $0: 'split-tests' });
      return;
    }
  } else {
    const plain = parsePlainArgv(argv, { ...SPLIT_OPTIONS, ...debug }, reserved);
    if (plain !== undefined) {
      await splitCommand.handler({ ...plain, $0: 'split-tests' });
      return;
    }
  }
  const { default: yargs } = await import('yargs');
  let parser: Argv = yargs(argv)
    .scriptName('split-tests')
    .usage('$0 [--shard K/N] [options] [test-globs...]\n\nSplit a test suite into balanced shards from historical timings.');
  for (const command of await commandsFor(argv, splitCommand as AnyCommand)) parser = parser.command(command);
  parser = parser
    .option('debug', { type: 'boolean', describe: 'Print stack traces of errors', global: true })
    .strict()
    .parserConfiguration({ 'populate--': true })
    .help()
    .alias('h', 'help')
    // yargs' own .version() reads the package.json it finds from the cwd: the user's project
    .version(await ownVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    // yargs prints usage on every failure by default, and without throwing here it still runs the
    // (default) command after an unknown flag: throw, so the command never starts.
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs reports argv parse errors ("Not enough arguments following: shard") as a YError
      if (error && error.name !== 'YError') throw error;
      if (error) message = error.message;
      // the options of the command being parsed (yargs keeps both spellings: keep the kebab-case)
      const flags = Object.keys((parser as unknown as YargsWithOptions).getOptions().key).filter((name) => !/[A-Z]/.test(name));
      throw new UsageError(usageMessage(message ?? 'invalid usage', argv, { flags, words: Object.keys(COMMANDS) }), {
        hint: "run 'split-tests --help' for the options",
      });
    });
  await parser.parseAsync();
}
