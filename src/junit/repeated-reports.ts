import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A report that repeats an earlier input byte for byte (e.g. a CI artifact downloaded twice). */
export interface RepeatedReport {
  readonly path: string;
  /** The earlier input it repeats (the one merged). */
  readonly of: string;
}

const WINDOW = 1 << 16;

/** SHA-256 of a file, read a window at a time. */
function digest(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(WINDOW);
    for (let at = 0; ; ) {
      const n = readSync(fd, bytes, 0, bytes.length, at);
      if (n === 0) break;
      hash.update(bytes.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Splits inputs into the first copy of each content and the byte-identical repeats. Only files of
 * equal size are read (shards' reports rarely are), so a run without copies pays a stat per file.
 * A file that cannot be read stays in `unique`: the merge names it in its own error.
 */
export function findRepeatedReports(inputs: readonly string[]): { unique: string[]; repeated: RepeatedReport[] } {
  const bySize = new Map<number, string[]>();
  for (const path of inputs) {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue;
    }
    const same = bySize.get(size);
    if (same === undefined) bySize.set(size, [path]);
    else same.push(path);
  }
  const repeatOf = new Map<string, string>();
  for (const same of bySize.values()) {
    if (same.length < 2) continue;
    const first = new Map<string, string>();
    for (const path of same) {
      let key: string;
      try {
        key = digest(path);
      } catch {
        continue;
      }
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, path);
      else repeatOf.set(path, earlier);
    }
  }
  const unique: string[] = [];
  const repeated: RepeatedReport[] = [];
  for (const path of inputs) {
    const of = repeatOf.get(path);
    if (of === undefined) unique.push(path);
    else repeated.push({ path, of });
  }
  return { unique, repeated };
}
