import { CANDIDATE_RULES, median, type EstimationRule } from './estimators.js';
import type { TimingRun } from './types.js';

export interface FileEstimates {
  /** Seconds per file, for every file asked about. */
  readonly estimates: Map<string, number>;
  /** Files with no history, estimated from their group or from all files. */
  readonly estimatedFiles: number;
  /** The rule chosen for this history, or "none" when there is no history at all. */
  readonly estimator: string;
}

/** Estimate used when nothing at all is known: every file weighs the same, i.e. split by count. */
const UNKNOWN_SECONDS = 1;

/**
 * One number per file from its past runs (`orderedRuns` oldest first, see orderRuns).
 *
 * The rule is chosen per history: runs months apart drift, so the last run predicts best; runs close
 * together are noisy with spikes, so a median predicts best. Each candidate rule predicts every run
 * j from the runs before it, and the rule with the smallest error over the history wins (see
 * `scoreRules`), if it beats following the last run by a margin (MARGIN). One candidate follows the last run
 * but doubts a sudden jump up (a spike). Files without history take the median of the known files of their group, else of
 * all known files, else 1.
 */
export function estimateFiles(
  files: readonly string[],
  orderedRuns: readonly TimingRun[],
  groupOf: (file: string) => string | undefined,
  /** Candidate rules, simplest first; one rule fixes it (benchmarks compare fixed rules this way). */
  rules: readonly EstimationRule[] = CANDIDATE_RULES,
): FileEstimates {
  const { values, estimatedFiles, estimator } = estimateFileArray(files, orderedRuns, groupOf, rules);
  const estimates = new Map<string, number>();
  for (let i = 0; i < files.length; i++) estimates.set(files[i]!, values[i]!);
  return { estimates, estimatedFiles, estimator };
}

/** estimateFiles with the estimates in an array indexed like `files`: what the planner uses. */
export function estimateFileArray(
  files: readonly string[],
  orderedRuns: readonly TimingRun[],
  groupOf: (file: string) => string | undefined,
  rules: readonly EstimationRule[] = CANDIDATE_RULES,
): { values: Float64Array; estimatedFiles: number; estimator: string } {
  const values = new Float64Array(files.length);
  if (orderedRuns.length === 0) {
    values.fill(UNKNOWN_SECONDS);
    return { values, estimatedFiles: files.length, estimator: 'none' };
  }
  let rule: EstimationRule;
  let sampleOf: (file: string) => number | undefined;
  if (orderedRuns.length === 1 && rules === CANDIDATE_RULES) {
    // One run: the back-test has nothing to predict (chooseRule falls back to NO_EVIDENCE_RULE), and
    // every candidate rule predicts a single sample as itself (test/plan/estimate.test.ts checks
    // both), so the estimate is the run's own time, without a series per file.
    rule = noEvidenceRule(rules) ?? rules[0]!;
    const only = orderedRuns[0]!.seconds;
    sampleOf = (file) => {
      const seconds = only.get(file);
      return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
    };
  } else {
    const series = collectSeries(orderedRuns);
    const chosen = rules.length === 1 ? rules[0]! : chooseRule(orderedRuns, series, rules);
    rule = chosen;
    sampleOf = (file) => {
      const samples = series.get(file)?.samples;
      return samples === undefined || samples.length === 0 ? undefined : chosen.predict(samples, samples.length);
    };
  }

  const unknown: number[] = [];
  const knownByGroup = new Map<string, number[]>();
  const known = new Float64Array(files.length);
  let knownCount = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const sample = sampleOf(file);
    if (sample === undefined) {
      unknown.push(i);
      continue;
    }
    const value = sanitise(sample);
    values[i] = value;
    known[knownCount++] = value;
    const group = groupOf(file);
    if (group !== undefined) {
      let list = knownByGroup.get(group);
      if (list === undefined) knownByGroup.set(group, (list = []));
      list.push(value);
    }
  }
  // a typed array sorts numbers natively, without a comparator call per pair; same median
  const fallback = knownCount > 0 ? sortedMedian(known.subarray(0, knownCount).sort()) : UNKNOWN_SECONDS;
  const groupMedians = new Map<string, number>();
  for (const i of unknown) {
    const group = groupOf(files[i]!);
    let value = fallback;
    if (group !== undefined) {
      let m = groupMedians.get(group);
      if (m === undefined) {
        const list = knownByGroup.get(group);
        m = list !== undefined && list.length > 0 ? median(list) : fallback;
        groupMedians.set(group, m);
      }
      value = m;
    }
    values[i] = value;
  }
  return { values, estimatedFiles: unknown.length, estimator: rule.name };
}

