import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_HISTORY_PATH } from '../config/types.js';
import { UserError } from '../errors.js';
import { planShards, type GroupSpec, type Plan } from '../plan/index.js';
import type { LoadedTimings } from '../timings/load.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { discoverFiles } from './discover.js';
import type { CommonArgs } from './options.js';
import { presetTestId, selectedRunner } from './runner-option.js';
import type { RunnerPreset } from '../runners/index.js';
import { slicingOf } from './slice-args.js';

export interface ResolvedPlan {
  readonly plan: Plan;
  readonly config: LoadedConfig;
  readonly timings: LoadedTimings;
  /** Everything worth telling the user on stderr, in order; the caller prints them. */
  readonly warnings: string[];
  /** The discovered test files (normalised, sorted). */
  readonly files: string[];
}

export interface ResolvePlanOptions {
  readonly shards: number;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /** Already loaded config (commands that needed it to pick the shard count); loaded here otherwise. */
  readonly config?: LoadedConfig | undefined;
  /**
   * What a folder given as a test glob stands for: a runner preset's test file pattern (the hook
   * for `--runner`); default testFilePatterns() of discover.ts.
   */
  readonly testPattern?: readonly string[] | undefined;
  /**
   * Whether the caller can run slices of split files (plan, the file list, static `run`); queue
   * mode and pipelines hand out whole files only, so they plan without slices.
   */
  readonly slices?: boolean | undefined;
}

const NO_TIMINGS: LoadedTimings = { runs: [], sources: [], unmappedCases: 0, unmappedFiles: 0, warnings: [] };

/**
 * The thin shell around the pure planner: config, files, timings and groups from the world, then
 * `planShards`. Every node of a CI job runs this with the same inputs and gets the same plan.
 */
export async function resolvePlan(args: CommonArgs, options: ResolvePlanOptions): Promise<ResolvedPlan> {
  const config = options.config ?? (await loadConfig({ cwd: options.cwd, path: args.config }));
  const warnings: string[] = [];
  const runner = selectedRunner(args, config);

  const discovered = await discoverFiles({
    globs: args.tests,
    filesFrom: args.filesFrom,
    // with a runner preset and no "tests" in the config, the runner's own test file pattern
    configTests: config.config.tests ?? runner?.testPatterns,
    ignore: config.config.ignore,
    cwd: options.cwd,
    root: config.root,
    stdin: options.stdin,
    testPattern: options.testPattern ?? runner?.testPatterns,
  });
  // a preset's patterns cover every layout the runner knows: one of them matching nothing is normal
  const presetPatterns = config.config.tests === undefined && runner !== undefined && (args.tests ?? []).length === 0 && args.filesFrom === undefined;
  warnings.push(...(presetPatterns ? discovered.warnings.filter((w) => !w.startsWith('test glob ')) : discovered.warnings));
  const files = discovered.files;

  const timings = await loadTimingSources(args, config, options.cwd, files, runner);
  warnings.push(...timings.warnings);

  const groups = groupSpec(args, config);
  // flag > config file > default (compact)
  const spreadGroups = args.spreadGroups ?? config.config.spreadGroups ?? false;
  // a runner that can select tests lets the planner cut a heavy file into slices (a capability, not a name)
  const slicing = options.slices === true ? slicingOf(runner) : undefined;
  const plan = planShards({ files, shards: options.shards, runs: timings.runs, groups, spreadGroups, slicing });

  if (timings.runs.length === 0) {
    warnings.push(
      timings.sources.length === 0 && patternsOf(args, config).length === 0
        ? 'no timings given (--timings or "timings" in the config): splitting by file count'
        : 'no timings found: splitting by file count',
    );
  } else if (plan.estimatedFiles === files.length) {
    // nothing to estimate from: every file weighs the same, which is a split by count
    const others = timings.unmappedFiles > 0 ? `; they name ${timings.unmappedFiles} other path${timings.unmappedFiles === 1 ? '' : 's'} (written from another folder, or for other files?)` : '';
    warnings.push(`none of the ${files.length} test files is in the timings (${timings.sources.length} source${timings.sources.length === 1 ? '' : 's'} read): splitting by file count${others}`);
  } else if (plan.estimatedFiles > 0) {
    warnings.push(
      `${plan.estimatedFiles} of ${files.length} test files have no timings; their time was estimated from ${groups.kind === 'none' ? 'the other files' : 'their group or the other files'}`,
    );
  }
  if (timings.unmappedCases > 0) {
    warnings.push(`${timings.unmappedCases} JUnit test cases could not be mapped to a test file and were ignored`);
  }
  if (timings.unmappedFiles > 0) {
    warnings.push(`${timings.unmappedFiles} files in the timings are not among the test files (deleted or renamed?) and were ignored`);
  }
  return { plan, config, timings, warnings, files };
}

