import yargs from 'yargs';
import type { Argv } from 'yargs';
import { ExitCode, isUserError } from '../errors.js';
import { splitCommand } from './commands/split.js';
import { planCommand } from './commands/plan.js';
import { runCommand } from './commands/run.js';
import { mergeCommand } from './commands/merge.js';
import { recordCommand } from './commands/record.js';
import { reportCommand } from './commands/report.js';
import { pipelineCommand } from './commands/pipeline.js';

/**
 * Parses argv, runs one command and returns the exit code. The only place that turns errors into
 * exit codes: a UserError prints one line (and a hint) to stderr; anything else is a bug and is
 * re-thrown so the stack shows.
 */
export async function main(argv: string[]): Promise<number> {
  let usageError: string | undefined;
  const debug = argv.includes('--debug');
  const parser: Argv = yargs(argv)
    .scriptName('split-tests')
    .usage('$0 [--shard K/N] [options] [test-globs...]\n\nSplit a test suite into balanced shards from historical timings.')
    .command(splitCommand)
    .command(planCommand)
    .command(runCommand)
    .command(mergeCommand)
    .command(recordCommand)
    .command(reportCommand)
    .command(pipelineCommand)
    .option('debug', { type: 'boolean', describe: 'Print stack traces of errors', global: true })
    .strict()
    .parserConfiguration({ 'populate--': true })
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    // yargs prints usage on every failure by default; a one-line message and a hint serve better.
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error) throw error;
      usageError = message ?? 'invalid usage';
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`split-tests: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    throw error;
  }
  if (usageError !== undefined) {
    process.stderr.write(`split-tests: ${usageError}\nhint: run 'split-tests --help' for the options\n`);
    return ExitCode.usage;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
}
