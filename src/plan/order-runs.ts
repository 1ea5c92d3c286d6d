import { compareCodeUnits } from '../paths.js';
import type { TimingRun } from './types.js';

/**
 * Orders past runs oldest to newest (DESIGN.md "Run order"), so that the result does not depend on
 * the order the sources were given in.
 *
 * - Dated runs (an ISO-8601 timestamp) sort by that instant, then by source. A timestamp without
 *   a zone is read as UTC, never as the machine's local time, or two CI nodes in different zones
 *   could order the same runs differently.
 * - Undated runs sort by source in code-unit order, so dated or numbered names
 *   (`001-2018-03-16.json`, `report-2024-05-01.xml`) come oldest first.
 * - Undated runs come BEFORE dated ones. A timestamp is only written by producers that record
 *   when they ran (JUnit `timestamp`, our history file), i.e. the runs we can place in time;
 *   an undated map (a Knapsack report, a hand-made seed) is more often an import of older data.
 *   Putting the runs we can date last lets "newest" mean the most recent run we know of.
 * - Runs equal on all of the above (same source and time, e.g. a duplicated argument) are ordered
 *   by their content so the order is still a function of the set of runs.
 */
export function orderRuns(runs: readonly TimingRun[]): TimingRun[] {
  const keyed = runs.map((run) => ({ run, time: instantOf(run.timestamp), content: undefined as string | undefined }));
  const contentOf = (entry: (typeof keyed)[number]): string => {
    entry.content ??= canonicalContent(entry.run);
    return entry.content;
  };
  keyed.sort((a, b) => {
    const aDated = a.time !== undefined;
    const bDated = b.time !== undefined;
    if (aDated !== bDated) return aDated ? 1 : -1;
    if (a.time !== undefined && b.time !== undefined && a.time !== b.time) return a.time - b.time;
    const bySource = compareCodeUnits(a.run.source, b.run.source);
    if (bySource !== 0) return bySource;
    // same instant written differently (zones), or an unparseable stamp: the text still decides
    const byStamp = compareCodeUnits(a.run.timestamp ?? '', b.run.timestamp ?? '');
    if (byStamp !== 0) return byStamp;
    return compareCodeUnits(contentOf(a), contentOf(b));
  });
  return keyed.map((entry) => entry.run);
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds since the epoch of an ISO-8601 timestamp, else undefined (the run is undated). */
export function instantOf(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const match = ISO.exec(timestamp.trim());
  if (!match) return undefined;
  const [, date, time, fraction, zone] = match;
  let text = `${date}T${time ?? '00:00:00'}`;
  if (time !== undefined && time.length === 5) text += ':00';
  text += `.${(fraction ?? '').padEnd(3, '0').slice(0, 3)}`;
  let z = zone === undefined ? 'Z' : zone.toUpperCase();
  if (z !== 'Z') z = z.length === 3 ? `${z}:00` : z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(text + z);
  return Number.isFinite(ms) ? ms : undefined;
}

function canonicalContent(run: TimingRun): string {
  const entries = [...run.seconds.entries()].sort((a, b) => compareCodeUnits(a[0], b[0]));
  return JSON.stringify(entries);
}
