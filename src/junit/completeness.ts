import { compareCodeUnits, sortPaths } from '../paths.js';
import type { PlaceholderReport } from '../run/placeholder-report.js';
import type { ShardNote } from './shard-notes.js';

export interface CompletenessInput {
  /** Files that were planned to run (from --plan or --files-from); wins over the shard notes. */
  readonly plannedFiles?: readonly string[] | undefined;
  /** The fingerprint of the --plan file, when one was given. */
  readonly planFingerprint?: string | undefined;
  readonly notes: readonly ShardNote[];
  /** Testcases per planned file, as found in the merged reports. */
  readonly casesByFile: ReadonlyMap<string, number>;
  /**
   * Reports split-tests wrote for shards whose command wrote none, found by their marker: their
   * testcases are placeholders, never evidence that a file ran. (A shard note saying
   * `syntheticReport` counts the same, so callers with the notes may leave this out.)
   */
  readonly placeholders?: readonly PlaceholderReport[] | undefined;
}

export interface FingerprintGroup {
  readonly fingerprint: string;
  /** The reports (or "--plan") that carry it. */
  readonly reports: readonly string[];
}

export interface Completeness {
  /** Where the planned files came from: "plan", "files-from", "shard-notes", or undefined (no check). */
  readonly source?: 'plan' | 'files-from' | 'shard-notes' | undefined;
  readonly plannedFiles: number;
  /** Planned files with no testcase in any report, sorted. */
  readonly missingFiles: string[];
  /** Shards the notes say exist (1..N) but that left no report with a note. */
  readonly missingShards: number[];
  readonly fingerprints: FingerprintGroup[];
  /** Reports (or the plan and the reports) come from plans with different fingerprints. */
  readonly fingerprintMismatch: boolean;
  /** Shards that wrote no report: split-tests' placeholders stand in their place. */
  readonly noReport: readonly PlaceholderReport[];
}

/** Placeholder reports from their markers and from the shard notes, each report once. */
function placeholderReports(input: Pick<CompletenessInput, 'placeholders' | 'notes'>): PlaceholderReport[] {
  const byReport = new Map<string, PlaceholderReport>();
  for (const p of input.placeholders ?? []) byReport.set(p.report, p);
  for (const { report, meta } of input.notes) {
    if (meta.syntheticReport === true && meta.files.length > 0 && !byReport.has(report)) {
      byReport.set(report, { report, shard: `${meta.index}/${meta.total}`, files: meta.files });
    }
  }
  return [...byReport.values()].sort((a, b) => compareCodeUnits(a.report, b.report));
}

/** The files to check the merged reports against, or undefined when nothing says what was planned. */
export function plannedFiles(input: Pick<CompletenessInput, 'plannedFiles' | 'notes'>): string[] | undefined {
  if (input.plannedFiles !== undefined) return sortPaths(input.plannedFiles);
  if (input.notes.length === 0) return undefined;
  return sortPaths(input.notes.flatMap((n) => n.meta.files));
}

/** Pure: which planned files and shards are missing, and whether all reports share one plan. */
export function checkCompleteness(input: CompletenessInput, source: Completeness['source']): Completeness {
  const planned = plannedFiles(input) ?? [];
  // A file ran when it has more testcases than placeholders standing in for it.
  const noReport = placeholderReports(input);
  const placeholderCases = new Map<string, number>();
  for (const p of noReport) for (const file of p.files) placeholderCases.set(file, (placeholderCases.get(file) ?? 0) + 1);
  const missingFiles = planned.filter((f) => (input.casesByFile.get(f) ?? 0) - (placeholderCases.get(f) ?? 0) <= 0);

  const byFingerprint = new Map<string, string[]>();
  if (input.planFingerprint !== undefined) byFingerprint.set(input.planFingerprint, ['--plan']);
  for (const note of input.notes) {
    const list = byFingerprint.get(note.meta.fingerprint) ?? [];
    list.push(note.report);
    byFingerprint.set(note.meta.fingerprint, list);
  }
  const fingerprints = [...byFingerprint.entries()]
    .map(([fingerprint, reports]) => ({ fingerprint, reports }))
    .sort((a, b) => b.reports.length - a.reports.length || compareCodeUnits(a.fingerprint, b.fingerprint));

  // queue batches carry their worker, not a shard of N, and a queue worker's fallback shard K/N
  // stands alone (the other workers ran the queue): only static shards of a static run can be missing
  const shardNotes = input.notes.filter((n) => n.meta.queue === undefined && n.meta.queueFallback === undefined);
  const missingShards: number[] = [];
  if (shardNotes.length > 0) {
    const total = Math.max(...shardNotes.map((n) => n.meta.total));
    const seen = new Set(shardNotes.map((n) => n.meta.index));
    for (let k = 1; k <= total; k++) if (!seen.has(k)) missingShards.push(k);
  }
  const totals = new Set(shardNotes.map((n) => n.meta.total));
  return {
    source: planned.length > 0 || input.plannedFiles !== undefined ? source : undefined,
    plannedFiles: planned.length,
    missingFiles,
    missingShards,
    fingerprints,
    fingerprintMismatch: byFingerprint.size > 1 || totals.size > 1,
    noReport,
  };
}
