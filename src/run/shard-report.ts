import { mkdir, rm, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
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
 * can only be this run's. Only a regular file is ever removed or replaced: `--junit /dev/null` or a
 * folder is refused (as root, removing /dev/null would break the whole machine).
 */
export async function prepareReportPath(junitPath: string, shown: string = junitPath): Promise<void> {
  const hint = 'name the report file the command writes, e.g. --junit reports/junit-{shard}.xml';
  try {
    await mkdir(dirname(junitPath), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`--junit ${shown}: cannot create its folder ${dirname(shown)} (${code})`, { hint, cause: error });
  }
  let info;
  try {
    info = await stat(junitPath);
  } catch {
    info = undefined; // not there yet: the usual case
  }
  if (info !== undefined && !info.isFile()) {
    throw new UserError(`--junit ${shown}: is ${info.isDirectory() ? 'a folder' : 'not a regular file'}; split-tests replaces the report at this path`, { hint });
  }
  await rm(junitPath, { force: true });
  await rm(shardMetaPath(junitPath), { force: true });
}

/**
 * After the command ends: undefined when it left a complete JUnit document at the path, else why
 * not (missing, empty, truncated...), in words that follow "the JUnit report PATH".
 */
export async function checkShardReport(junitPath: string): Promise<string | undefined> {
  const probe = await probeJUnitReport(junitPath);
  return probe.usable ? undefined : probe.reason;
}

export interface FinishReportInput {
  readonly junitPath: string;
  readonly meta: Omit<ShardMeta, 'syntheticReport'>;
  /** Write the synthetic report (the command left none, or was never started). */
  readonly synthetic: boolean;
  /** Why the shard has no report, for the synthetic one's error messages. */
  readonly reason: string;
}

/**
 * Writes the synthetic report when asked (one errored placeholder testcase per file, marked so
 * that `merge` never counts them as files that ran), then the sidecar `PATH.split-tests.json`.
 */
export async function finishShardReport(input: FinishReportInput): Promise<void> {
  if (input.synthetic) {
    const xml = buildSyntheticReport({
      shard: `${input.meta.index}/${input.meta.total}`,
      files: input.meta.files,
      reason: input.reason,
      wallSeconds: input.meta.wallSeconds,
      startedAt: input.meta.startedAt,
    });
    await writeFileAtomic(input.junitPath, xml);
  }
  const meta: ShardMeta = { ...input.meta, ...(input.synthetic ? { syntheticReport: true } : {}) };
  await writeFileAtomic(shardMetaPath(input.junitPath), `${JSON.stringify(meta, null, 2)}\n`);
}
