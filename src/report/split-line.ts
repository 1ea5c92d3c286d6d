import { formatSeconds } from './format.js';
import type { RunSplitTrend } from './types.js';

/** Which files a run's plan split by test, and what it predicted that bought (text and HTML say it alike). */
export function splitLine(split: RunSplitTrend): string {
  const files = split.files.map((f) => `${f.file} (${f.slices} slices)`);
  const shown = files.length > 3 ? [...files.slice(0, 3), `${files.length - 3} more`] : files;
  const saved = split.savedPercent === null ? '' : ` (${split.savedPercent.toFixed(1)}% sooner)`;
  return `split by test: ${shown.join(', ')}; planned slowest shard ${formatSeconds(split.slicedSeconds)} instead of ${formatSeconds(split.fileLevelSeconds)} with whole files${saved}`;
}