/** Median of values sorted ascending; the mean of the two middle values for an even count. */
function sortedMedian(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? 0) + hi) / 2;
}

function noEvidenceRule(rules: readonly EstimationRule[]): EstimationRule | undefined {
  return rules.length === 1 ? rules[0] : rules.find((r) => r.name === NO_EVIDENCE_RULE);
}

/** A file's samples in run order, and the index (in the ordered runs) of the run of each sample. */
interface FileSeries {
  readonly samples: number[];
  readonly runs: number[];
}

/** Per file, its samples in run order. Non-finite or negative seconds are not samples. */
function collectSeries(orderedRuns: readonly TimingRun[]): Map<string, FileSeries> {
  const series = new Map<string, FileSeries>();
  orderedRuns.forEach((run, j) => {
    for (const [file, seconds] of run.seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) continue;
      const entry = series.get(file);
      if (entry === undefined) {
        series.set(file, { samples: [seconds], runs: [j] });
      } else {
        entry.samples.push(seconds);
        entry.runs.push(j);
      }
    }
  });
  return series;
}

function sanitise(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function chooseRule(orderedRuns: readonly TimingRun[], series: Map<string, FileSeries>, rules: readonly EstimationRule[]): EstimationRule {
  const { scores, testedRuns } = scoreSeries(series, orderedRuns.length, rules);
  let best = 0;
  for (let c = 1; c < scores.length; c++) {
    const s = scores[c] ?? Infinity;
    const b = scores[best] ?? Infinity;
    // a rule must beat the earlier one by more than rounding noise to be chosen
    if (s < b - 1e-9 * Math.max(1, Math.abs(b))) best = c;
  }
  // No evidence either way. With two runs (every rule predicted the second from the one sample
  // before it), follow the last run unless it looks like a spike. With more, every rule can only tie
  // when the runs repeat each other sample for sample: a report carried over unchanged between
  // commits, i.e. one regenerated now and then, months apart, where runs drift and the last one
  // predicts best (DESIGN.md "Estimate"). Measured on the shared histories, which hold such runs:
  // following the last run there takes the real gap in bench/estimator.mjs from 0.0035 to 0.0022;
  // generated histories never tie.
  const first = scores[0] ?? 0;
  if (best === 0 && scores.every((s) => Math.abs(s - first) <= 1e-9 * Math.max(1, Math.abs(first)))) {
    const robust = testedRuns > 1 ? rules[0] : noEvidenceRule(rules);
    if (robust !== undefined) return robust;
  }
  // The back-test is a handful of runs, so its scores are noisy: a rule that beats the last run by a
  // hair won that by chance as often as not, and costs where the history drifts. So each step away
  // from the last run must pay for itself by MARGIN: the first rule (`last`) is the default, a rule
  // that still follows the last run but for spikes replaces it if it scores MARGIN better, and any
  // other rule must score MARGIN better than that default.
  let fallback = 0;
  rules.forEach((rule, c) => {
    if (c > 0 && rule.followsLast === true && (scores[c] ?? Infinity) < (scores[fallback] ?? Infinity) * (1 - MARGIN)) fallback = c;
  });
  if (rules[best]!.followsLast === true || !((scores[best] ?? Infinity) < (scores[fallback] ?? Infinity) * (1 - MARGIN))) best = fallback;
  return rules[best] ?? CANDIDATE_RULES[0]!;
}

const NO_EVIDENCE_RULE = 'last-unless-spike';

/**
 * How much better a rule must score in the back-test than the default (see chooseRule) to be chosen.
 * Measured in bench/estimator.mjs (gap to the best fixed rule, mean over seeds; margins 0, 0.02,
 * 0.05, 0.1, 0.15): 0.05 keeps every kind of history within 0.005; 0 loses 0.0048 on the real
 * histories and 0.0087 on a history whose files step up for good, 0.1 and more lose on jitter.
 */
const MARGIN = 0.05;

/**
 * Weight of a back-tested run relative to the one after it. 0.5 measured best of 1, 0.7 and 0.5 in
 * bench/estimator.mjs (gap to the best fixed rule: real 0.0067 -> 0.0056, noisy 0.0089 -> 0.0078,
 * renamed 0.0052 -> 0.0039, added 0.0033 -> 0.0004; drift 0.0014 -> 0.0019), and again of 0.3, 0.5,
 * 0.7 and 1 with the spike rule and the margin (within 0.002 of each other on every kind).
 */
const RECENCY = 0.5;

/**
 * Back-test: for every run j >= 1, each rule predicts the files of run j that were seen before,
 * from their samples before j. A run's error is the root of the summed squared errors after scaling the
 * predictions to the run's real total, divided by that total:
 * - squared: a rule that trusts one spiky run misses by the whole spike, and the spike is what
 *   breaks a shard; summed absolute errors let many small misses outweigh it (bench/estimator.mjs);
 * - seconds, not relative error, because a shard's makespan is a sum of seconds: missing
 *   a 300 s file by 10% matters, missing a 0.1 s file by 200% does not;
 * - scaled, because a uniformly faster or slower run (another machine) moves every file alike and
 *   does not change which split is balanced;
 * - divided by the total, so runs count alike but for their recency (RECENCY).
 * Exported for tests and benchmarks.
 */
export function scoreRules(orderedRuns: readonly TimingRun[], rules: readonly EstimationRule[]): number[] {
  return scoreSeries(collectSeries(orderedRuns), orderedRuns.length, rules).scores;
}

/**
 * scoreRules over the per-file series, file by file: each sample after a file's first is predicted
 * once per rule from the samples before it, and the sums are kept per rule and run. Two passes,
 * because the scale of a rule in a run needs its totals first; predicting twice is cheaper than
 * keeping every prediction (a million per rule on a large history).
 */
function scoreSeries(series: Map<string, FileSeries>, runCount: number, rules: readonly EstimationRule[]): { scores: number[]; testedRuns: number } {
  const R = rules.length;
  const actualTotal = new Float64Array(runCount);
  const predTotal = new Float64Array(R * runCount);
  for (const { samples, runs } of series.values()) {
    for (let e = 1; e < samples.length; e++) {
      const j = runs[e]!;
      actualTotal[j]! += samples[e]!;
      for (let c = 0; c < R; c++) predTotal[c * runCount + j]! += sanitise(rules[c]!.predict(samples, e));
    }
  }
  const scale = new Float64Array(R * runCount);
  for (let c = 0; c < R; c++) {
    for (let j = 0; j < runCount; j++) {
      const p = predTotal[c * runCount + j]!;
      scale[c * runCount + j] = p > 0 ? actualTotal[j]! / p : 1;
    }
  }
  const squared = new Float64Array(R * runCount);
  for (const { samples, runs } of series.values()) {
    for (let e = 1; e < samples.length; e++) {
      const j = runs[e]!;
      if (!(actualTotal[j]! > 0)) continue;
      const actual = samples[e]!;
      for (let c = 0; c < R; c++) {
        const k = c * runCount + j;
        const d = sanitise(rules[c]!.predict(samples, e)) * scale[k]! - actual;
        squared[k]! += d * d;
      }
    }
  }
  const scores = rules.map(() => 0);
  let testedRuns = 0;
  for (let j = 0; j < runCount; j++) {
    if (!(actualTotal[j]! > 0)) continue;
    testedRuns++;
    // recent runs count more: a history's character changes (a suite that drifted for months
    // turns noisy once runs come daily), and the next run is most like the last few
    const weight = RECENCY ** (runCount - 1 - j);
    for (let c = 0; c < R; c++) scores[c]! += (weight * Math.sqrt(squared[c * runCount + j]!)) / actualTotal[j]!;
  }
  return { scores, testedRuns };
}