function patternsOf(args: CommonArgs, config: LoadedConfig): string[] {
  if (args.timings !== undefined && args.timings.length > 0) return args.timings;
  return [...(config.config.timings ?? [])];
}

async function loadTimingSources(
  args: CommonArgs,
  config: LoadedConfig,
  cwd: string,
  files: readonly string[],
  runner: RunnerPreset | undefined,
): Promise<LoadedTimings> {
  const fromFlag = args.timings !== undefined && args.timings.length > 0;
  const notes: string[] = [];
  const patterns = fromFlag ? args.timings! : [...(config.config.timings ?? [])];
  if (patterns.length === 0) {
    // nothing named: the history `record` writes by default, when this checkout has one, closes
    // the loop record -> plan without a flag (said aloud: every node must see the same file)
    const history = config.config.history ?? DEFAULT_HISTORY_PATH;
    if (!existsSync(resolve(config.root, history))) return NO_TIMINGS;
    patterns.push(history);
    notes.push(`no timings given: planning from the history record writes, ${history} (every node needs the same copy; --timings or "timings" in the config to choose)`);
  }
  for (const pattern of patterns) {
    if (pattern.trim() === '') throw new UserError('--timings: empty path', { hint: 'pass a file or glob, e.g. --timings "reports/**/*.xml"' });
  }
  // Loaded on demand: the JUnit reader and its XML parser cost startup time that a split by count
  // does not need.
  const { loadTimings } = await import('../timings/load.js');
  // Config globs are relative to the config file's folder, flags to where the user stands.
  // flag > config > default: an unreadable source is skipped with a warning unless asked to fail
  const strict = args.strictTimings ?? config.config.strictTimings ?? false;
  const loaded = await loadTimings(patterns, { cwd: fromFlag ? cwd : resolve(config.root), files, strict, testId: runner === undefined ? undefined : presetTestId(runner) });
  return { ...loaded, warnings: [...notes, ...loaded.warnings] };
}

/** A flag beats the config file (precedence flag > env > file > default). */
export function groupSpec(args: CommonArgs, config: LoadedConfig): GroupSpec {
  if (args.groupByDir !== undefined) return { kind: 'dir', depth: checkDepth(args.groupByDir, '--group-by-dir') };
  const groups = config.config.groups;
  if (groups !== undefined && Object.keys(groups).length > 0) {
    return {
      kind: 'globs',
      // config order decides which group wins a file matched by two (see assignGroups)
      groups: Object.entries(groups).map(([name, patterns]) => ({ name, patterns: [...patterns] })),
    };
  }
  if (config.config.groupByDir !== undefined) return { kind: 'dir', depth: config.config.groupByDir };
  return { kind: 'none' };
}

function checkDepth(value: number, flag: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UserError(`${flag} ${Number.isNaN(value) ? '(not a number)' : value}: depth must be a whole number ≥ 1`, {
      hint: 'e.g. --group-by-dir 2 keeps test/checkout/*.test.ts on one shard',
    });
  }
  return value;
}
