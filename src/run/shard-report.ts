import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SHARD_META_SUFFIX, type ShardMeta } from './shard-meta.js';
import { buildSyntheticReport } from './synthetic-report.js';
import { probeJUnitReport } from './junit-probe.js';
import { writeFileAtomic } from '../fs/write-atomic.js';

export function shardMetaPath(junitPath: string): string {
  return `${junitPath}${SHARD_META_SUFFIX}`;
}

/**
 * Before the command starts: the report's folder exists (many runners do not create it) and no
 * stale report or sidecar from an earlier run is left at the path, so a report found afterwards
 * can only be this run's.
 */
export async function prepareReportPath(junitPath: string): Promise<void> {
  await mkdir(dirname(junitPath), { recursive: true });
  await rm(junitPath, { force: true });
  await rm(shardMetaPath(junitPath), { force: true });
}

export interface FinishReportInput {
  readonly junitPath: string;
  readonly meta: Omit<ShardMeta, 'syntheticReport'>;
  /** Why the shard may have no report, for the synthetic one's error messages. */
  readonly reason: string;
  /** True when the command was never started (empty shard): always write the (empty) report. */
  readonly notStarted: boolean;
}

export interface FinishReportResult {
  readonly synthetic: boolean;
  /** Why the command's own report was not used (missing, empty, truncated...). */
  readonly problem?: string | undefined;
}

/**
 * After the command ends: keep its report when it is a complete JUnit document, else write one
 * errored testcase per file in its place; then the sidecar `PATH.split-tests.json`.
 */
export async function finishShardReport(input: FinishReportInput): Promise<FinishReportResult> {
  let synthetic = false;
  let problem: string | undefined;
  if (input.notStarted) {
    synthetic = true;
  } else {
    const probe = await probeJUnitReport(input.junitPath);
    if (!probe.usable) {
      synthetic = true;
      problem = `the JUnit report ${input.junitPath} ${probe.reason}`;
    }
  }
  if (synthetic) {
    const xml = buildSyntheticReport({
      shard: `${input.meta.index}/${input.meta.total}`,
      files: input.meta.files,
      reason: input.reason,
      wallSeconds: input.meta.wallSeconds,
      startedAt: input.meta.startedAt,
    });
    await writeFileAtomic(input.junitPath, xml);
  }
  const meta: ShardMeta = { ...input.meta, ...(synthetic ? { syntheticReport: true } : {}) };
  await writeFileAtomic(shardMetaPath(input.junitPath), `${JSON.stringify(meta, null, 2)}\n`);
  return { synthetic, problem };
}
