import type { Plan } from '../plan/types.js';

export interface PlanTableExtras {
  /** JUnit cases whose file is not among the test files. */
  readonly unmappedCases?: number;
  /** Timing entries (paths) that are not among the test files. */
  readonly unmappedFiles?: number;
  /** Timing sources read. */
  readonly sources?: number;
  /** The slowest shard of the same plan without feature groups, when groups cost balance. */
  readonly withoutGroups?: { readonly slowestSeconds: number; readonly hint: string } | undefined;
}

const BAR_WIDTH = 24;

/**
 * The plan as a table for people: per shard its files, estimated time and a bar of its load
 * relative to the slowest shard; then the balance (slowest / lower bound, 1.000 is perfect) and
 * what the estimate rests on. Pure: returns the text, the CLI prints it.
 */
export function renderPlanTable(plan: Plan, extras: PlanTableExtras = {}): string {
  const slowest = plan.shards.reduce((max, s) => Math.max(max, s.estimatedSeconds), 0);
  const indexWidth = Math.max('shard'.length, String(plan.shardCount).length);
  const filesWidth = Math.max('files'.length, ...plan.shards.map((s) => String(s.files.length).length));
  const times = plan.shards.map((s) => formatSeconds(s.estimatedSeconds));
  const timeWidth = Math.max('estimated'.length, ...times.map((t) => t.length));

  const walls = plan.walls.modelled;
  const parts = plan.shards.map((s) => (walls ? `${formatSeconds(s.estimatedTestSeconds)} + ${formatSeconds(s.estimatedOverheadSeconds)}` : ''));
  const partsWidth = Math.max('tests + overhead'.length, ...parts.map((p) => p.length));
  const partsCell = (text: string): string => (walls ? `  ${text.padStart(partsWidth)}` : '');

  const lines: string[] = [];
  lines.push(`${'shard'.padStart(indexWidth)}  ${'files'.padStart(filesWidth)}  ${'estimated'.padStart(timeWidth)}${partsCell('tests + overhead')}  load`);
  plan.shards.forEach((shard, i) => {
    const share = slowest > 0 ? shard.estimatedSeconds / slowest : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const percent = `${Math.round(share * 100)}%`.padStart(4);
    lines.push(
      `${String(shard.index).padStart(indexWidth)}  ${String(shard.files.length).padStart(filesWidth)}  ${times[i]!.padStart(timeWidth)}${partsCell(parts[i]!)}  ${bar} ${percent}`,
    );
  });
  lines.push('');

  // a split file is one file, in slices over several shards
  const fileCount = plan.shards.reduce((n, s) => n + s.files.length, 0) + (plan.slicing?.files.length ?? 0);
  const ratio = plan.lowerBoundSeconds > 0 ? slowest / plan.lowerBoundSeconds : 1;
  lines.push(
    `${fileCount} files in ${plan.shardCount} shards; estimated total ${formatSeconds(plan.estimatedTotalSeconds)}, ` +
      `slowest shard ${formatSeconds(slowest)}, lower bound ${formatSeconds(plan.lowerBoundSeconds)}`,
  );
  lines.push(`slowest / lower bound: ${ratio.toFixed(3)} (1.000 is a perfect split of the ${walls ? 'predicted walls' : 'estimates'})`);
  const unmapped = (extras.unmappedCases ?? 0) + (extras.unmappedFiles ?? 0);
  lines.push(
    `estimator: ${plan.estimator}; estimated files (no timings): ${plan.estimatedFiles}; unmapped timings: ${unmapped}` +
      (extras.unmappedCases ? ` (${extras.unmappedCases} JUnit cases, ${extras.unmappedFiles ?? 0} paths)` : ''),
  );
  lines.push(`split groups: ${plan.splitGroups.length === 0 ? 'none' : plan.splitGroups.join(', ')}`);
  if (plan.spread !== undefined) {
    const { allowed, compactSeconds, spreadSeconds } = plan.spread;
    const gain = compactSeconds > 0 ? (1 - spreadSeconds / compactSeconds) * 100 : 0;
    lines.push(
      allowed
        ? `feature groups spread freely (spreadGroups): slowest shard ${formatSeconds(spreadSeconds)}, kept compact it would be ${formatSeconds(compactSeconds)}`
        : `large feature groups are kept on at most ceil(group / fair share) + 1 shards; spreading them wider would lower the slowest shard from ` +
            `${formatSeconds(compactSeconds)} to ${formatSeconds(spreadSeconds)} (${gain.toFixed(1)}%): --spread-groups (or "spreadGroups": true) allows it`,
    );
  }
  if (extras.withoutGroups !== undefined && extras.withoutGroups.slowestSeconds > 0) {
    const cost = slowest / extras.withoutGroups.slowestSeconds - 1;
    lines.push(
      `keeping feature groups together costs ${(cost * 100).toFixed(1)}%: without groups the slowest shard would be ` +
        `${formatSeconds(extras.withoutGroups.slowestSeconds)}; ${extras.withoutGroups.hint}`,
    );
  }
  if (plan.estimator === 'none') lines.push('no timings: every file counts as 1 s, so the times above are file counts');
  else if (plan.estimatedFiles * 2 > fileCount) {
    // a ratio near 1.000 over guesses proves nothing: say so where the ratio is read
    lines.push(
      `mostly guessed: ${plan.estimatedFiles} of ${fileCount} files have no timings, so their estimates are invented and the balance above is only as good as those guesses`,
    );
  }
  lines.push(wallsLine(plan));
  if (plan.slicing !== undefined) lines.push(slicingLine(plan.slicing));
  if (plan.boundBy !== undefined && !(plan.slicing?.files.some((f) => f.file === plan.boundBy?.name) ?? false)) {
    const { kind, name, seconds } = plan.boundBy;
    lines.push(
      kind === 'file'
        ? `the lower bound is set by one file, ${name} (${formatSeconds(seconds)}): no shard can finish sooner; splitting its tests over shards (test-level splitting) would lift it`
        : `the lower bound is set by feature group ${name} (${formatSeconds(seconds)}): smaller groups would lift it`,
    );
  }
  lines.push(`fingerprint: ${plan.fingerprint}`);
  return lines.join('\n') + '\n';
}

