import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../../errors.js';
import { writeError } from '../../fs/write-error.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { loadConfig } from '../config.js';
import { COMMON_OPTIONS, commonOptions, once, type CommonArgs, type OptionTable } from '../options.js';
import { renderPlanTable } from '../render-plan.js';
import { groupSpec, resolvePlan } from '../resolve-plan.js';
import { MAX_SHARDS, planShards, type GroupSpec, type Plan, type TimingRun } from '../../plan/index.js';
import { selectedRunner } from '../runner-option.js';
import { note, warn } from '../warn.js';

interface PlanArgs extends CommonArgs {
  shards?: string;
  output?: string;
}

const OWN_OPTIONS = {
  shards: {
    coerce: once('shards'),
    // parsed here, not by yargs, so that "--shards x" is reported as typed
    type: 'string',
    requiresArg: true,
    describe: 'Number of shards N (default: "shards" in the config)',
  },
  output: {
    coerce: once('output'),
    type: 'string',
    requiresArg: true,
    describe: 'Also write the plan as JSON to FILE (atomically), e.g. for merge --plan',
  },
} as const satisfies OptionTable;

/** Every option of `plan`, for the plain-argv fast path in main.ts. */
export const PLAN_OPTIONS: OptionTable = { ...COMMON_OPTIONS, ...OWN_OPTIONS };

/** `split-tests plan --shards N`: the whole plan, as a table or (--json) as one JSON document. */
export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan [tests..]',
  describe: 'Show the whole plan: every shard with its files and estimated time',
  builder: (y: Argv<object>) => commonOptions(y).options(OWN_OPTIONS) as unknown as Argv<PlanArgs>,
  handler: async (args) => {
    const cwd = process.cwd();
    const config = await loadConfig({ cwd, path: args.config });
    const shards = shardCount(args.shards, config.config.shards);
    const resolved = await resolvePlan(args, { shards, cwd, env: process.env, config, slices: true });
    const { timings, warnings, files } = resolved;
    // a split file's slices list test ids as the runner names them: merge --plan reads them the same way
    const runner = resolved.plan.slicing === undefined ? undefined : selectedRunner(args, config);
    const plan = runner === undefined ? resolved.plan : { ...resolved.plan, slicing: { ...resolved.plan.slicing!, runner: runner.name } };
    for (const message of warnings) warn(message);
    if (args.output !== undefined) {
      const target = resolve(cwd, args.output);
      try {
        await writeFileAtomic(target, `${JSON.stringify(plan, null, 2)}\n`);
      } catch (error) {
        throw await writeError(`--output ${args.output}`, target, error);
      }
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(plan)}\n`);
    } else {
      process.stdout.write(
        renderPlanTable(plan, {
          unmappedCases: timings.unmappedCases,
          unmappedFiles: timings.unmappedFiles,
          sources: timings.sources.length,
          withoutGroups: groupCost(plan, files, timings.runs, groupSpec(args, config)),
        }),
      );
    }
    if (args.output !== undefined) note(`wrote the plan to ${args.output}`);
  },
};

function shardCount(flag: string | undefined, fromConfig: number | undefined): number {
  if (flag !== undefined) {
    const text = flag.trim();
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new UserError(`--shards ${JSON.stringify(flag)}: must be a whole number ≥ 1`, { hint: 'e.g. --shards 4' });
    }
    if (value > MAX_SHARDS) {
      throw new UserError(`--shards ${text}: more than ${MAX_SHARDS} shards`, { hint: `each shard is a CI job; pick --shards between 1 and ${MAX_SHARDS}` });
    }
    return value;
  }
  if (fromConfig !== undefined) return fromConfig;
  throw new UserError('plan: the number of shards is missing', { hint: 'pass --shards N, or set "shards" in split-tests.config.json' });
}

/**
 * When feature groups hold the balance back (slowest shard more than 2% over the lower bound), the
 * same plan without groups, so the table can say what keeping them together costs and how to
 * lower it. Only for the table: `--json` and `--shard` never pay for a second plan.
 */
function groupCost(
  plan: Plan,
  files: readonly string[],
  runs: readonly TimingRun[],
  groups: GroupSpec,
): { slowestSeconds: number; hint: string } | undefined {
  if (groups.kind === 'none') return undefined;
  const slowest = Math.max(...plan.shards.map((s) => s.estimatedSeconds));
  if (!(slowest > plan.lowerBoundSeconds * 1.02)) return undefined;
  const free = planShards({ files, shards: plan.shardCount, runs });
  const freeSlowest = Math.max(...free.shards.map((s) => s.estimatedSeconds));
  if (!(slowest > freeSlowest * 1.02)) return undefined;
  const hint =
    groups.kind === 'dir'
      ? `deeper folders make smaller groups (--group-by-dir ${groups.depth + 1})`
      : 'smaller groups (narrower globs in "groups") balance better';
  return { slowestSeconds: freeSlowest, hint };
}
