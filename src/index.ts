/**
 * The library behind the `split-tests` CLI, for scripts that want the pieces: the pure planner,
 * the JUnit reader and merger, the timing sources and history, CI shard detection.
 */
export * from './plan/index.js';
export { UserError, isUserError, ExitCode } from './errors.js';
export { normalisePath, compareCodeUnits, sortPaths } from './paths.js';
export type { JUnitCase, CaseLocation, CaseStatus } from './junit/types.js';
export { readJUnitFile } from './junit/read.js';
export { createFileMatcher } from './junit/match.js';
export { mergeReports, type MergeOptions, type MergeResult } from './junit/merge.js';
export { loadTimings, type LoadedTimings } from './timings/load.js';
export { readHistory, writeHistory, addRun, historyToRuns } from './timings/history.js';
export type { History, HistorySample, RunSummary, ShardSummary } from './timings/history-types.js';
export { recordReports } from './timings/record.js';
export { detectShard, resolveShard, shardFromEnvironment } from './ci/detect.js';
export type { SplitTestsConfig } from './config/types.js';
