/**
 * Candidate rules that predict a file's next duration from its past samples (oldest first). The
 * estimator back-tests them on the history it is given and keeps the one that would have predicted
 * that history best (see estimate.ts). Order matters: on a tie the earlier, simpler rule wins.
 */
export interface EstimationRule {
  readonly name: string;
  /** Predicts from samples[0..end), end >= 1. */
  predict(samples: readonly number[], end: number): number;
}

const last: EstimationRule = { name: 'last', predict: (s, end) => s[end - 1] ?? 0 };

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
      return median(window(s, end, k));
    },
  };
}

/** Mean of the last k samples without their lowest and highest (when at least 3). */
function trimmedMeanOfLast(k: number): EstimationRule {
  return {
    name: `trimmed-mean-${k}`,
    predict(s, end) {
      const w = window(s, end, k).sort((a, b) => a - b);
      const kept = w.length >= 3 ? w.slice(1, -1) : w;
      let sum = 0;
      for (const v of kept) sum += v;
      return sum / kept.length;
    },
  };
}

export const CANDIDATE_RULES: readonly EstimationRule[] = [
  last,
  ewma(0.5),
  medianOfLast(3),
  medianOfLast(5),
  trimmedMeanOfLast(5),
];

function window(s: readonly number[], end: number, k: number): number[] {
  return s.slice(Math.max(0, end - k), end) as number[];
}

/** Median; the mean of the two middle values for an even count. Sorts `values` in place. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const hi = values[mid] ?? 0;
  return values.length % 2 === 1 ? hi : ((values[mid - 1] ?? 0) + hi) / 2;
}
