/**
 * Number formatting shared by the text and HTML renderers, so both print the same figures.
 */

/** Seconds as people read them: "0.42s", "12.3s", "4m 05s", "1h 02m". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 10) return `${sign}${s.toFixed(2)}s`;
  if (s < 60) return `${sign}${s.toFixed(1)}s`;
  // round once, at the displayed precision, so 59.96s never prints as "0m 60s"
  if (s < 3600) {
    const whole = Math.round(s);
    const m = Math.floor(whole / 60);
    const rest = whole % 60;
    return `${sign}${m}m ${String(rest).padStart(2, '0')}s`;
  }
  const minutes = Math.round(s / 60);
  return `${sign}${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A signed percentage, "+12.5%", "-3.0%", or "–" when unknown. */
export function formatPercent(percent: number | null | undefined, digits = 1): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '–';
  const rounded = Number(percent.toFixed(digits));
  const sign = rounded > 0 ? '+' : rounded < 0 ? '-' : '±';
  return `${sign}${Math.abs(rounded).toFixed(digits)}%`;
}

/** A share in [0, 1] as "42.0%". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(1)}%`;
}

/** A ratio such as the imbalance, "1.08". */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return ratio.toFixed(2);
}

/** A signed seconds delta, "+3.20s". */
export function formatDeltaSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  return `${seconds > 0 ? '+' : ''}${formatSeconds(seconds)}`;
}

/**
 * Shortens text to `max` characters by cutting the middle: test paths differ at both ends
 * (the feature folder and the file name), so both are kept.
 */
export function truncateMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  const keepEnd = Math.ceil((max - 1) * 0.6);
  const keepStart = max - 1 - keepEnd;
  return `${chars.slice(0, keepStart).join('')}…${chars.slice(chars.length - keepEnd).join('')}`;
}

/** "2025-03-01T10:20:30.000Z" -> "2025-03-01 10:20" (UTC as recorded); anything else as recorded. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
