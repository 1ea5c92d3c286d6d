import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { writeError } from '../fs/write-error.js';
import { compareCodeUnits } from '../paths.js';
import { assignGroups } from '../plan/groups.js';
import type { GroupSpec } from '../plan/types.js';
import type { CaseStatus } from '../junit/types.js';
import type { ShardMeta } from '../run/shard-meta.js';
import { locationlessError } from '../junit/locationless.js';
import { createCasePath } from './case-path.js';
import { correctContention } from './contention.js';
import { expandTimingPatterns } from './expand.js';
import { findRepeatedReports } from '../junit/repeated-reports.js';
import { withFileLock } from './lock.js';
import { addRun, DEFAULT_HISTORY_LIMITS, readHistory, writeHistory, type HistoryLimits, type RunInput } from './history.js';
import type { History, RunSplit, RunSummary, ShardSummary } from './history-types.js';
import { parseTimingsJson } from './json-timings.js';
import { worseStatus } from './read-report.js';
import { runIdFromEnvironment } from './run-id.js';
import { readSidecar } from './sidecar.js';
import { sniffFormat, unreadable } from './sniff.js';
import { addTestSample, caseTestStatus } from './test-history.js';
import type { TestSample } from './test-history-types.js';
import { defaultTestId, type TestIdOf } from './test-ids.js';

export interface RecordInput {
  /** JUnit reports: files, folders (their `*.xml`), globs. JSON maps of seconds are accepted too. */
  readonly reports: readonly string[];
  readonly historyPath: string;
  /** How messages name the history file (the path as the user gave it); default historyPath. */
  readonly historyLabel?: string | undefined;
  /** Overrides the run id read from the CI's variables. */
  readonly runId?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** Discovered test files: cases are matched to these; without them a case's own location names its file. */
  readonly files?: readonly string[] | undefined;
  readonly stages?: Record<string, number> | undefined;
  readonly predictedStages?: Record<string, number> | undefined;
  readonly groups?: GroupSpec | undefined;
  readonly limits?: Partial<HistoryLimits> | undefined;
  /** Where relative report paths and globs start; default process.cwd(). */
  readonly cwd?: string | undefined;
  /** The clock, for the run's time when no shard note says when it started. */
  readonly now?: Date | undefined;
  /** How a testcase is named in the per-test history (the runner preset's mapping); default defaultTestId. */
  readonly testId?: TestIdOf | undefined;
}

export interface RecordResult {
  readonly history: History;
  readonly run: RunSummary;
  readonly warnings: string[];
  /** The reports read, as the user sees their paths. */
  readonly reports: string[];
  /** Where the run id came from: "--run-id", a CI variable, or "time". */
  readonly runIdSource: string;
  readonly unmappedCases: number;
  /** Shards whose file times were scaled down to their wall time, with the factor. */
  readonly contention: { readonly index: number; readonly factor: number }[];
  /** Reports of a `run --rerun-failed`: folded into the run they reran (`run`), no run of their own (src/timings/record-rerun.ts). */
  readonly rerun?: { readonly of: string; readonly flaky: number; readonly failing: number; readonly unmatched: number } | undefined;
}

interface ShardReading {
  readonly label: string;
  readonly seconds: Map<string, number>;
  /** Per file, its own suite's seconds (ReportFiles.fileWalls). */
  readonly fileWalls: Map<string, number>;
  readonly status: Map<string, CaseStatus>;
  readonly meta?: ShardMeta | undefined;
  /** Per file and test id, this report's testcases. */
  readonly tests: Map<string, Map<string, TestSample>>;
}

/**
 * `record`: reads one run's shard reports, corrects each shard's file times for contention (its
 * note's wall time), sums them per file over the shards, and adds the run to the history file.
 */
