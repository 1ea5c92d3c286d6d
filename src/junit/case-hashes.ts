import type { JUnitCase } from './types.js';

/** What makes two testcases the same test: where it lives and what it is called. */
export function caseKey(c: JUnitCase): string {
  return `${c.file ?? ''}\u0000${c.classname ?? ''}\u0000${c.suites.join('\u0001')}\u0000${c.name}`;
}

/** A 53-bit hash (two 32-bit FNV-1a variants) of a key, never 0. */
export function hashKey(key: string): number {
  return hashParts([key]);
}

/**
 * The hash of several strings in a row, as if joined by a separator, without building the joined
 * string (this runs for every testcase of every report).
 */
export function hashParts(parts: readonly (string | undefined)[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const part of parts) {
    if (part !== undefined) {
      for (let i = 0; i < part.length; i++) {
        const c = part.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
      }
    }
    a = Math.imul(a ^ 0xffff, 0x01000193);
    b = Math.imul(b ^ 0xffff, 0x5bd1e995) ^ (b >>> 15);
  }
  return ((a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff)) || 1;
}

/**
 * Counts testcase hashes in flat typed arrays (open addressing): a million testcases cost ~16 MB
 * instead of a Set of strings several times that. Hash collisions only make a testcase a
 * suspect; the second pass confirms duplicates on the full key.
 */
export class HashCounter {
  private keys = new Float64Array(1 << 16);
  private counts = new Uint8Array(1 << 16);
  private size = 0;

  add(hash: number): void {
    if ((this.size + 1) * 4 > this.keys.length * 3) this.grow();
    const slot = this.slot(hash, this.keys);
    if (this.keys[slot] === 0) {
      this.keys[slot] = hash;
      this.size++;
    }
    if (this.counts[slot]! < 255) this.counts[slot]!++;
  }

  /** Hashes seen more than once. */
  repeated(): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < this.keys.length; i++) if (this.counts[i]! > 1) out.add(this.keys[i]!);
    return out;
  }

  private slot(hash: number, keys: Float64Array): number {
    const mask = keys.length - 1;
    let i = (hash % 0x100000000) & mask;
    while (keys[i] !== 0 && keys[i] !== hash) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.counts = new Uint8Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      const hash = oldKeys[i]!;
      if (hash === 0) continue;
      const slot = this.slot(hash, this.keys);
      this.keys[slot] = hash;
      this.counts[slot] = oldCounts[i]!;
    }
  }
}
