import { readFile } from 'node:fs/promises';
import { DEFAULT_HISTORY_RUNS, DEFAULT_HISTORY_RUNS_PER_FILE } from '../config/types.js';
import { UserError } from '../errors.js';
import { compareCodeUnits } from '../paths.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { HISTORY_VERSION, type History, type HistorySample, type RunSplit, type RunSummary, type ShardSummary } from './history-types.js';
import { looksLikeHistory, validateHistory } from './history-shape.js';
import { locateJsonError } from './json-error.js';
import { addTestRun } from './test-history.js';
import { encodeTestHistory } from './test-history-codec.js';
import type { RunTests, TestHistory } from './test-history-types.js';

export { historyToRuns } from './history-runs.js';

export type FileStatus = NonNullable<HistorySample['status']>;

/** One run as `record` measured it, before it is folded into the history. */
export interface RunInput {
  readonly id: string;
  /** ISO-8601. */
  readonly time: string;
  readonly fingerprint?: string | undefined;
  readonly shardCount?: number | undefined;
  readonly shards?: readonly ShardSummary[] | undefined;
  /** Seconds (and worst status) per test file in this run. */
  readonly files: ReadonlyMap<string, { readonly seconds: number; readonly status?: FileStatus | undefined; readonly shard?: number | undefined; readonly wallSeconds?: number | undefined }>;
  /**
   * Files that ran (were planned) but have no usable time: their shard's command died and the
   * runner wrote a synthetic report. Failed, but neither sampled nor counted as removed.
   */
  readonly unmeasured?: readonly string[] | undefined;
  readonly groups?: Readonly<Record<string, number>> | undefined;
  readonly stages?: Readonly<Record<string, number>> | undefined;
  readonly predictedStages?: Readonly<Record<string, number>> | undefined;
  /** Per test file, each test id's seconds and result in this run (kept for the last K runs). */
  readonly tests?: RunTests | undefined;
  /** Files the plan split by test (from the shard notes). */
  readonly split?: RunSplit | undefined;
}

export interface HistoryLimits {
  /** K: samples kept per file. */
  readonly runsPerFile: number;
  /** M: run summaries kept. */
  readonly runs: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { runsPerFile: DEFAULT_HISTORY_RUNS_PER_FILE, runs: DEFAULT_HISTORY_RUNS };

const FIX = 'the history file is a cache: delete it and record again';

/** Reads a history file; a missing one is `undefined` (the first run of a pipeline). */
export async function readHistory(path: string, label: string = path): Promise<History | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`${label}: cannot read the history file (${code ?? String(error)})`, { hint: 'check the path given to --history', cause: error });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new UserError(`${label}: the history file is empty`, { hint: FIX });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    throw new UserError(`${label}:${at.line}:${at.column}: malformed history file: ${at.what}`, { hint: FIX });
  }
  if (!looksLikeHistory(value)) {
    throw new UserError(`${label}: not a split-tests history file (no "version", "files" and "runs")`, { hint: `${FIX}, or pass timing maps with --timings instead` });
  }
  return validateHistory(value, label);
}

/**
 * Writes the history atomically (a temporary file in the same folder, then a rename): a killed
 * process or two concurrent writers leave the old file or one whole new one, never a mix.
 */
export async function writeHistory(path: string, history: History): Promise<void> {
  await writeFileAtomic(path, serialiseHistory(history));
}

/**
 * Stable, diff-friendly text: one line per file and per run summary, files sorted by code units.
 * Compact enough that 10 samples of 10,000 files stay a few MB. The per-test part is one encoded
 * line at the end (test-history-codec.ts): 100,000 tests x 10 runs would be 10 MB as JSON.
 */
export function serialiseHistory(history: History): string {
  const files = Object.keys(history.files).sort(compareCodeUnits);
  const fileLines = files.map((file) => `    ${JSON.stringify(file)}: ${JSON.stringify(history.files[file])}`);
  const runLines = history.runs.map((run) => `    ${JSON.stringify(run)}`);
  return [
    '{',
    `  "version": ${JSON.stringify(history.version)},`,
    fileLines.length === 0 ? '  "files": {},' : `  "files": {\n${fileLines.join(',\n')}\n  },`,
    (runLines.length === 0 ? '  "runs": []' : `  "runs": [\n${runLines.join(',\n')}\n  ]`) + (history.tests ? ',' : ''),
    ...(history.tests ? [`  "tests": ${serialiseTests(history.tests)}`] : []),
    '}',
    '',
  ].join('\n');
}

function serialiseTests(tests: TestHistory): string {
  const { encoding, runs, count, data } = encodeTestHistory(tests);
  return `{ "encoding": ${JSON.stringify(encoding)}, "runs": ${JSON.stringify(runs)}, "count": ${count},\n    "data": ${JSON.stringify(data)} }`;
}

/**
 * Folds one run into the history (pure). Each file gets this run's sample appended and keeps its
 * last K; the summaries keep the last M. A file whose newest sample belongs to a run no longer
 * summarised has left the suite long ago and is dropped, so the file count stays bounded too.
 * Recording the same run id again (a retried job, one `record` per shard) merges into that run:
 * a file's sample is replaced, not added, so recording the same report twice changes nothing.
 */
