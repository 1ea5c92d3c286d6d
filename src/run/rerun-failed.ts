import { readJUnitFile } from '../junit/read.js';
import type { JUnitCase } from '../junit/types.js';
import type { RunnerPreset } from '../runners/types.js';
import { failingTests, rerunBatches, type RerunBatch } from './retries.js';

export interface FailedInReport {
  /** The failed tests by file, files in report order. */
  readonly batches: RerunBatch[];
  /** Failed testcases the preset cannot name (no file): not rerun. */
  readonly unknown: number;
}

/** The tests that failed or errored in an earlier (merged) report, as the preset names them. */
export async function failedInReport(path: string, preset: RunnerPreset): Promise<FailedInReport> {
  const cases: JUnitCase[] = [];
  await readJUnitFile(path, (c) => {
    if (c.status === 'failed' || c.status === 'error') cases.push(c);
  });
  const { tests, unknown } = failingTests(cases, preset);
  return { batches: rerunBatches(tests), unknown };
}

/** The selection arguments that run exactly the failed tests of a shard's files. */
export function selectionOf(preset: RunnerPreset, batches: readonly RerunBatch[], files: readonly string[]): string[] {
  const byFile = new Map(batches.map((b) => [b.file, b.tests]));
  return files.flatMap((file) => [...preset.selectTests!(file, byFile.get(file) ?? [])]);
}
