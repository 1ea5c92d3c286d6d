import { readFile } from 'node:fs/promises';
import { isUserError } from '../errors.js';
import { orderRuns } from '../plan/order-runs.js';
import type { TimingRun } from '../plan/types.js';
import { createKeyMapper } from './file-keys.js';
import { expandTimingPatterns } from './expand.js';
import { historyToRuns } from './history-runs.js';
import { lazyCopy } from './lazy.js';
import { parseTimingsJson } from './json-timings.js';
import { sniffFormat, unreadable } from './sniff.js';
import type { TestIdOf } from './test-ids.js';

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
  /**
   * An unreadable, truncated or malformed source fails the load (exit 2). Otherwise it is skipped
   * with a warning naming it, and the plan is made from the others: a shard killed while writing
   * its report must not fail every shard of the next pipeline. The same file is skipped on every
   * node, so every node still makes the same plan, and its fingerprint (of the estimates) shows
   * what was used. When no source is left (a lone bad source), the first error is thrown.
   */
  strict?: boolean;
  /** How a JUnit testcase is named per test (the runner preset's mapping); default defaultTestId. */
  testId?: TestIdOf | undefined;
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

  const skipped = new Set<string>();
  let firstError: unknown;
  const skip = (source: string, error: unknown): void => {
    if (options.strict === true || !isUserError(error)) throw error;
    skipped.add(source);
    firstError ??= error;
    warnings.push(`${error.message} (skipped: planning from the other timing sources; --strict-timings makes this an error)`);
  };

  // per-test times follow their file's key to the discovered file; a test of an unknown file is dropped
  const mapTests = (tests: ReadonlyMap<string, ReadonlyMap<string, number>> | undefined): { tests?: Map<string, ReadonlyMap<string, number>> } => {
    if (tests === undefined || tests.size === 0) return {};
    const out = new Map<string, ReadonlyMap<string, number>>();
    for (const [key, byTest] of tests) {
      const file = mapKey(key);
      if (file !== undefined && !out.has(file)) out.set(file, byTest);
    }
    return out.size > 0 ? { tests: out } : {};
  };

  const xmlSources: { source: string; absolute: string }[] = [];
  for (const entry of sources) {
    try {
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
      // runs are taken only once the whole file has been read: a bad file adds nothing
      const fromFile: TimingRun[] =
        parsed.kind === 'history'
          ? // a run's tests are mapped when the planner reads them: a plan that does not slice never decodes them
            historyToRuns(parsed.history, entry.source).map((run) => lazyCopy(run, { seconds: mapSeconds(run.seconds) }, 'tests', () => mapTests(run.tests).tests))
          : [{ source: entry.source, seconds: mapSeconds(parsed.seconds, parsed.casesPerFile), ...mapTests(parsed.tests) }];
      runs.push(...fromFile);
    } catch (error) {
      skip(entry.source, error);
    }
  }
  if (xmlSources.length > 0) {
    // loaded on demand: a plan from JSON or history alone never pays for the XML parser
    const { loadJUnitSources } = await import('./junit-load.js');
    const junit = await loadJUnitSources(xmlSources, options.files, options.cwd, skip, options.testId);
    runs.push(...junit.runs);
    for (const name of junit.unmappedFiles) unmapped.add(name);
    unmappedCases += junit.unmappedCases;
    warnings.push(...junit.warnings);
  }
  // with nothing left to plan from, the error is the answer (as it always is for a lone source)
  if (sources.length > 0 && skipped.size === sources.length) throw firstError;
  return {
    // oldest first, as the planner will see them: easier to read, and the same for any argument order
    runs: orderRuns(runs),
    sources: sources.filter((s) => !skipped.has(s.source)).map((s) => s.source),
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
