import { describe, expect, it } from 'vitest';
import { planShards } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/types.js';
import { correctContention } from '../../src/timings/contention.js';
import { addRun, historyToRuns } from '../../src/timings/history.js';
import type { History } from '../../src/timings/history-types.js';

describe('correctContention', () => {
  it('scales file times down to the wall time when they add up to more', () => {
    const { seconds, factor } = correctContention(new Map([['a', 30], ['b', 10]]), 10);
    expect(factor).toBe(0.25);
    expect(Object.fromEntries(seconds)).toEqual({ a: 7.5, b: 2.5 });
  });

  it('leaves sequential shards (sum at most the wall time) and unknown wall times alone', () => {
    expect(correctContention(new Map([['a', 3]]), 5).factor).toBe(1);
    expect(correctContention(new Map([['a', 3]]), undefined).factor).toBe(1);
    expect(correctContention(new Map([['a', 3]]), 0).factor).toBe(1);
    expect(Object.fromEntries(correctContention(new Map([['a', 3]]), Number.NaN).seconds)).toEqual({ a: 3 });
  });
});

/**
 * A fake runner with contention: each shard runs its files up to PARALLEL at a time on one CPU.
 * The CPU is always busy, so the shard's wall time is the sum of its files' true times, while each
 * file is measured slower by the shard's load factor min(PARALLEL, files on the shard).
 */
const PARALLEL = 4;
const SHARDS = 3;
// one long file and many short ones: a perfect split puts the long file nearly alone
const TRUE_SECONDS: Record<string, number> = { 'long.test.ts': 60 };
for (let i = 0; i < 24; i++) TRUE_SECONDS[`short-${String(i).padStart(2, '0')}.test.ts`] = 5;
const FILES = Object.keys(TRUE_SECONDS);

function runPlan(plan: Plan): { files: Map<string, number>; wallSeconds: number }[] {
  return plan.shards.map((shard) => {
    const load = Math.min(PARALLEL, shard.files.length);
    const files = new Map(shard.files.map((f) => [f, TRUE_SECONDS[f]! * load]));
    const wallSeconds = shard.files.reduce((sum, f) => sum + TRUE_SECONDS[f]!, 0);
    return { files, wallSeconds };
  });
}

function trueMakespan(plan: Plan): number {
  return Math.max(...plan.shards.map((s) => s.files.reduce((sum, f) => sum + TRUE_SECONDS[f]!, 0)));
}

function simulate(correct: boolean, runs: number): { plans: Plan[]; makespans: number[] } {
  let history: History | undefined;
  const plans: Plan[] = [];
  for (let r = 0; r < runs; r++) {
    const plan = planShards({ files: FILES, shards: SHARDS, runs: history ? historyToRuns(history) : [] });
    plans.push(plan);
    const measured = new Map<string, { seconds: number }>();
    for (const shard of runPlan(plan)) {
      const seconds = correct ? correctContention(shard.files, shard.wallSeconds).seconds : shard.files;
      for (const [f, s] of seconds) measured.set(f, { seconds: s });
    }
    history = addRun(history, { id: `run-${r}`, time: new Date(Date.UTC(2026, 0, 1 + r)).toISOString(), files: measured });
  }
  return { plans, makespans: plans.map(trueMakespan) };
}

describe('three runs of a runner with contention', () => {
  const optimum = Math.max(60, FILES.reduce((sum, f) => sum + TRUE_SECONDS[f]!, 0) / SHARDS);

  it('converge to a balanced, stable plan with the correction', () => {
    const { plans, makespans } = simulate(true, 3);
    // run 1 knows nothing and splits by count; run 2 plans on corrected (true) times
    expect(makespans[1]).toBeCloseTo(optimum, 6);
    expect(makespans[2]).toBeCloseTo(optimum, 6);
    expect(plans[2]!.shards.map((s) => s.files)).toEqual(plans[1]!.shards.map((s) => s.files));
  });

  it('oscillate without it (the case the correction exists for)', () => {
    const { plans, makespans } = simulate(false, 3);
    expect(plans[2]!.shards.map((s) => s.files)).not.toEqual(plans[1]!.shards.map((s) => s.files));
    expect(Math.max(makespans[1]!, makespans[2]!)).toBeGreaterThan(optimum * 1.1);
  });
});