export async function recordReports(input: RecordInput): Promise<RecordResult> {
  const cwd = input.cwd ?? process.cwd();
  const now = input.now ?? new Date();
  const expanded = await expandTimingPatterns(input.reports, cwd, { folderPatterns: ['**/*.xml'], label: 'record' });
  const warnings = [...expanded.warnings];
  if (expanded.sources.length === 0) {
    throw new UserError(`record: no JUnit reports found for ${input.reports.map((r) => `'${r}'`).join(' ') || '(no paths given)'}`, {
      hint: 'pass the report files, their folder or a glob, e.g. split-tests record "reports/*.xml"',
    });
  }
  const files = input.files !== undefined && input.files.length > 0 ? input.files : undefined;
  const match = files ? (await import('../junit/match.js')).createFileMatcher(files) : createCasePath(cwd);

  const readings: ShardReading[] = [];
  // node:test's own reports: a history keyed by their suite titles would be wrong, so none is written
  const locationless: string[] = [];
  let unmappedCases = 0;
  const unmappedLabels = new Set<string>();
  // a report copied twice (an artifact downloaded twice) would count its files twice: read it once
  const repeatOf = new Map(findRepeatedReports(expanded.sources.map((s) => s.absolute)).repeated.map((r) => [r.path, r.of]));
  for (const { source, absolute } of expanded.sources) {
    if (repeatOf.has(absolute)) {
      warnings.push(`${source} repeats ${expanded.sources.find((s) => s.absolute === repeatOf.get(absolute))?.source} byte for byte (a report copied twice?): read once`);
      continue;
    }
    const format = await sniffFormat(absolute, source);
    let seconds: Map<string, number>;
    let status = new Map<string, CaseStatus>();
    let fileWalls = new Map<string, number>();
    const tests = new Map<string, Map<string, TestSample>>();
    if (format === 'xml') {
      const { readReportFiles } = await import('./read-report.js');
      const testId = input.testId ?? defaultTestId;
      const report = await readReportFiles(absolute, match, source, (file, c) => addTestSample(tests, file, testId(file, c), { seconds: c.seconds, status: caseTestStatus(c) }));
      warnings.push(...report.warnings);
      if (report.locationless) locationless.push(source);
      seconds = report.seconds;
      status = report.status;
      fileWalls = report.fileWalls;
      unmappedCases += report.unmappedCases;
      for (const label of report.unmappedLabels) unmappedLabels.add(label);
      if (report.cases === 0) warnings.push(`${source}: the report has no testcases`);
    } else {
      seconds = await readJsonReport(absolute, source, files, unmappedLabels);
    }
    const sidecar = await readSidecar(absolute, source);
    if (sidecar.warning) warnings.push(sidecar.warning);
    readings.push({ label: source, seconds, status, fileWalls, meta: sidecar.meta, tests });
  }
  if (locationless.length > 0) throw locationlessError(locationless);
  if (unmappedCases > 0) {
    const examples = [...unmappedLabels].sort(compareCodeUnits).slice(0, 3).join(', ');
    const how = files === undefined ? '; pass --tests GLOB (or "tests" in the config) to map them by name' : '';
    warnings.push(`${unmappedCases} testcase${unmappedCases === 1 ? '' : 's'} could not be mapped to a test file (${examples}${unmappedLabels.size > 3 ? ', ...' : ''})${how}`);
  }

  // a run --rerun-failed: its tests marked in the run it reran, not a run of its own
  const rerun = readings.filter((r) => r.meta?.rerunOf !== undefined);
  if (rerun.length > 0) {
    const other = readings.find((r) => r.meta?.rerunOf === undefined);
    if (other !== undefined) {
      throw new UserError(`record: ${rerun[0]!.label} is a report of run --rerun-failed and ${other.label} is not`, { hint: "record the rerun's reports on their own" });
    }
    const { recordRerun } = await import('./record-rerun.js');
    const done = await recordRerun({
      historyPath: input.historyPath,
      historyLabel: input.historyLabel ?? input.historyPath,
      runId: input.runId,
      env: input.env,
      now,
      tests: rerun.map((r) => r.tests),
      onTakeover: (message) => warnings.push(message),
    });
    return { ...done, warnings, reports: expanded.sources.map((s) => s.source), unmappedCases, contention: [] };
  }

  // per shard: contention-corrected seconds, then summed per file over the shards
  const perFile = new Map<string, { seconds: number; status?: CaseStatus | undefined; shard?: number | undefined; wallSeconds?: number | undefined }>();
  const contention: { index: number; factor: number }[] = [];
  const shards = new Map<number, ShardSummary>();
  const withNotes = readings.some((r) => r.meta !== undefined);
  const unmeasured = new Set<string>();
  const runTests = new Map<string, Map<string, TestSample>>();
  readings.forEach((reading, position) => {
    if (reading.meta?.syntheticReport === true) {
      // split-tests wrote this report because the command left none: its times are the wall time
      // spread evenly, not measurements, and would teach the next plan nothing but noise
      const planned = reading.meta.files ?? [];
      warnings.push(`${reading.label}: written by split-tests because the test command left no report; its ${planned.length} files are recorded as failed, without times`);
      for (const file of planned) unmeasured.add(file);
      shards.set(reading.meta.index, { index: reading.meta.index, files: planned.length, estimatedSeconds: reading.meta.estimatedSeconds, wallSeconds: round(reading.meta.wallSeconds), passed: false });
      return;
    }
    const corrected = correctContention(reading.seconds, reading.meta?.wallSeconds);
    const index = reading.meta?.index ?? (withNotes ? undefined : position + 1);
    if (corrected.factor !== 1 && index !== undefined) contention.push({ index, factor: corrected.factor });
    // a test's seconds are corrected like its file's: they shared the same contended machine
    for (const [file, byTest] of reading.tests) {
      for (const [test, sample] of byTest) addTestSample(runTests, file, test, { seconds: sample.seconds * corrected.factor, status: sample.status });
    }
    let measured = 0;
    let failed = false;
    for (const [file, seconds] of corrected.seconds) {
      measured += seconds;
      const entry = perFile.get(file);
      const status = reading.status.get(file);
      if (status === 'failed' || status === 'error') failed = true;
      const merged = status === undefined ? entry?.status : worseStatus(entry?.status, status);
      // the shard ties the file to that shard's wall (walls.ts); a file split over shards keeps none
      const shard = reading.meta === undefined ? undefined : entry === undefined || entry.shard === reading.meta.index ? reading.meta.index : undefined;
      // the file's own suite time, corrected like its tests: it shared the same contended machine
      const suite = reading.fileWalls.get(file);
      const wall = suite === undefined ? undefined : (entry === undefined ? 0 : (entry.wallSeconds ?? Number.NaN)) + suite * corrected.factor;
      perFile.set(file, {
        seconds: (entry?.seconds ?? 0) + seconds,
        ...(merged !== undefined ? { status: merged } : {}),
        ...(shard !== undefined ? { shard } : {}),
        ...(wall !== undefined && Number.isFinite(wall) ? { wallSeconds: wall } : {}),
      });
    }
    if (index === undefined) return;
    const meta = reading.meta;
    const previous = shards.get(index);
    const passed = !failed && (meta === undefined || meta.exitCode === 0);
    shards.set(index, {
      index,
      files: (previous?.files ?? 0) + corrected.seconds.size,
      ...(meta?.estimatedSeconds !== undefined ? { estimatedSeconds: meta.estimatedSeconds } : {}),
      measuredSeconds: round((previous?.measuredSeconds ?? 0) + measured),
      ...(meta !== undefined ? { wallSeconds: round(Math.max(previous?.wallSeconds ?? 0, meta.wallSeconds)) } : {}),
      passed: (previous?.passed ?? true) && passed,
    });
  });

  const fingerprints = [...new Set(readings.flatMap((r) => (r.meta?.fingerprint ? [r.meta.fingerprint] : [])))].sort(compareCodeUnits);
  if (fingerprints.length > 1) {
    warnings.push(`the reports come from ${fingerprints.length} different plans (fingerprints ${fingerprints.join(', ')}): shards that planned with different timings can skip or repeat files`);
  }
  const totals = readings.flatMap((r) => (r.meta ? [r.meta.total] : []));
  const starts = readings.flatMap((r) => (r.meta?.startedAt && !Number.isNaN(Date.parse(r.meta.startedAt)) ? [Date.parse(r.meta.startedAt)] : []));
  const time = starts.length > 0 ? new Date(Math.min(...starts)).toISOString() : now.toISOString();

  const runId = input.runId?.trim() ? { id: input.runId.trim(), source: '--run-id' } : runIdFromEnvironment(input.env, now);

  let groups: Record<string, number> | undefined;
  if (input.groups !== undefined && input.groups.kind !== 'none') {
    const groupOf = assignGroups([...perFile.keys()], input.groups);
    groups = {};
    for (const [file, { seconds }] of [...perFile].sort(([a], [b]) => compareCodeUnits(a, b))) {
      const group = groupOf.get(file);
      if (group !== undefined) groups[group] = round((groups[group] ?? 0) + seconds);
    }
  }

  const limits: HistoryLimits = { ...DEFAULT_HISTORY_LIMITS, ...definedOnly(input.limits) };
  const runInput: RunInput = {
    id: runId.id,
    time,
    fingerprint: fingerprints.length === 1 ? fingerprints[0] : undefined,
    shardCount: totals.length > 0 ? Math.max(...totals) : shards.size > 0 ? shards.size : undefined,
    shards: [...shards.values()].sort((a, b) => a.index - b.index),
    files: perFile,
    unmeasured: [...unmeasured].filter((f) => !perFile.has(f)),
    groups,
    stages: input.stages,
    predictedStages: input.predictedStages,
    tests: runTests,
    split: splitOf(readings.find((r) => r.meta?.split !== undefined)?.meta?.split),
  };
  // read, add, write under a lock: a concurrent record (another shard's job) must not lose this run
  const history = await withFileLock(input.historyPath, async () => {
    const next = addRun(await readHistory(input.historyPath, input.historyLabel ?? input.historyPath), runInput, limits);
    try {
      await writeHistory(input.historyPath, next);
    } catch (error) {
      throw await writeError(input.historyLabel ?? input.historyPath, input.historyPath, error);
    }
    return next;
  }, { label: input.historyLabel, onTakeover: (message) => warnings.push(message) });
  const run = history.runs.find((r) => r.id === runId.id);
  if (!run) throw new Error(`record: run ${runId.id} missing from the history it was just added to`);
  return {
    history,
    run,
    warnings,
    reports: expanded.sources.map((s) => s.source),
    runIdSource: runId.source,
    unmappedCases,
    contention: contention.sort((a, b) => a.index - b.index),
  };
}

