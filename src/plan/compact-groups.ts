/**
 * Large feature groups placed file by file, each on at most its allowed number of shards.
 *
 * Cutting a large group into pieces before partitioning (items.ts) sizes the pieces blind to the
 * rest of the plan: a group of 1.9 fair shares cut into two even pieces leaves the other groups two
 * shards between them, while three pieces sized to the room beside those groups balance. Here the
 * group's files are placed one by one beside everything else, and a group may open a new shard
 * only while it is on fewer than its cap (ceil(group / fair share) + 1): LPT under that rule, then
 * moves and swaps between the heaviest shard and the others that keep every group within its cap.
 * Pure and deterministic: ties go to the lower index, and the work is counted in steps, not time.
 */
export interface CompactUnits {
  /** Sizes, largest first (ties in the caller's canonical order). */
  readonly sizes: readonly number[];
  /** Per unit, the index of its capped group, or -1 for a unit free to go anywhere. */
  readonly group: Int32Array;
  /** Per capped group, the most shards it may land on. */
  readonly caps: readonly number[];
}

/** Steps (pairs of units looked at), never clock time, so that every CI node stops at the same point. */
const WORK_BUDGET = 1_000_000;

export function placeCompact(units: CompactUnits, shards: number, workBudget = WORK_BUDGET): Int32Array {
  const state = new Placement(units, shards);
  for (let i = 0; i < units.sizes.length; i++) state.put(i, state.lightestAllowed(i));
  state.improve(workBudget);
  return state.assignment;
}

class Placement {
  readonly assignment: Int32Array;
  private readonly loads: Float64Array;
  /** Per capped group and shard, how many of its units are there. */
  private readonly counts: Int32Array[];
  /** Per capped group, on how many shards it is. */
  private readonly spread: Int32Array;
  private readonly members: number[][];
  private readonly eps: number;

  constructor(
    private readonly units: CompactUnits,
    private readonly shards: number,
  ) {
    this.assignment = new Int32Array(units.sizes.length).fill(-1);
    this.loads = new Float64Array(shards);
    this.counts = units.caps.map(() => new Int32Array(shards));
    this.spread = new Int32Array(units.caps.length);
    this.members = Array.from({ length: shards }, () => []);
    let total = 0;
    for (const x of units.sizes) total += x;
    this.eps = Math.max(total, 1e-300) * 1e-12;
  }

  /** The least loaded shard unit i may go to (fewer units, then lower index, on a tie). */
  lightestAllowed(i: number): number {
    const g = this.units.group[i]!;
    const full = g >= 0 && this.spread[g]! >= this.units.caps[g]!;
    let best = -1;
    for (let s = 0; s < this.shards; s++) {
      if (full && this.counts[g]![s] === 0) continue;
      if (best === -1 || this.loads[s]! < this.loads[best]! || (this.loads[s] === this.loads[best] && this.members[s]!.length < this.members[best]!.length)) best = s;
    }
    return best;
  }

  put(i: number, s: number): void {
    this.assignment[i] = s;
    this.loads[s]! += this.units.sizes[i]!;
    this.members[s]!.push(i);
    const g = this.units.group[i]!;
    if (g >= 0 && this.counts[g]![s]!++ === 0) this.spread[g]!++;
  }

  private take(i: number): void {
    const s = this.assignment[i]!;
    this.loads[s]! -= this.units.sizes[i]!;
    const list = this.members[s]!;
    list.splice(list.indexOf(i), 1);
    const g = this.units.group[i]!;
    if (g >= 0 && --this.counts[g]![s]! === 0) this.spread[g]!--;
  }

  /** Whether moving unit i from its shard to shard `to` keeps its group within its cap. */
  private canMove(i: number, to: number): boolean {
    const g = this.units.group[i]!;
    if (g < 0 || this.counts[g]![to]! > 0) return true;
    return this.spread[g]! < this.units.caps[g]! || this.counts[g]![this.assignment[i]!] === 1;
  }

  /** Whether exchanging a (on shard h) and b (on shard l) keeps both groups within their caps. */
  private canSwap(a: number, b: number): boolean {
    const ga = this.units.group[a]!;
    const gb = this.units.group[b]!;
    if (ga === gb) return true;
    const h = this.assignment[a]!;
    const l = this.assignment[b]!;
    const after = (g: number, leaves: number, joins: number): boolean => {
      if (g < 0) return true;
      const spread = this.spread[g]! - (this.counts[g]![leaves] === 1 ? 1 : 0) + (this.counts[g]![joins] === 0 ? 1 : 0);
      return spread <= this.units.caps[g]!;
    };
    return after(ga, h, l) && after(gb, l, h);
  }

  /**
   * The heaviest shard gives a unit to, or swaps one with, another shard whenever that lowers the
   * larger of the two below it; when it cannot, it is set aside and the next heaviest is tried.
   */
  improve(budget: number): void {
    const sizes = this.units.sizes;
    let work = 0;
    const frozen = new Uint8Array(this.shards);
    for (;;) {
      frozen.fill(0);
      let changed = false;
      for (let round = 0; round < this.shards; round++) {
        let h = -1;
        for (let s = 0; s < this.shards; s++) if (!frozen[s] && (h === -1 || this.loads[s]! > this.loads[h]!)) h = s;
        if (h === -1) break;
        const limit = this.loads[h]! - this.eps;
        let best: { a: number; b: number; to: number; max: number } | undefined;
        scan: for (let l = 0; l < this.shards; l++) {
          if (l === h || this.loads[l]! >= limit) continue;
          for (const a of this.members[h]!) {
            if (++work >= budget) break scan;
            const x = sizes[a]!;
            const moved = Math.max(this.loads[h]! - x, this.loads[l]! + x);
            if (moved < limit && (best === undefined || moved < best.max - this.eps) && this.canMove(a, l)) best = { a, b: -1, to: l, max: moved };
            for (const b of this.members[l]!) {
              work++;
              const d = x - sizes[b]!;
              if (d <= 0) continue;
              const swapped = Math.max(this.loads[h]! - d, this.loads[l]! + d);
              if (swapped < limit && (best === undefined || swapped < best.max - this.eps) && this.canSwap(a, b)) best = { a, b, to: l, max: swapped };
            }
          }
        }
        if (best === undefined) {
          frozen[h] = 1;
          if (work >= budget) return;
          continue;
        }
        this.take(best.a);
        if (best.b >= 0) {
          this.take(best.b);
          this.put(best.b, h);
        }
        this.put(best.a, best.to);
        changed = true;
        if (work >= budget) return;
        break;
      }
      if (!changed) return;
    }
  }
}
