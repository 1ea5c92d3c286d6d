/**
 * Unicode sparklines (▁▂▃▄▅▆▇█) for the terminal report.
 */
const TICKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * One character per value, scaled between the smallest and largest known value (the shape matters
 * here, the figures are printed beside it). Unknown values are a space; a flat series sits mid-height.
 * With more values than `maxWidth`, the newest ones are kept.
 */
export function sparkline(values: readonly (number | null)[], maxWidth = Infinity): string {
  const shown = values.length > maxWidth ? values.slice(values.length - Math.max(0, Math.floor(maxWidth))) : values;
  const known = shown.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return ' '.repeat(shown.length);
  const min = Math.min(...known);
  const max = Math.max(...known);
  return shown
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (max === min) return TICKS[3];
      const i = Math.round(((v - min) / (max - min)) * (TICKS.length - 1));
      return TICKS[Math.min(TICKS.length - 1, Math.max(0, i))];
    })
    .join('');
}