/** A JSON map of seconds (Knapsack, pytest-split) recorded like a report without statuses. */
async function readJsonReport(absolute: string, source: string, files: readonly string[] | undefined, unmapped: Set<string>): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw unreadable(source, error);
  }
  const parsed = parseTimingsJson(text.replace(/^\uFEFF/, ''), source);
  if (parsed.kind === 'history') {
    throw new UserError(`${source}: is a split-tests history file, not a report`, { hint: 'pass it to --history (to add to it) or to --timings (to plan with it)' });
  }
  if (!files) return parsed.seconds;
  const { createKeyMapper } = await import('./file-keys.js');
  const mapKey = createKeyMapper(files);
  const out = new Map<string, number>();
  for (const [key, seconds] of parsed.seconds) {
    const file = mapKey(key);
    if (file === undefined) unmapped.add(key);
    else out.set(file, (out.get(file) ?? 0) + seconds);
  }
  return out;
}

function definedOnly(limits: Partial<HistoryLimits> | undefined): Partial<HistoryLimits> {
  const out: { -readonly [K in keyof HistoryLimits]?: HistoryLimits[K] } = {};
  if (limits?.runs !== undefined) out.runs = limits.runs;
  if (limits?.runsPerFile !== undefined) out.runsPerFile = limits.runsPerFile;
  return out;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** The shard note's split files, when well formed (a note is read, not trusted: the history must stay valid). */
function splitOf(split: ShardMeta['split']): RunSplit | undefined {
  if (typeof split !== 'object' || split === null || !Array.isArray(split.files)) return undefined;
  const seconds = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const files = split.files.filter((f) => typeof f?.file === 'string' && Number.isInteger(f.slices));
  if (files.length !== split.files.length || !seconds(split.fileLevelSeconds) || !seconds(split.slicedSeconds)) return undefined;
  return { files: files.map((f) => ({ file: f.file, slices: f.slices })), fileLevelSeconds: split.fileLevelSeconds, slicedSeconds: split.slicedSeconds };
}
