/**
 * `computeTrends`: the history file's runs and samples turned into the numbers the report shows.
 * Pure and deterministic: no clock, no I/O; the same history gives the same trends, byte for byte.
 */
import { compareCodeUnits } from '../paths.js';
import type { History, HistorySample, RunSummary } from '../timings/history-types.js';
import { FLAKY_RULE, flakiest } from './flakiest.js';
import { absoluteDeviation, median, metricTrend, percentChange, round } from './stats.js';
import type {
  GroupTrend,
  Regression,
  RunTrend,
  ShardTrend,
  SlowFile,
  StageTime,
  StageTrend,
  TrendOptions,
  Trends,
} from './types.js';

const DEFAULTS = {
  trendWindow: 5,
  regressionMinRuns: 3,
  regressionMinBaseline: 2,
  regressionMinSeconds: 0.5,
  regressionMinRatio: 0.2,
  topFiles: 10,
} as const;

/** Pipeline stages in the order they run; other names follow alphabetically. */
const STAGE_ORDER = ['build', 'tests', 'test', 'package', 'merge', 'record', 'deploy'];

export function computeTrends(history: History, options: TrendOptions = {}): Trends {
  const settings = {
    trendWindow: positiveInt(options.trendWindow, DEFAULTS.trendWindow),
    regressionMinRuns: positiveInt(options.regressionMinRuns, DEFAULTS.regressionMinRuns),
    regressionMinBaseline: positiveInt(options.regressionMinBaseline, DEFAULTS.regressionMinBaseline),
    regressionMinSeconds: nonNegative(options.regressionMinSeconds, DEFAULTS.regressionMinSeconds),
    regressionMinRatio: nonNegative(options.regressionMinRatio, DEFAULTS.regressionMinRatio),
    topFiles: positiveInt(options.topFiles, DEFAULTS.topFiles),
  };
  const last = options.last === undefined ? undefined : Math.max(0, Math.floor(options.last));
  const windowRuns = last === undefined ? history.runs : last === 0 ? [] : history.runs.slice(-last);
  const windowIds = new Set(windowRuns.map((r) => r.id));
  const runById = new Map<string, RunSummary>(history.runs.map((r) => [r.id, r]));

  // With --last, samples from runs outside the window are left out too, so every section covers
  // the same runs.
  const samples = new Map<string, readonly HistorySample[]>();
  for (const file of Object.keys(history.files).sort(compareCodeUnits)) {
    const all = history.files[file] ?? [];
    const kept = last === undefined ? all : all.filter((s) => windowIds.has(s.run));
    if (kept.length > 0) samples.set(file, kept);
  }

  const runs = windowRuns.map(runTrend);
  const w = settings.trendWindow;
  const metrics = {
    totalSeconds: metricTrend(runs.map((r) => r.totalSeconds), w),
    makespanSeconds: metricTrend(runs.map((r) => r.makespanSeconds), w),
    lowerBoundSeconds: metricTrend(runs.map((r) => r.lowerBoundSeconds), w),
    imbalance: metricTrend(runs.map((r) => r.imbalance), w),
    wallImbalance: metricTrend(runs.map((r) => r.wallImbalance), w),
    predictedMakespanSeconds: metricTrend(runs.map((r) => r.predictedMakespanSeconds), w),
    predictionErrorPercent: metricTrend(runs.map((r) => r.predictionErrorPercent), w),
    fileCount: metricTrend(runs.map((r) => r.fileCount), w),
    failedFileCount: metricTrend(runs.map((r) => r.failedFiles.length), w),
  };
  const latest = runs.at(-1) ?? null;
  const current = currentFiles(samples, latest);
  const flaky = flakiest({ tests: history.tests, samples, inWindow: last === undefined ? () => true : (run) => windowIds.has(run), runById, top: settings.topFiles });

  return {
    runCount: runs.length,
    historyRunCount: history.runs.length,
    fileCount: samples.size,
    runs,
    metrics,
    latest,
    slowestFiles: slowestFiles(current, latest, settings.topFiles),
    currentFileCount: current.length,
    regressions: regressions(samples, runById, settings),
    flakyRule: FLAKY_RULE,
    flaky: flaky.flaky,
    flakiestTests: flaky.tests,
    flakiestFiles: flaky.files,
    groups: groupTrends(windowRuns, w),
    stages: stageTrends(windowRuns, w),
    settings,
  };
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) || value < 1 ? fallback : Math.floor(value);
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) || value < 0 ? fallback : value;
}

function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

function maxOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

