/**
 * Durations as people write them in CI configs: `90s`, `10m`, `1h30m`, `1.5m`, or plain seconds.
 * Pure; callers wrap failures in a UserError naming their flag or key.
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/** Seconds for `text`, or undefined when it is not a duration (zero and negatives included). */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 0 ? seconds : undefined;
  }
  // Units must come in h, m, s order, each at most once: "1h30m" yes, "30m1h" no.
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed.replace(/\s+/g, ''));
  if (!match || trimmed === '') return undefined;
  const [, h, m, s] = match;
  if (h === undefined && m === undefined && s === undefined) return undefined;
  const seconds =
    Number(h ?? 0) * (UNIT_SECONDS.h ?? 0) + Number(m ?? 0) * (UNIT_SECONDS.m ?? 0) + Number(s ?? 0);
  return seconds > 0 ? seconds : undefined;
}

/** `754` -> `12m34s`, `42.4` -> `42s`, `3600` -> `1h00m`; for tables and timelines. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
