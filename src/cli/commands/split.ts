import type { Argv, CommandModule } from 'yargs';
import { detectShard } from '../../ci/detect.js';
import { COMMON_OPTIONS, commonOptions, once, type CommonArgs, type OptionTable } from '../options.js';
import { resolvePlan } from '../resolve-plan.js';
import { formatSeconds } from '../render-plan.js';
import { selectedRunner } from '../runner-option.js';
import { sliceArgs } from '../slice-args.js';
import { note, warn } from '../warn.js';

interface SplitArgs extends CommonArgs {
  shard?: string;
}

const SHARD_OPTIONS = {
  shard: {
    coerce: once('shard'),
    type: 'string',
    requiresArg: true,
    describe: "Shard K/N, 1-based (default: SPLIT_TESTS_SHARD, else the CI provider's parallel job variables)",
  },
} as const satisfies OptionTable;

/** Every option of the default command, for the plain-argv fast path in main.ts. */
export const SPLIT_OPTIONS: OptionTable = { ...COMMON_OPTIONS, ...SHARD_OPTIONS };

/** `split-tests [--shard K/N] [test-globs...]`: shard K's files, one a line, ready for xargs or $(...). */
export const splitCommand: CommandModule<object, SplitArgs> = {
  command: '$0 [tests..]',
  describe: 'Print the test files of shard K of N, one per line',
  builder: (y: Argv<object>) => commonOptions(y).options(SHARD_OPTIONS) as unknown as Argv<SplitArgs>,
  handler: async (args) => {
    // The shard is resolved before any file is read, so a missing --shard fails fast.
    const { spec: shard, source } = detectShard(args.shard, process.env);
    const { plan, warnings, config } = await resolvePlan(args, { shards: shard.total, cwd: process.cwd(), env: process.env, slices: true });
    for (const message of warnings) warn(message);
    const mine = plan.shards[shard.index - 1]!;
    const sliceLines = (mine.slices ?? []).flatMap((slice) => {
      const runner = selectedRunner(args, config);
      const selected = sliceArgs(runner, slice);
      if (selected === undefined) {
        warn(`${slice.file} is split by test: this shard runs its slice ${slice.slice} of ${slice.of} (${slice.tests.length} tests); as a file list the whole file runs here, use split-tests run --runner to run only the slice`);
        return [slice.file];
      }
      if (slice.slice === 1) {
        warn(`${slice.file} slice 1 of ${slice.of} lists the ${slice.tests.length} tests history knows; tests added since run only with split-tests run --runner (it asks the runner which tests the file holds)`);
      }
      return selected;
    });
    if (args.json) {
      const document = {
        schemaVersion: 1,
        index: shard.index,
        total: shard.total,
        files: mine.files,
        ...(mine.slices !== undefined ? { slices: mine.slices } : {}),
        estimatedSeconds: mine.estimatedSeconds,
        fingerprint: plan.fingerprint,
      };
      process.stdout.write(`${JSON.stringify(document)}\n`);
    } else if (mine.files.length + sliceLines.length > 0) {
      process.stdout.write(`${[...mine.files, ...sliceLines].join('\n')}\n`);
    }
    const fileCount = plan.shards.reduce((n, s) => n + s.files.length, 0);
    if (mine.files.length === 0 && sliceLines.length === 0) {
      note(`shard ${shard.index}/${shard.total} is empty: ${fileCount} files (or feature groups) for ${shard.total} shards`);
    } else {
      // with no timings at all every file weighs the same, so "seconds" would be a file count
      const estimate =
        plan.estimator === 'none'
          ? 'split by count'
          : `estimated ${formatSeconds(mine.estimatedSeconds)}, lower bound ${formatSeconds(plan.lowerBoundSeconds)}`;
      note(
        `shard ${shard.index}/${shard.total}: ${mine.files.length} of ${fileCount} files${mine.slices?.length ? ` and ${mine.slices.length} slice${mine.slices.length === 1 ? '' : 's'} of split files` : ''} (${estimate}, plan ${plan.fingerprint.slice(0, 12)}` +
          `${source === '--shard' ? '' : `, shard from ${source}`})`,
      );
    }
  },
};
