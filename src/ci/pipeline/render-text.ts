/**
 * `pipeline plan` for people: the shard counts considered, the recommendation and why, and the
 * predicted timeline. Pure; the CLI prints the string.
 */
import { formatSeconds } from '../../report/format.js';
import { renderTimelineText } from '../../report/timeline.js';
import { describeSource } from './model.js';
import type { PipelinePlan, ShardCountOption } from './model.js';
import { pipelineTimeline } from './timeline.js';

export interface RenderPipelineOptions {
  readonly width?: number | undefined;
  readonly color?: boolean | undefined;
  /** What the numbers rest on, so the text can say when they are guesses. */
  readonly basis?: PlanBasis | undefined;
}

/** Where a prediction's numbers came from. */
export interface PlanBasis {
  /** The estimation rule of the plan; 'none' when there were no timings at all. */
  readonly estimator: string;
  readonly files: number;
  /** Files without a timing of their own, estimated from others. */
  readonly estimatedFiles: number;
  /** Timing runs the estimates came from. */
  readonly timingRuns: number;
  /** The history read for stage times, and how many runs it holds (undefined: no such file). */
  readonly history: { readonly label: string; readonly runs: number | undefined };
  /** Where the target came from, e.g. `--target` or `pipeline.target in the config`. */
  readonly targetFrom?: string | undefined;
}

/** Rows of the options table around the recommendation: enough to see the knee, not all 24. */
const TABLE_CONTEXT = 3;

export function renderPipelinePlanText(plan: PipelinePlan, options: RenderPipelineOptions = {}): string {
  const lines: string[] = [];
  const n = plan.recommendedShards;
  const why =
    plan.reason === 'fixed'
      ? 'as asked'
      : plan.reason === 'target'
        ? `meets the ${formatSeconds(plan.targetSeconds)} target at the least node-minutes`
        : plan.reason === 'fastest'
          ? `the fastest; nothing meets the ${formatSeconds(plan.targetSeconds)} target`
          : 'the knee: more shards buy little time';
  const fixedAgainstTarget =
    plan.reason === 'fixed' && plan.targetSeconds !== undefined
      ? `; ${plan.meetsTarget === true ? 'meets' : 'misses'} the ${formatSeconds(plan.targetSeconds)} target`
      : '';
  lines.push(`Pipeline plan: ${n} shard${n === 1 ? '' : 's'} (${why}${fixedAgainstTarget}), ${formatSeconds(plan.totalSeconds)} end to end`);
  if (options.basis !== undefined) lines.push(...basisLines(plan, options.basis));
  lines.push('');
  lines.push(...optionsTable(plan));
  lines.push('');
  lines.push('Stage times assumed:');
  lines.push(`  node overhead  ${formatSeconds(plan.overhead.seconds).padStart(8)}  ${describeSource(plan.overhead)}`);
  for (const [name, value] of Object.entries(plan.durations)) {
    if (value.source === 'none') {
      lines.push(`  ${name.padEnd(13)}  ${'-'.padStart(8)}  not in this pipeline`);
    } else {
      lines.push(`  ${name.padEnd(13)}  ${formatSeconds(value.seconds).padStart(8)}  ${describeSource(value)}`);
    }
  }
  lines.push(`Critical path: ${plan.criticalPath.join(' -> ')}`);
  // the overhead's note repeats the assumptions table above
  for (const note of plan.notes) if (!note.startsWith('Per-node overhead')) lines.push(`Note: ${note}`);
  lines.push('');
  return `${lines.join('\n')}\n${renderTimelineText(pipelineTimeline(plan), options)}`;
}

function optionsTable(plan: PipelinePlan): string[] {
  const index = plan.options.findIndex((o) => o.shards === plan.recommendedShards);
  const shown = plan.options.filter((o, i) => Math.abs(i - index) <= TABLE_CONTEXT || i === 0);
  const hasTarget = plan.targetSeconds !== undefined;
  const header = ['', 'shards', 'slowest shard', 'test stage', 'node-min', 'pipeline', ...(hasTarget ? ['target'] : [])];
  const rows: string[][] = [header];
  let previous = -1;
  for (const option of shown) {
    const i = plan.options.indexOf(option);
    if (previous >= 0 && i > previous + 1) rows.push(['', '...', '', '', '', '', ...(hasTarget ? [''] : [])]);
    previous = i;
    rows.push(row(option, option.shards === plan.recommendedShards, hasTarget));
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 || c === header.length - 1 && hasTarget ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function row(option: ShardCountOption, chosen: boolean, hasTarget: boolean): string[] {
  return [
    chosen ? '>' : '',
    String(option.shards),
    formatSeconds(option.makespanSeconds),
    formatSeconds(option.testStageSeconds),
    option.nodeMinutes.toFixed(1),
    formatSeconds(option.pipelineSeconds),
    ...(hasTarget ? [option.meetsTarget === true ? 'meets' : 'misses'] : []),
  ];
}

/**
 * What the numbers rest on, said up front: a plan without timings counts files, and stage times
 * nobody measured are defaults. Both look like predictions in the table; these lines say they are not.
 */
function basisLines(plan: PipelinePlan, basis: PlanBasis): string[] {
  const out: string[] = [];
  if (plan.targetSeconds !== undefined) {
    out.push(`Target: test stage (node overhead + slowest shard) at most ${formatSeconds(plan.targetSeconds)}${basis.targetFrom === undefined ? '' : `, from ${basis.targetFrom}`}`);
  }
  const files = `${basis.files} file${basis.files === 1 ? '' : 's'}`;
  if (basis.estimator === 'none' || basis.timingRuns === 0) {
    out.push(
      `Test times: none measured. Every file counts as 1 s, so the shard and test-stage times below are file counts, not predictions ` +
        '(pass --timings, or let `split-tests pipeline run` record a history).',
    );
  } else {
    const runs = `${basis.timingRuns} timing run${basis.timingRuns === 1 ? '' : 's'}`;
    out.push(
      basis.estimatedFiles === 0
        ? `Test times: measured, all ${files} from ${runs} (estimator ${basis.estimator}).`
        : `Test times: from ${runs} (estimator ${basis.estimator}); ${basis.estimatedFiles} of ${files} have no timing and are estimated from the others.`,
    );
  }
  const sources = [plan.overhead, ...Object.values(plan.durations)].filter((v) => v.source !== 'none');
  if (sources.every((v) => v.source === 'default')) {
    const why =
      basis.history.runs === undefined
        ? `no history at ${basis.history.label}`
        : `the history ${basis.history.label} holds no stage times yet`;
    out.push(`Stage times: defaults, not measurements (${why}); set them in the config's "pipeline" section or let \`split-tests pipeline run\` measure them.`);
  }
  return out;
}
