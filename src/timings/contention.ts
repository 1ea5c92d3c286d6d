/**
 * Contention correction. A runner that runs several files at once inside one shard (vitest and jest
 * workers, pytest-xdist) times each file while it shares the CPU with the others, so every file
 * looks slower by the shard's load, and the measured times add up to more than the shard took.
 * Planning on them makes crowded shards look heavy, the next plan empties them, the files then look
 * fast, and plans oscillate. Scaling a shard's file times so that they add up to the shard's wall
 * time removes its load factor and lets plans converge.
 *
 * Only a sum above the wall time is scaled: below it the runner was sequential and the gap is
 * start-up and teardown, which belongs to no file.
 */
export interface ContentionCorrection {
  readonly seconds: Map<string, number>;
  /** What every file time was multiplied by: 1 when nothing was corrected. */
  readonly factor: number;
}

export function correctContention(files: ReadonlyMap<string, number>, wallSeconds: number | undefined): ContentionCorrection {
  let sum = 0;
  for (const seconds of files.values()) sum += seconds;
  const usable = wallSeconds !== undefined && Number.isFinite(wallSeconds) && wallSeconds > 0;
  if (!usable || sum <= wallSeconds) return { seconds: new Map(files), factor: 1 };
  const factor = wallSeconds / sum;
  const seconds = new Map<string, number>();
  for (const [file, s] of files) seconds.set(file, s * factor);
  return { seconds, factor };
}
