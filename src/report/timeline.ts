/**
 * The pipeline timeline: each stage's predicted start and duration, and the measured ones when a
 * run happened. `pipeline plan` prints it as text; the HTML report draws it as a Gantt chart.
 */
import { escapeHtml } from './escape.js';
import { formatSeconds, truncateMiddle } from './format.js';
import { CHART_WIDTH, n, niceScale, svgChart } from './svg.js';

export interface TimelineStage {
  readonly name: string;
  /** Predicted start, seconds from the pipeline's start. */
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly measuredStartSeconds?: number | undefined;
  readonly measuredDurationSeconds?: number | undefined;
  /** What runs the stage when several run side by side, e.g. "shards" or "package"; shown beside the name. */
  readonly lane?: string | undefined;
}

export interface TimelineTextOptions {
  /** Total line width in columns; default 80. */
  readonly width?: number | undefined;
  readonly color?: boolean | undefined;
}

function label(stage: TimelineStage): string {
  return stage.lane && stage.lane !== stage.name ? `${stage.name} (${stage.lane})` : stage.name;
}

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

function hasMeasured(stage: TimelineStage): boolean {
  return finite(stage.measuredStartSeconds) && finite(stage.measuredDurationSeconds);
}

/** The latest end of any predicted or measured stage: the pipeline's length. */
export function timelineEndSeconds(stages: readonly TimelineStage[]): number {
  let end = 0;
  for (const s of stages) {
    end = Math.max(end, s.startSeconds + s.durationSeconds);
    if (hasMeasured(s)) end = Math.max(end, s.measuredStartSeconds! + s.measuredDurationSeconds!);
  }
  return end;
}

/**
 * A text Gantt chart: one row per stage (█ predicted), and a second row (░ measured) when the stage
 * was measured. Columns are proportional to seconds; every stage that lasts gets at least one cell.
 */
export function renderTimelineText(stages: readonly TimelineStage[], options: TimelineTextOptions = {}): string {
  if (stages.length === 0) return 'Pipeline timeline: no stages\n';
  const width = Math.max(40, Math.floor(options.width ?? 80));
  const color = options.color === true;
  const paint = (code: string, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const labels = stages.map(label);
  const labelWidth = Math.min(24, Math.max(5, ...labels.map((l) => [...l].length)));
  const numbersWidth = 20;
  const barWidth = Math.max(10, width - labelWidth - numbersWidth - 4);
  const total = timelineEndSeconds(stages);
  const cell = (seconds: number): number => (total > 0 ? Math.round((seconds / total) * barWidth) : 0);
  const bar = (start: number, duration: number, glyph: string): string => {
    const from = Math.min(barWidth, cell(start));
    let to = Math.min(barWidth, cell(start + duration));
    if (duration > 0 && to <= from) to = Math.min(barWidth, from + 1);
    const startCol = to > barWidth - 1 && from === to ? barWidth - 1 : from;
    return ' '.repeat(startCol) + glyph.repeat(Math.max(0, to - startCol)) + ' '.repeat(Math.max(0, barWidth - to));
  };
  const anyMeasured = stages.some(hasMeasured);
  const lines: string[] = [];
  const legend = anyMeasured ? '█ predicted  ░ measured' : '█ predicted';
  lines.push(`Pipeline timeline (${legend}), ${formatSeconds(total)} end to end`);
  const scale = `0${' '.repeat(Math.max(1, barWidth - 1 - formatSeconds(total).length))}${formatSeconds(total)}`;
  lines.push(`${' '.repeat(labelWidth)}  ${scale}`);
  stages.forEach((stage, i) => {
    const name = truncateMiddle(labels[i]!, labelWidth).padEnd(labelWidth);
    const predicted = `${formatSeconds(stage.startSeconds)} + ${formatSeconds(stage.durationSeconds)}`;
    lines.push(`${paint('1', name)}  ${paint('36', bar(stage.startSeconds, stage.durationSeconds, '█'))}  ${predicted}`.trimEnd());
    if (hasMeasured(stage)) {
      const measured = `${formatSeconds(stage.measuredStartSeconds!)} + ${formatSeconds(stage.measuredDurationSeconds!)}`;
      lines.push(`${' '.repeat(labelWidth)}  ${paint('33', bar(stage.measuredStartSeconds!, stage.measuredDurationSeconds!, '░'))}  ${measured}`.trimEnd());
    }
  });
  return `${lines.join('\n')}\n`;
}

/** The timeline as an inline SVG chart (`data-chart="timeline"`): predicted bars, measured bars beneath. */
export function renderTimelineSvg(stages: readonly TimelineStage[]): string {
  const rowHeight = 34;
  const top = 6;
  const axisRoom = 22;
  const height = top + stages.length * rowHeight + axisRoom;
  const left = 4;
  const width = CHART_WIDTH - left - 8;
  const { max, step } = niceScale(timelineEndSeconds(stages));
  const x = (s: number): number => left + (max > 0 ? (s / max) * width : 0);
  const plotBottom = top + stages.length * rowHeight;
  let body = '<g class="axis">';
  for (let v = 0; v <= max + step / 2; v += step) {
    body += `<line class="grid" x1="${n(x(v))}" x2="${n(x(v))}" y1="${top}" y2="${n(plotBottom)}"/>`;
    const anchor = v === 0 ? 'start' : v + step / 2 > max ? 'end' : 'middle';
    body += `<text class="tick" x="${n(x(v))}" y="${n(plotBottom + 14)}" text-anchor="${anchor}">${escapeHtml(formatSeconds(v))}</text>`;
  }
  body += '</g>';
  stages.forEach((stage, i) => {
    const rowTop = top + i * rowHeight;
    const name = label(stage);
    let title = `${name}: predicted ${formatSeconds(stage.startSeconds)} + ${formatSeconds(stage.durationSeconds)}`;
    if (hasMeasured(stage)) title += `, measured ${formatSeconds(stage.measuredStartSeconds!)} + ${formatSeconds(stage.measuredDurationSeconds!)}`;
    body += `<g class="stage" data-stage="${escapeHtml(stage.name)}"><title>${escapeHtml(title)}</title>`;
    body += `<text class="label" x="${left}" y="${n(rowTop + 11)}">${escapeHtml(truncateMiddle(name, 40))} <tspan class="muted">${escapeHtml(formatSeconds(stage.durationSeconds))}${hasMeasured(stage) ? ` / ${escapeHtml(formatSeconds(stage.measuredDurationSeconds!))}` : ''}</tspan></text>`;
    body += `<rect class="bar s-estimated" data-series="predicted" x="${n(x(stage.startSeconds))}" y="${n(rowTop + 15)}" width="${n(Math.max(1, x(stage.startSeconds + stage.durationSeconds) - x(stage.startSeconds)))}" height="7" rx="1.5"/>`;
    if (hasMeasured(stage)) {
      const ms = stage.measuredStartSeconds!;
      body += `<rect class="bar s-measured" data-series="measured" x="${n(x(ms))}" y="${n(rowTop + 23)}" width="${n(Math.max(1, x(ms + stage.measuredDurationSeconds!) - x(ms)))}" height="7" rx="1.5"/>`;
    }
    body += '</g>';
  });
  const measured = stages.some(hasMeasured);
  return svgChart({
    name: 'timeline',
    title: 'Pipeline timeline',
    description: `Each stage's predicted start and duration${measured ? ', and the measured ones beneath' : ''}, over ${formatSeconds(timelineEndSeconds(stages))}.`,
    height,
    body,
  });
}