/** Which files were cut into slices of their tests, and what that bought against whole files. */
function slicingLine(slicing: NonNullable<Plan['slicing']>): string {
  const files = slicing.files.map((f) => `${f.file} (${f.slices} slices of ${f.tests} tests)`);
  const shown = files.length > 3 ? [...files.slice(0, 3), `${files.length - 3} more`] : files;
  const gain = slicing.fileLevelSeconds > 0 ? (1 - slicing.slicedSeconds / slicing.fileLevelSeconds) * 100 : 0;
  return (
    `split by test: ${shown.join(', ')}; slowest shard ${formatSeconds(slicing.slicedSeconds)} instead of ` +
    `${formatSeconds(slicing.fileLevelSeconds)} with whole files (${gain.toFixed(1)}% sooner), each extra slice paying the file's overhead again` +
    (slicing.commandSeconds === undefined
      ? ''
      : ` and each slice its own command's start-up, ${formatSeconds(slicing.commandSeconds)} (${slicing.commandSecondsFrom === 'walls' ? "the walls model's fixed cost" : 'assumed: no shard walls recorded'})`)
  );
}

/** What the shard estimates rest on: test times only, or predicted walls and the model's parts. */
function wallsLine(plan: Plan): string {
  const w = plan.walls;
  if (!w.modelled) {
    return 'walls: not modelled (no shard wall times in the timings): estimates are test times only; record runs of split-tests run --junit to model them';
  }
  return (
    `walls: predicted from ${w.observations} recorded shard${w.observations === 1 ? '' : 's'}: ${formatSeconds(w.fixedSeconds)} per shard + ` +
    `${formatSeconds(w.perFileSeconds)} per file beyond its tests` +
    (w.filesWithOwnOverhead > 0
      ? ` (${w.filesWithOwnOverhead} files with a figure of their own${w.filesWithReportedOverhead > 0 ? `, ${w.filesWithReportedOverhead} measured by their reports` : ''})`
      : '') +
    (w.outliers > 0 ? `; ${w.outliers} shard${w.outliers === 1 ? '' : 's'} set aside as slowed from outside` : '') +
    (w.separated ? '' : '; the recorded shards had as many files each, so a shard\'s start-up is counted per file until one has more')
  );
}

/** 9.5 s, 2m 05s, 1h 02m: short and stable, for tables. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
