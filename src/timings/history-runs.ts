import { sortByCodeUnits } from '../code-unit-sort.js';
import type { ShardWall, TimingRun } from '../plan/types.js';
import type { History, RunSummary } from './history-types.js';
import { lazyCopy } from './lazy.js';
import { testEstimates } from './test-history.js';
import type { TestHistory } from './test-history-types.js';

/**
 * One TimingRun per run id in the history, oldest first. Runs with a summary carry its time, so
 * the planner places them among other dated sources. Samples whose summary was already dropped
 * (M summaries kept, K samples per file) still count: they are older than every summary, so they
 * come first, undated, with a zero-padded ordinal in their source to keep their own order.
 */
export function historyToRuns(history: History, source = 'history'): TimingRun[] {
  const seconds = new Map<string, Map<string, number>>();
  // per run id, per shard index: the files that ran there (samples carry their shard)
  const shardFiles = new Map<string, Map<number, string[]>>();
  const fileWalls = new Map<string, Map<string, number>>();
  const firstSeen: string[] = [];
  for (const file of sortByCodeUnits(Object.keys(history.files))) {
    for (const sample of history.files[file] ?? []) {
      let map = seconds.get(sample.run);
      if (!map) {
        map = new Map();
        seconds.set(sample.run, map);
        firstSeen.push(sample.run);
      }
      // one sample per file and run is what addRun writes; a hand-edited duplicate adds up
      map.set(file, (map.get(file) ?? 0) + sample.seconds);
      if (sample.wallSeconds !== undefined) {
        let walls = fileWalls.get(sample.run);
        if (!walls) fileWalls.set(sample.run, (walls = new Map()));
        walls.set(file, (walls.get(file) ?? 0) + sample.wallSeconds);
      }
      if (sample.shard !== undefined) {
        let byShard = shardFiles.get(sample.run);
        if (!byShard) shardFiles.set(sample.run, (byShard = new Map()));
        let list = byShard.get(sample.shard);
        if (!list) byShard.set(sample.shard, (list = []));
        list.push(file);
      }
    }
  }
  const summarised = new Set(history.runs.map((run) => run.id));
  const runs: TimingRun[] = [];
  let ordinal = 0;
  for (const id of firstSeen) {
    if (summarised.has(id)) continue;
    runs.push({ source: `${source}#${String(ordinal++).padStart(6, '0')}:${id}`, seconds: seconds.get(id) ?? new Map() });
  }
  // the ordinal also breaks ties between summaries written within the same millisecond
  history.runs.forEach((run, index) => {
    const map = seconds.get(run.id);
    if (!map || map.size === 0) return;
    const walls = shardWalls(run.shards, shardFiles.get(run.id));
    runs.push({
      source: `${source}#${String(ordinal + index).padStart(6, '0')}:${run.id}`,
      timestamp: run.time,
      seconds: map,
      ...(walls.length > 0 ? { shards: walls } : {}),
      ...(fileWalls.has(run.id) ? { fileWalls: fileWalls.get(run.id) } : {}),
    });
  });
  const tests = history.tests;
  const newest = runs.at(-1);
  if (tests !== undefined && newest !== undefined) runs[runs.length - 1] = lazyCopy(newest, {}, 'tests', () => latestTests(tests));
  return runs;
}

/**
 * The run's shards whose wall was measured, with the files that ran on them. A shard whose files
 * are not all known (fewer samples than the files it ran, e.g. a file later dropped from the
 * history) is left out: its wall would credit their tests to overhead.
 */
function shardWalls(shards: RunSummary['shards'], files: ReadonlyMap<number, string[]> | undefined): ShardWall[] {
  if (files === undefined) return [];
  const out: ShardWall[] = [];
  for (const shard of shards) {
    const list = files.get(shard.index);
    if (shard.wallSeconds === undefined || list === undefined || list.length === 0) continue;
    if (shard.files !== undefined && shard.files !== list.length) continue;
    out.push({ index: shard.index, wallSeconds: shard.wallSeconds, files: list });
  }
  return out;
}

/**
 * The per-test part goes to the newest run as each test's estimate (the median of its last runs):
 * one map of tests, not K of them, keeps planning from 100,000 testcases x 10 runs fast. It is
 * computed (and the history's tests decoded) only when the planner reads it, i.e. when it slices.
 */
function latestTests(tests: TestHistory): Map<string, Map<string, number>> | undefined {
  const estimates = testEstimates(tests);
  return estimates.size > 0 ? estimates : undefined;
}
