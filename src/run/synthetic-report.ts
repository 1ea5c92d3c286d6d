import junitReportBuilder from 'junit-report-builder';
import { PLACEHOLDER_PROPERTY, SYNTHETIC_ERROR_TYPE } from './placeholder-marks.js';
import type { Builder } from 'junit-report-builder';

// The package is CommonJS whose module.exports is the builder itself, while its types declare an
// ES default export; accept either shape so both the types and the runtime agree.
const rootBuilder = ((junitReportBuilder as unknown as { default?: Builder }).default ??
  junitReportBuilder) as unknown as Builder;

export interface SyntheticReportInput {
  /** "K/N". */
  readonly shard: string;
  readonly files: readonly string[];
  /** Why there is no real report, e.g. "the command was killed by SIGKILL (exit 137)". */
  readonly reason: string;
  /** Shard wall time, spread evenly over its files so the totals stay truthful. */
  readonly wallSeconds: number;
  /** ISO-8601 start of the shard. */
  readonly startedAt: string;
}

export { PLACEHOLDER_PROPERTY, SYNTHETIC_ERROR_TYPE } from './placeholder-marks.js';

/**
 * The JUnit report split-tests writes when a shard's command left none: one errored testcase per
 * planned file (classname and file attribute = the file, as vitest and most producers name them),
 * so Jenkins and GitLab show the shard's files as broken instead of silently missing them. The
 * suite carries the PLACEHOLDER_PROPERTY, so `merge` knows these testcases stand for files that did
 * not run (src/run/placeholder-report.ts reads it back). An empty file list gives an empty but valid
 * report, so `merge` still sees the shard as reported.
 */
export function buildSyntheticReport(input: SyntheticReportInput): string {
  const report = rootBuilder.newBuilder();
  const suite = report
    .testSuite()
    .name(`split-tests shard ${input.shard}`)
    .timestamp(input.startedAt)
    .time(input.wallSeconds);
  if (input.files.length > 0) suite.property(PLACEHOLDER_PROPERTY, input.shard);
  const perFile = input.files.length === 0 ? 0 : input.wallSeconds / input.files.length;
  for (const file of input.files) {
    suite
      .testCase()
      .className(file)
      .name(file)
      .file(file)
      .time(round(perFile))
      .error(`${input.reason}; no JUnit report was written for shard ${input.shard}`, SYNTHETIC_ERROR_TYPE);
  }
  return report.build();
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