export function addRun(history: History | undefined, input: RunInput, limits: HistoryLimits = DEFAULT_HISTORY_LIMITS): History {
  checkLimits(limits);
  const previous = history ?? { version: HISTORY_VERSION, files: {}, runs: [] };
  const existing = previous.runs.find((run) => run.id === input.id);

  // this run's samples: an earlier record of the same run id, overlaid with this input
  const samples = new Map<string, HistorySample>();
  if (existing) {
    for (const [file, list] of Object.entries(previous.files)) {
      const sample = list.find((s) => s.run === input.id);
      if (sample) samples.set(file, sample);
    }
  }
  for (const [file, { seconds, status, shard, wallSeconds }] of input.files) {
    samples.set(file, {
      run: input.id,
      seconds: round(seconds),
      ...(status !== undefined ? { status } : {}),
      ...(shard !== undefined ? { shard } : {}),
      ...(wallSeconds !== undefined ? { wallSeconds: round(wallSeconds) } : {}),
    });
  }

  // a re-recorded run keeps its place; a new one is the newest
  const position = existing ? previous.runs.indexOf(existing) : previous.runs.length;
  const last = previous.runs[position - 1];
  const lastFiles = new Set<string>();
  if (last) for (const [file, list] of Object.entries(previous.files)) if (list.some((s) => s.run === last.id)) lastFiles.add(file);
  const thisFiles = [...samples.keys()].sort(compareCodeUnits);
  const added = last ? thisFiles.filter((f) => !lastFiles.has(f)) : [];
  const unmeasured = new Set(input.unmeasured ?? []);
  const removed = last ? [...lastFiles].filter((f) => !samples.has(f) && !unmeasured.has(f)).sort(compareCodeUnits) : [];
  // a re-recorded run keeps the failures it already knew of for files this input does not cover
  const failed = new Set([...(existing?.failedFiles ?? []).filter((f) => !input.files.has(f)), ...unmeasured]);
  for (const [file, sample] of samples) if (sample.status === 'failed' || sample.status === 'error') failed.add(file);

  let total = 0;
  let largest = 0;
  for (const sample of samples.values()) {
    total += sample.seconds;
    largest = Math.max(largest, sample.seconds);
  }
  const summary: RunSummary = {
    id: input.id,
    time: existing && existing.time < input.time ? existing.time : input.time,
    ...optional('fingerprint', input.fingerprint ?? existing?.fingerprint),
    ...optional('shardCount', input.shardCount ?? existing?.shardCount),
    shards: mergeShards(existing?.shards ?? [], input.shards ?? []),
    totalSeconds: round(total),
    fileCount: samples.size,
    largestFileSeconds: round(largest),
    added,
    removed,
    failedFiles: [...failed].sort(compareCodeUnits),
    ...optional('groups', mergeRecords(existing?.groups, input.groups)),
    ...optional('stages', mergeRecords(existing?.stages, input.stages)),
    ...optional('predictedStages', mergeRecords(existing?.predictedStages, input.predictedStages)),
    ...optional('split', input.split ?? existing?.split),
  };
  const runs = [...previous.runs.slice(0, position), summary, ...previous.runs.slice(position + 1)].slice(-limits.runs);
  const kept = new Set(runs.map((run) => run.id));

  const files: Record<string, HistorySample[]> = {};
  const allFiles = new Set([...Object.keys(previous.files), ...samples.keys()]);
  for (const file of [...allFiles].sort(compareCodeUnits)) {
    const list = [...(previous.files[file] ?? [])];
    const sample = samples.get(file);
    const at = list.findIndex((s) => s.run === input.id);
    if (sample && at >= 0) list[at] = sample;
    else if (sample) list.push(sample);
    const next = list;
    const bounded = next.slice(-limits.runsPerFile);
    const newest = bounded.at(-1);
    if (!newest || !kept.has(newest.run)) continue;
    files[file] = bounded;
  }
  // per-test columns follow the same K; a run recorded without testcases (a JSON map) adds none
  const tests = input.tests !== undefined && input.tests.size > 0 ? addTestRun(previous.tests, input.id, input.tests, limits.runsPerFile) : previous.tests;
  return { version: HISTORY_VERSION, files, runs, ...(tests !== undefined ? { tests } : {}) };
}

function checkLimits(limits: HistoryLimits): void {
  for (const [key, value] of [['historyRunsPerFile', limits.runsPerFile], ['historyRuns', limits.runs]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`${key} must be a whole number of at least 1, got ${value}`, { hint: `fix "${key}" in the config` });
  }
}

function mergeShards(before: readonly ShardSummary[], now: readonly ShardSummary[]): ShardSummary[] {
  const byIndex = new Map<number, ShardSummary>();
  for (const shard of before) byIndex.set(shard.index, shard);
  for (const shard of now) byIndex.set(shard.index, shard);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

function mergeRecords(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): Record<string, number> | undefined {
  if (a === undefined && b === undefined) return undefined;
  return { ...a, ...b };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Milliseconds are plenty, and shorter numbers keep the file small and diffs readable. */
function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
