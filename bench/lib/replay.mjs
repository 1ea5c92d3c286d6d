// Shared helpers of the planner benchmarks: loading the real histories, scoring a split.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalisePath } from '../../dist/paths.js';

export const TIMINGS_ROOT = new URL('../../../shared/data/timings/', import.meta.url).pathname;

/** Per project with at least two versions: its versions oldest first, each { name, seconds: Map }. */
export function loadRealHistories(root = TIMINGS_ROOT) {
  const projects = [];
  for (const project of readdirSync(root).sort()) {
    const names = readdirSync(join(root, project)).filter((f) => f.endsWith('.json')).sort();
    if (names.length < 2) continue;
    const versions = names.map((name) => {
      const raw = JSON.parse(readFileSync(join(root, project, name), 'utf8'));
      const seconds = new Map();
      for (const [k, v] of Object.entries(raw)) seconds.set(normalisePath(k), (seconds.get(normalisePath(k)) ?? 0) + v);
      return { name: `${project}/${name}`, seconds };
    });
    projects.push({ project, versions });
  }
  return projects;
}

/**
 * Each replay: plan version i with versions i-window..i-1 as runs, score with version i. The runs
 * hold only version i's files, as `split-tests plan` reads them: timings of files that are not
 * among the test files are ignored (and said so).
 */
export function* replays(versions, window = 5) {
  for (let i = 1; i < versions.length; i++) {
    const truth = versions[i].seconds;
    const runs = versions.slice(Math.max(0, i - window), i).map((v) => ({ source: v.name, seconds: new Map([...v.seconds].filter(([f]) => truth.has(f))) }));
    yield { runs, truth, files: [...truth.keys()].sort(), name: versions[i].name };
  }
}

export function lowerBound(truth, shards) {
  let total = 0, max = 0;
  for (const v of truth.values()) { total += v; if (v > max) max = v; }
  return Math.max(total / shards, max);
}

/** Makespan of per-shard file lists under the real times. */
export function makespan(shardFiles, truth) {
  let max = 0;
  for (const files of shardFiles) {
    let sum = 0;
    for (const f of files) sum += truth.get(f) ?? 0;
    if (sum > max) max = sum;
  }
  return max;
}

/** Splits files by the given partitioner on the given estimates (largest first, ties by path). */
export function splitBy(partitioner, files, estimates, shards) {
  const order = [...files].sort((a, b) => estimates.get(b) - estimates.get(a) || (a < b ? -1 : a > b ? 1 : 0));
  const assignment = partitioner.partition(order.map((f) => estimates.get(f)), shards);
  const out = Array.from({ length: shards }, () => []);
  order.forEach((f, i) => out[assignment[i]].push(f));
  return out;
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const fmt = (x) => x.toFixed(3);