export function runTrend(run: RunSummary): RunTrend {
  const shards: ShardTrend[] = [...run.shards]
    .sort((a, b) => a.index - b.index)
    .map((s) => ({
      index: s.index,
      files: finiteOrNull(s.files),
      estimatedSeconds: nullableRound(finiteOrNull(s.estimatedSeconds)),
      measuredSeconds: nullableRound(finiteOrNull(s.measuredSeconds)),
      wallSeconds: nullableRound(finiteOrNull(s.wallSeconds)),
      passed: s.passed ?? null,
    }));
  const shardCount = Math.max(1, run.shardCount ?? shards.length);
  const total = Number.isFinite(run.totalSeconds) ? run.totalSeconds : 0;
  const largest = Number.isFinite(run.largestFileSeconds) ? run.largestFileSeconds : 0;
  // a file split by test is no longer one item: no single file bounds the run from below
  const lowerBound = run.split !== undefined && run.split.files.length > 0 ? total / shardCount : Math.max(total / shardCount, largest);
  // The makespan compares test seconds with test seconds (the lower bound has no overheads), so a
  // shard's measured file seconds come first and its wall time is the fallback.
  let makespan = maxOrNull(shards.map((s) => s.measuredSeconds ?? s.wallSeconds));
  // A run recorded from one unsharded report ran everything on one node.
  if (makespan === null && shards.length === 0 && shardCount === 1) makespan = total;
  const wallMakespan = maxOrNull(shards.map((s) => s.wallSeconds));
  const predicted = maxOrNull(shards.map((s) => s.estimatedSeconds));
  const imbalance = makespan !== null && lowerBound > 0 ? makespan / lowerBound : null;
  const walls = shards.flatMap((s) => (s.wallSeconds !== null ? [s.wallSeconds] : []));
  const meanWall = walls.length >= 2 ? walls.reduce((a, b) => a + b, 0) / walls.length : 0;
  const wallImbalance = meanWall > 0 ? Math.max(...walls) / meanWall : null;
  const predictionError = makespan !== null && predicted !== null && predicted > 0 ? percentChange(predicted, makespan) : null;

  return {
    id: run.id,
    time: run.time,
    fingerprint: run.fingerprint ?? null,
    shardCount,
    fileCount: run.fileCount,
    totalSeconds: round(total),
    largestFileSeconds: round(largest),
    lowerBoundSeconds: round(lowerBound),
    makespanSeconds: nullableRound(makespan),
    wallMakespanSeconds: nullableRound(wallMakespan),
    imbalance: nullableRound(imbalance),
    wallImbalance: nullableRound(wallImbalance),
    predictedMakespanSeconds: nullableRound(predicted),
    predictionErrorPercent: nullableRound(predictionError),
    added: [...run.added].sort(compareCodeUnits),
    removed: [...run.removed].sort(compareCodeUnits),
    failedFiles: [...run.failedFiles].sort(compareCodeUnits),
    split:
      run.split === undefined
        ? null
        : {
            files: run.split.files.map((f) => ({ file: f.file, slices: f.slices })),
            fileLevelSeconds: round(run.split.fileLevelSeconds),
            slicedSeconds: round(run.split.slicedSeconds),
            savedPercent: run.split.fileLevelSeconds > 0 ? round((1 - run.split.slicedSeconds / run.split.fileLevelSeconds) * 100) : null,
          },
    shards,
    stages: stageTimes(run),
  };
}

function nullableRound(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value);
}

function compareStages(a: string, b: string): number {
  const ia = STAGE_ORDER.indexOf(a);
  const ib = STAGE_ORDER.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib) || compareCodeUnits(a, b);
  return compareCodeUnits(a, b);
}

function stageTimes(run: RunSummary): StageTime[] {
  const names = new Set([...Object.keys(run.stages ?? {}), ...Object.keys(run.predictedStages ?? {})]);
  return [...names].sort(compareStages).map((name) => ({
    name,
    measuredSeconds: nullableRound(finiteOrNull(run.stages?.[name])),
    predictedSeconds: nullableRound(finiteOrNull(run.predictedStages?.[name])),
  }));
}

type FileSamples = readonly [string, readonly HistorySample[]];

/**
 * "Now" means the files the latest run measured; when no sample names that run (an old history, or
 * none at all), every file's latest sample stands in.
 */
function currentFiles(samples: ReadonlyMap<string, readonly HistorySample[]>, latest: RunTrend | null): FileSamples[] {
  const inLatest = latest === null ? [] : [...samples].filter(([, s]) => s.some((x) => x.run === latest.id));
  return inLatest.length > 0 ? inLatest : [...samples];
}

