import { readFile } from 'node:fs/promises';
import { orderRuns } from '../plan/order-runs.js';
import type { TimingRun } from '../plan/types.js';
import { createKeyMapper } from './file-keys.js';
import { expandTimingPatterns } from './expand.js';
import { historyToRuns } from './history-runs.js';
import { parseTimingsJson } from './json-timings.js';
import { sniffFormat, unreadable } from './sniff.js';

export interface LoadedTimings {
  /** One per past run: a JSON map or a JUnit run (its shards' reports together), many per history file. */
  runs: TimingRun[];
  /** The files read, relative to cwd, sorted by code units. */
  sources: string[];
  /** JUnit testcases (and pytest-split test ids) whose test file is not among the discovered files. */
  unmappedCases: number;
  /** Distinct paths in the sources that are not among the discovered files. */
  unmappedFiles: number;
  warnings: string[];
}

export interface LoadTimingsOptions {
  cwd: string;
  /** Discovered test files (normalised). Times are kept only for these; empty keeps every path. */
  files: readonly string[];
}

/**
 * Reads every timing source `--timings` names, by content: JUnit XML, JSON maps (Knapsack,
 * pytest-split) and split-tests history files, into past runs keyed by discovered test files.
 */
export async function loadTimings(patterns: readonly string[], options: LoadTimingsOptions): Promise<LoadedTimings> {
  const { sources, warnings } = await expandTimingPatterns(patterns, options.cwd);
  let filesAreUnique: boolean | undefined;
  let mapper: ((key: string) => string | undefined) | undefined;
  const mapKey = (key: string): string | undefined => (mapper ??= createKeyMapper(options.files))(key);
  const runs: TimingRun[] = [];
  const unmapped = new Set<string>();
  let unmappedCases = 0;

  const mapSeconds = (input: ReadonlyMap<string, number>, casesPerFile?: ReadonlyMap<string, number>): ReadonlyMap<string, number> => {
    // Usually every key already is a discovered file: then the input map is the answer as it is.
    // Counting the discovered files the map holds tells that without building a set of 100,000 paths.
    if (options.files.length > 0 && input.size <= options.files.length && (filesAreUnique ??= strictlyIncreasing(options.files))) {
      let held = 0;
      for (const file of options.files) if (input.has(file)) held++;
      if (held === input.size) return input;
    }
    // Else a copy is made from the first key that maps elsewhere or nowhere (same order).
    let out: Map<string, number> | undefined;
    let index = 0;
    for (const [key, seconds] of input) {
      const file = mapKey(key);
      if (out === undefined) {
        if (file === key) {
          index++;
          continue;
        }
        out = new Map();
        let copied = 0;
        for (const entry of input) {
          if (copied++ === index) break;
          out.set(entry[0], entry[1]);
        }
      }
      if (file === undefined) {
        unmapped.add(key);
        unmappedCases += casesPerFile?.get(key) ?? 0;
        continue;
      }
      out.set(file, (out.get(file) ?? 0) + seconds);
    }
    return out ?? input;
  };

  const xmlSources: { source: string; absolute: string }[] = [];
  for (const entry of sources) {
    const format = await sniffFormat(entry.absolute, entry.source);
    if (format === 'xml') {
      xmlSources.push(entry);
      continue;
    }
    let text: string;
    try {
      text = await readFile(entry.absolute, 'utf8');
    } catch (error) {
      throw unreadable(entry.source, error);
    }
    const parsed = parseTimingsJson(text.replace(/^\uFEFF/, ''), entry.source);
    if (parsed.kind === 'history') {
      for (const run of historyToRuns(parsed.history, entry.source)) {
        runs.push({ ...run, seconds: mapSeconds(run.seconds) });
      }
    } else {
      runs.push({ source: entry.source, seconds: mapSeconds(parsed.seconds, parsed.casesPerFile) });
    }
  }
  if (xmlSources.length > 0) {
    // loaded on demand: a plan from JSON or history alone never pays for the XML parser
    const { loadJUnitSources } = await import('./junit-load.js');
    const junit = await loadJUnitSources(xmlSources, options.files, options.cwd);
    runs.push(...junit.runs);
    for (const name of junit.unmappedFiles) unmapped.add(name);
    unmappedCases += junit.unmappedCases;
    warnings.push(...junit.warnings);
  }
  return {
    // oldest first, as the planner will see them: easier to read, and the same for any argument order
    runs: orderRuns(runs),
    sources: sources.map((s) => s.source),
    unmappedCases,
    unmappedFiles: unmapped.size,
    warnings,
  };
}

/** Sorted without repeats (discovered files are): then counting hits counts distinct files. */
function strictlyIncreasing(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}
