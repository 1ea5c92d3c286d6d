/**
 * Candidate rules that predict a file's next duration from its past samples (oldest first). The
 * estimator back-tests them on the history it is given and keeps the one that would have predicted
 * that history best (see estimate.ts). Order matters: see CANDIDATE_RULES.
 */
export interface EstimationRule {
  readonly name: string;
  /** Predicts from samples[0..end), end >= 1. */
  predict(samples: readonly number[], end: number): number;
  /**
   * Follows the last run (exactly, or but for a spike): the default, which any other rule must beat
   * by a margin in the back-test to be chosen (estimate.ts).
   */
  readonly followsLast?: boolean;
}

const last: EstimationRule = { name: 'last', followsLast: true, predict: (s, end) => s[end - 1] ?? 0 };

/** Exponentially weighted mean: follows drift, damps a single spike by `alpha`. */
function ewma(alpha: number): EstimationRule {
  return {
    name: `ewma-${alpha}`,
    predict(s, end) {
      let value = s[0] ?? 0;
      for (let i = 1; i < end; i++) value = alpha * (s[i] ?? 0) + (1 - alpha) * value;
      return value;
    },
  };
}

/** Median of the last k samples: ignores a minority of spikes outright. */
function medianOfLast(k: number): EstimationRule {
  return {
    name: `median-${k}`,
    predict(s, end) {
      const n = sortedWindow(s, end, k);
      if (n === 0) return 0;
      const mid = n >> 1;
      return n % 2 === 1 ? scratch[mid]! : (scratch[mid - 1]! + scratch[mid]!) / 2;
    },
  };
}

/** Mean of the last k samples without their lowest and highest (when at least 3). */
function trimmedMeanOfLast(k: number): EstimationRule {
  return {
    name: `trimmed-mean-${k}`,
    predict(s, end) {
      const n = sortedWindow(s, end, k);
      const from = n >= 3 ? 1 : 0;
      const to = n >= 3 ? n - 1 : n;
      // summed in ascending order, as a sorted copy would be
      let sum = 0;
      for (let i = from; i < to; i++) sum += scratch[i]!;
      return sum / (to - from);
    },
  };
}

/**
 * The window's values, sorted ascending, in `scratch[0..n)`; returns n. The back-test calls a
 * rule once per file and past run (a million times on a large history): a reused buffer and an
 * insertion sort of at most k values instead of a slice and a comparator sort per call.
 */
function sortedWindow(s: readonly number[], end: number, k: number): number {
  const start = Math.max(0, end - k);
  const n = end - start;
  if (scratch.length < n) scratch = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = s[start + i] ?? 0;
    let j = i - 1;
    while (j >= 0 && scratch[j]! > v) {
      scratch[j + 1] = scratch[j]!;
      j--;
    }
    scratch[j + 1] = v;
  }
  return n;
}

let scratch = new Float64Array(16);

/**
 * The last run, unless it is a spike: more than SPIKE_FACTOR times the median of the (up to
 * SPIKE_WINDOW) samples before it; then that median. Something outside the tests (a retry, a slow
 * or cold runner) only ever makes a run slower, never faster, so only an upward jump is doubted, and
 * a file that got faster is followed at once. A file that truly got slower is followed from the next
 * run on, as soon as the median of its recent samples moves. With two samples it is the last one,
 * or the first when the last more than doubled it.
 */
function lastUnlessSpike(): EstimationRule {
  return {
    name: 'last-unless-spike',
    followsLast: true,
    predict(s, end) {
      const latest = s[end - 1] ?? 0;
      if (end < 2) return latest;
      const n = sortedWindow(s, end - 1, SPIKE_WINDOW);
      const mid = n >> 1;
      const level = n % 2 === 1 ? scratch[mid]! : (scratch[mid - 1]! + scratch[mid]!) / 2;
      return latest > SPIKE_FACTOR * level ? level : latest;
    },
  };
}

/** Measured in bench/estimator.mjs: 2 of 1.5, 2, 3, and 4 of 2, 4 samples. */
const SPIKE_FACTOR = 2;
const SPIKE_WINDOW = 4;

/**
 * Order matters: on a tie the earlier rule wins: `last` first, then, among the others, the one
 * that ignores a spike best (with few runs several rules predict
 * the same, e.g. ewma-0.5 and every median agree on two samples, and the data cannot tell them
 * apart; a longer median is the safer bet on the next run).
 */
export const CANDIDATE_RULES: readonly EstimationRule[] = [
  last,
  medianOfLast(5),
  medianOfLast(3),
  trimmedMeanOfLast(5),
  ewma(0.5),
  lastUnlessSpike(),
];

/** Median; the mean of the two middle values for an even count. Sorts `values` in place. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const hi = values[mid] ?? 0;
  return values.length % 2 === 1 ? hi : ((values[mid - 1] ?? 0) + hi) / 2;
}