function slowestFiles(current: readonly FileSamples[], latest: RunTrend | null, top: number): SlowFile[] {
  const rows: SlowFile[] = current.map(([file, s]) => {
    const last = s.at(-1)!;
    return {
      file,
      seconds: round(last.seconds),
      run: last.run,
      medianSeconds: round(median(s.map((x) => x.seconds))),
      samples: s.length,
      share: latest !== null && latest.totalSeconds > 0 ? round(last.seconds / latest.totalSeconds) : null,
    };
  });
  rows.sort((a, b) => b.seconds - a.seconds || compareCodeUnits(a.file, b.file));
  return rows.slice(0, top);
}

/**
 * A file got slower when its samples split best (least absolute deviation from each side's median)
 * into an earlier level and a later, slower one that still holds: at least `regressionMinRuns`
 * samples since the change, and the slowdown beats both the seconds and the ratio thresholds.
 * Medians make one slow outlier harmless; requiring several samples at the new level does the rest.
 */
function regressions(
  samples: ReadonlyMap<string, readonly HistorySample[]>,
  runById: ReadonlyMap<string, RunSummary>,
  settings: Trends['settings'],
): Regression[] {
  const found: Regression[] = [];
  const minAfter = settings.regressionMinRuns;
  const minBefore = settings.regressionMinBaseline;
  for (const [file, all] of samples) {
    // a skipped file's near-zero time says nothing about its speed
    const usable = all.filter((s) => s.status !== 'skipped' && Number.isFinite(s.seconds) && s.seconds >= 0);
    const n = usable.length;
    if (n < minBefore + minAfter) continue;
    const secs = usable.map((s) => s.seconds);
    let best = -1;
    let bestCost = Infinity;
    for (let j = minBefore; j <= n - minAfter; j++) {
      const cost = absoluteDeviation(secs.slice(0, j)) + absoluteDeviation(secs.slice(j));
      // ties go to the earliest split: the slowdown is dated from its first sign
      if (cost < bestCost - 1e-12) {
        bestCost = cost;
        best = j;
      }
    }
    if (best < 0) continue;
    const baseline = median(secs.slice(0, best));
    const recent = median(secs.slice(best));
    const delta = recent - baseline;
    if (delta < settings.regressionMinSeconds || delta <= 0) continue;
    if (baseline > 0 && delta / baseline < settings.regressionMinRatio) continue;
    // still slow now: the latest samples sit above the midpoint between the two levels
    const now = median(secs.slice(-minAfter));
    if (now <= (baseline + recent) / 2) continue;
    const since = usable[best]!;
    found.push({
      file,
      baselineSeconds: round(baseline),
      recentSeconds: round(recent),
      deltaSeconds: round(delta),
      deltaPercent: baseline > 0 ? round((delta / baseline) * 100) : null,
      sinceRun: since.run,
      sinceTime: runById.get(since.run)?.time ?? null,
      runsSince: n - best,
      baselineSamples: best,
    });
  }
  found.sort((a, b) => b.deltaSeconds - a.deltaSeconds || compareCodeUnits(a.file, b.file));
  return found;
}

function groupTrends(runs: readonly RunSummary[], window: number): GroupTrend[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of Object.keys(run.groups ?? {})) names.add(name);
  const latest = runs.at(-1);
  const groups = [...names].map((name): GroupTrend => {
    // a run that knew its groups but not this one had none of its files: 0, not unknown
    const seconds = runs.map((r) => (r.groups === undefined ? null : finiteOrNull(r.groups[name]) ?? 0));
    const shares = runs.map((r, i) => {
      const s = seconds[i];
      return s === null || s === undefined || !(r.totalSeconds > 0) ? null : s / r.totalSeconds;
    });
    const latestSeconds = latest?.groups === undefined ? null : finiteOrNull(latest.groups[name]) ?? 0;
    return {
      name,
      latestSeconds: nullableRound(latestSeconds),
      latestShare: latestSeconds !== null && latest !== undefined && latest.totalSeconds > 0 ? round(latestSeconds / latest.totalSeconds) : null,
      seconds: metricTrend(seconds, window),
      share: metricTrend(shares, window),
    };
  });
  groups.sort((a, b) => (b.latestSeconds ?? -1) - (a.latestSeconds ?? -1) || compareCodeUnits(a.name, b.name));
  return groups;
}

function stageTrends(runs: readonly RunSummary[], window: number): StageTrend[] {
  const names = new Set<string>();
  for (const run of runs) {
    for (const name of Object.keys(run.stages ?? {})) names.add(name);
    for (const name of Object.keys(run.predictedStages ?? {})) names.add(name);
  }
  return [...names].sort(compareStages).map((name) => ({
    name,
    measured: metricTrend(runs.map((r) => finiteOrNull(r.stages?.[name])), window),
    predicted: metricTrend(runs.map((r) => finiteOrNull(r.predictedStages?.[name])), window),
  }));
}
