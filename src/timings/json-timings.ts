import { UserError } from '../errors.js';
import { cleanPath } from './clean-path.js';
import type { History } from './history-types.js';
import { looksLikeHistory, validateHistory } from './history-shape.js';
import { locateJsonError } from './json-error.js';

/** Seconds per file of one JSON source; `cases` counts pytest-split test ids per file. */
export interface JsonMapTimings {
  readonly kind: 'map';
  readonly seconds: Map<string, number>;
  readonly casesPerFile: Map<string, number>;
  /** pytest-split ids per file: the part after the file (`TestCart::test_add[1]`, what pytest takes as `file::id`) -> seconds. */
  readonly tests: Map<string, Map<string, number>>;
}

export type JsonTimings = JsonMapTimings | { readonly kind: 'history'; readonly history: History };

const MAP_HINT = 'a timings JSON file is a map { "path/to/test": seconds } (Knapsack, pytest-split) or a split-tests history file';

/**
 * Parses a JSON timings source by its content, not its name: a map of numbers (Knapsack's
 * `knapsack_*_report.json`), the same keyed by test id `path::name` (pytest-split's
 * `.test_durations`, summed per file; its old format, a list of `[id, seconds]` pairs, too), or a
 * split-tests history file.
 */
export function parseTimingsJson(text: string, source: string): JsonTimings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    throw new UserError(`${source}:${at.line}:${at.column}: malformed JSON: ${at.what}`, { hint: MAP_HINT });
  }
  if (looksLikeHistory(value)) return { kind: 'history', history: validateHistory(value, source) };
  const seconds = new Map<string, number>();
  const casesPerFile = new Map<string, number>();
  const tests = new Map<string, Map<string, number>>();
  const add = (key: string, raw: unknown): void => {
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
      throw new UserError(`${source}: the time of ${JSON.stringify(key)} is ${JSON.stringify(raw)}, not a non-negative number of seconds`, { hint: MAP_HINT });
    }
    // pytest ids are `path::Class::test[param]`; the file is everything before the first `::`
    const cut = key.indexOf('::');
    const file = cleanPath(cut >= 0 ? key.slice(0, cut) : key);
    if (file === '') return;
    const before = seconds.get(file);
    seconds.set(file, (before ?? 0) + raw);
    if (cut >= 0) {
      casesPerFile.set(file, (casesPerFile.get(file) ?? 0) + 1);
      let byTest = tests.get(file);
      if (!byTest) tests.set(file, (byTest = new Map()));
      const id = key.slice(cut + 2);
      byTest.set(id, (byTest.get(id) ?? 0) + raw);
    }
  };
  if (Array.isArray(value)) {
    value.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
        throw new UserError(`${source}: element ${i} is not a [test id, seconds] pair`, { hint: MAP_HINT });
      }
    });
    for (const pair of value as [string, unknown][]) add(pair[0], pair[1]);
  } else if (typeof value === 'object' && value !== null) {
    // straight over the parsed object: no entries array of 100,000 pairs built and spread first
    const object = value as Record<string, unknown>;
    for (const key in object) add(key, object[key]);
  } else {
    throw new UserError(`${source}: expected a JSON object of seconds per test file, found ${value === null ? 'null' : typeof value}`, { hint: MAP_HINT });
  }
  return { kind: 'map', seconds, casesPerFile, tests };
}
