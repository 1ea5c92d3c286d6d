/**
 * Small robust statistics for the trend report. Pure and deterministic.
 */
import type { MetricTrend } from './types.js';

/** Median; the mean of the two middle values for an even count. NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sum of absolute deviations from the median: the cost of a segment in a robust change-point fit. */
export function absoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  let sum = 0;
  for (const v of values) sum += Math.abs(v - m);
  return sum;
}

/** Least-squares slope of the values against 0, 1, 2, ...; null for fewer than two values. */
export function slope(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  let meanY = 0;
  for (const v of values) meanY += v;
  meanY /= n;
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += (i - meanX) * (v - meanY);
    den += (i - meanX) ** 2;
  });
  return num / den;
}

export function percentChange(from: number | null, to: number | null): number | null {
  if (from === null || to === null || from === 0) return null;
  return ((to - from) / Math.abs(from)) * 100;
}

/** Rounds away float noise (0.1 + 0.2) so JSON and tests see the numbers people expect. */
export function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function roundOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value);
}

/** How one number moved over the runs; `window` is how many of the latest known values count as recent. */
export function metricTrend(values: readonly (number | null)[], window: number): MetricTrend {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const first = known[0] ?? null;
  const latest = known.at(-1) ?? null;
  const recent = known.slice(-Math.max(2, window));
  const recentFrom = recent[0] ?? null;
  const recentChangePercent = recent.length >= 2 ? percentChange(recentFrom, latest) : null;
  let direction: MetricTrend['direction'] = 'unknown';
  if (recent.length >= 2 && recentFrom !== null && latest !== null) {
    const base = Math.abs(recentFrom) > 0 ? Math.abs(recentFrom) : Math.abs(latest);
    const moved = base === 0 ? 0 : (latest - recentFrom) / base;
    direction = moved > 0.02 ? 'up' : moved < -0.02 ? 'down' : 'flat';
  }
  return {
    values: values.map((v) => (v === null || !Number.isFinite(v) ? null : round(v))),
    first: roundOrNull(first),
    latest: roundOrNull(latest),
    min: known.length > 0 ? round(Math.min(...known)) : null,
    max: known.length > 0 ? round(Math.max(...known)) : null,
    changePercent: roundOrNull(known.length >= 2 ? percentChange(first, latest) : null),
    recentSlopePerRun: roundOrNull(slope(recent)),
    recentChangePercent: roundOrNull(recentChangePercent),
    window: recent.length,
    direction,
  };
}
