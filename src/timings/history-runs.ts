import { sortByCodeUnits } from '../code-unit-sort.js';
import type { TimingRun } from '../plan/types.js';
import type { History } from './history-types.js';

/**
 * One TimingRun per run id in the history, oldest first. Runs with a summary carry its time, so
 * the planner places them among other dated sources. Samples whose summary was already dropped
 * (M summaries kept, K samples per file) still count: they are older than every summary, so they
 * come first, undated, with a zero-padded ordinal in their source to keep their own order.
 */
export function historyToRuns(history: History, source = 'history'): TimingRun[] {
  const seconds = new Map<string, Map<string, number>>();
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
    runs.push({ source: `${source}#${String(ordinal + index).padStart(6, '0')}:${run.id}`, timestamp: run.time, seconds: map });
  });
  return runs;
}
