import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { parsePlainArgv } from '../../src/cli/options.js';
import { SPLIT_OPTIONS, splitCommand } from '../../src/cli/commands/split.js';
import { PLAN_OPTIONS, planCommand } from '../../src/cli/commands/plan.js';

const TABLE = { ...SPLIT_OPTIONS, debug: { type: 'boolean' as const } };
const COMMANDS = ['plan', 'run', 'merge', 'record', 'report', 'pipeline'];
const KEYS = ['shards', 'output', 'tests', 'shard', 'timings', 'filesFrom', 'files-from', 'config', 'groupByDir', 'group-by-dir', 'json', 'debug'];

/** What yargs hands the default command for `argv` (the same builder main.ts registers). */
async function viaYargs(argv: string[], command: typeof splitCommand | typeof planCommand = splitCommand): Promise<Record<string, unknown>> {
  let captured: Record<string, unknown> | undefined;
  await yargs(argv)
    .command({ ...(command as typeof splitCommand), handler: (args) => void (captured = args as Record<string, unknown>) })
    .option('debug', { type: 'boolean', global: true })
    .strict()
    .exitProcess(false)
    .fail((message) => {
      throw new Error(message);
    })
    .parseAsync();
  return captured!;
}

const pick = (args: Record<string, unknown>) =>
  Object.fromEntries(KEYS.filter((k) => args[k] !== undefined && !(k === 'tests' && (args[k] as unknown[]).length === 0)).map((k) => [k, args[k]]));

describe('parsePlainArgv', () => {
  it.each([
    [[]],
    [['--shard', '2/4']],
    [['--shard=2/4', 'test/**/*.test.ts']],
    [['--shard', '1/4', 'a/**', '--timings', 'r/*.xml', 'b/**', '--timings', 'x.json']],
    [['--timings=r.json', '--files-from', 'list.txt', '--json']],
    [['--group-by-dir', '2', '--config', 'c.json', '--debug', 'spec/**/*_spec.rb']],
    [['--files-from', 'list.txt', '--shard', '3/3', '--json', 'g1', 'g2']],
    [['a b.ts', 'ünïcode/**', '0', '1/4']],
  ])('gives what yargs gives for %j', async (argv) => {
    const plain = parsePlainArgv(argv, TABLE, COMMANDS);
    expect(plain).toBeDefined();
    expect(pick(plain!)).toEqual(pick(await viaYargs(argv)));
  });

  it.each([
    [['--help']],
    [['-h']],
    [['--version']],
    [['--bogus']],
    [['--shard']],
    [['--shard', '--json']],
    [['--shard', '1/2', '--shard', '2/2']],
    [['--json', 'false']],
    [['--json=true']],
    [['--no-json']],
    [['--filesFrom', 'x']],
    [['--group-by-dir', 'x']],
    [['--group-by-dir', '-1']],
    [['-s', '1/2']],
    [['--shard', '1/2', '--', 'x']],
    [['plan', '--shards', '2']],
    [['x', 'run']],
    [['-']],
  ])('leaves %j to yargs', (argv) => {
    expect(parsePlainArgv(argv, TABLE, COMMANDS)).toBeUndefined();
  });
});

describe('parsePlainArgv for plan', () => {
  it.each([
    [['--shards', '4', '--files-from', '-', '--timings', 'a.json', '--timings', 'b.json', '--json']],
    [['--shards=8', '--output', 'plan.json', 'test/**']],
  ])('gives what yargs gives for plan %j', async (argv) => {
    const plain = parsePlainArgv(argv, { ...PLAN_OPTIONS, debug: { type: 'boolean' } }, COMMANDS);
    expect(plain).toBeDefined();
    expect(pick(plain!)).toEqual(pick(await viaYargs(['plan', ...argv], planCommand)));
  });

  it('leaves --shard (a split flag) to yargs, which rejects it', () => {
    expect(parsePlainArgv(['--shard', '1/2'], { ...PLAN_OPTIONS }, COMMANDS)).toBeUndefined();
  });
});
