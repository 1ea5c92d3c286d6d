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
 * Counts testcase hashes in flat typed arrays (open addressing, 7 bytes a slot): a million
 * testcases cost ~8 MB instead of a Set of strings many times that. 48 of the hash's bits are
 * kept, so a false "seen twice" is about one in a million runs of a million testcases; it would
 * only cost the confirming pass, which compares full keys.
 */
export class HashCounter {
  private low = new Uint32Array(1 << 16);
  private high = new Uint16Array(1 << 16);
  private counts = new Uint8Array(1 << 16);
  private size = 0;

  add(hash: number): void {
    if ((this.size + 1) * 4 > this.low.length * 3) this.grow();
    const lo = hash >>> 0;
    const hi = Math.floor(hash / 0x100000000) & 0xffff;
    const slot = this.slot(lo, hi);
    if (this.counts[slot] === 0) {
      this.low[slot] = lo;
      this.high[slot] = hi;
      this.size++;
    }
    if (this.counts[slot]! < 255) this.counts[slot]!++;
  }

  /** Hashes seen more than once (as 48-bit values: compare with `hash % 2 ** 48`). */
  repeated(): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < this.low.length; i++) if (this.counts[i]! > 1) out.add(this.high[i]! * 0x100000000 + this.low[i]!);
    return out;
  }

  private slot(lo: number, hi: number): number {
    const mask = this.low.length - 1;
    let i = lo & mask;
    while (this.counts[i] !== 0 && (this.low[i] !== lo || this.high[i] !== hi)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { low, high, counts } = this;
    this.low = new Uint32Array(low.length * 2);
    this.high = new Uint16Array(low.length * 2);
    this.counts = new Uint8Array(low.length * 2);
    for (let i = 0; i < low.length; i++) {
      if (counts[i] === 0) continue;
      const slot = this.slot(low[i]!, high[i]!);
      this.low[slot] = low[i]!;
      this.high[slot] = high[i]!;
      this.counts[slot] = counts[i]!;
    }
  }
}

/** The part of a hash that HashCounter keeps. */
export function keptBits(hash: number): number {
  return hash % 0x1000000000000;
}

/**
 * A set of hashParts values in one typed array (open addressing, 8 bytes a slot, 0 = empty since
 * hashParts never returns 0): a million testcase identities cost 16 MB at most, where a Set of
 * their strings costs many times that and grows with the names' length.
 */
export class HashSet {
  private slots = new Float64Array(1 << 10);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(hash: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const slot = this.slot(hash);
    if (this.slots[slot] === 0) {
      this.slots[slot] = hash;
      this.count++;
    }
  }

  has(hash: number): boolean {
    return this.slots[this.slot(hash)] === hash;
  }

  addAll(other: HashSet): void {
    for (const hash of other.values()) this.add(hash);
  }

  *values(): IterableIterator<number> {
    for (const hash of this.slots) if (hash !== 0) yield hash;
  }

  private slot(hash: number): number {
    const mask = this.slots.length - 1;
    let i = (hash ^ (hash / 0x100000000)) & mask;
    while (this.slots[i] !== 0 && this.slots[i] !== hash) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const hash of old) if (hash !== 0) this.slots[this.slot(hash)] = hash;
  }
}
