import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A report that repeats an earlier input byte for byte (e.g. a CI artifact downloaded twice). */
export interface RepeatedReport {
  readonly path: string;
  /** The earlier input it repeats (the one merged). */
  readonly of: string;
}

const WINDOW = 1 << 16;
const left = Buffer.alloc(WINDOW);
const right = Buffer.alloc(WINDOW);

/** Whether two files of the same size hold the same bytes, read a window at a time. */
function sameBytes(a: string, b: string, size: number): boolean {
  const fa = openSync(a, 'r');
  try {
    const fb = openSync(b, 'r');
    try {
      for (let at = 0; at < size; ) {
        const na = readSync(fa, left, 0, WINDOW, at);
        const nb = readSync(fb, right, 0, WINDOW, at);
        if (na !== nb || na === 0) return na === nb && at >= size;
        if (left.compare(right, 0, nb, 0, na) !== 0) return false;
        at += na;
      }
      return true;
    } finally {
      closeSync(fb);
    }
  } finally {
    closeSync(fa);
  }
}

/**
 * Splits inputs into the first copy of each content and the byte-identical repeats. Only files of
 * equal size are read and compared (shards' reports rarely are), so a run without copies pays a
 * stat per file.
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
  for (const [size, same] of bySize) {
    if (same.length < 2) continue;
    // each file against the distinct contents seen so far in its size (no hashing library needed:
    // files of one size are few, and most differ in their first window)
    const distinct: string[] = [];
    for (const path of same) {
      let earlier: string | undefined;
      try {
        earlier = distinct.find((d) => sameBytes(d, path, size));
      } catch {
        continue;
      }
      if (earlier === undefined) distinct.push(path);
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
