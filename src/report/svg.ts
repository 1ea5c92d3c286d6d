/**
 * Inline SVG charts for the HTML report: plain strings, no scripts, no external resources.
 * Every chart scales with its viewBox (width 100% in CSS), carries a <title>/<desc> for screen
 * readers and a `data-chart` name tests and users can find it by. Colours come from CSS classes so
 * the page's light and dark themes apply. All user text goes through escapeHtml.
 */
import { escapeHtml } from './escape.js';
import { truncateMiddle } from './format.js';

/** Width of every chart's coordinate system; about a phone's width so 11-unit text stays legible. */
export const CHART_WIDTH = 400;
const FONT = 11;
/** Rough advance of one character at FONT size, to fit labels without measuring. */
const CHAR_WIDTH = 6.1;

export interface ChartFrame {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly height: number;
  readonly body: string;
}

export function svgChart(frame: ChartFrame): string {
  const id = `chart-${frame.name}`;
  return (
    `<svg data-chart="${escapeHtml(frame.name)}" class="chart" viewBox="0 0 ${CHART_WIDTH} ${n(frame.height)}" ` +
    `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(frame.title)}</title><desc id="${id}-desc">${escapeHtml(frame.description)}</desc>` +
    frame.body +
    `</svg>`
  );
}

/** Coordinates with one decimal: short, and identical on every platform. */
export function n(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A "nice" axis maximum and step (1, 2, 2.5 or 5 times a power of ten) covering max in ~4 steps. */
export function niceScale(max: number, steps = 4): { max: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.25 };
  const raw = max / steps;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

export interface Plot {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Horizontal grid lines with y labels; returns the markup and the y mapping. */
export function yAxis(plot: Plot, maxValue: number, format: (v: number) => string): { markup: string; y: (v: number) => number } {
  const { max, step } = niceScale(maxValue);
  const y = (v: number): number => plot.top + plot.height - (v / max) * plot.height;
  let markup = '<g class="axis">';
  for (let v = 0; v <= max + step / 2; v += step) {
    const yy = y(v);
    markup += `<line class="grid" x1="${n(plot.left)}" x2="${n(plot.left + plot.width)}" y1="${n(yy)}" y2="${n(yy)}"/>`;
    markup += `<text class="tick" x="${n(plot.left - 4)}" y="${n(yy + FONT / 3)}" text-anchor="end">${escapeHtml(format(v))}</text>`;
  }
  return { markup: `${markup}</g>`, y };
}

/** X labels under evenly spaced categories, thinned so they never overlap. */
export function xLabels(labels: readonly string[], x: (i: number) => number, yPos: number, maxChars = 10): string {
  if (labels.length === 0) return '';
  const spacing = labels.length > 1 ? Math.abs(x(1) - x(0)) : Infinity;
  const longest = Math.min(maxChars, Math.max(...labels.map((l) => [...l].length)));
  const every = Math.max(1, Math.ceil(((longest + 1) * CHAR_WIDTH) / spacing));
  let markup = '<g class="axis">';
  labels.forEach((label, i) => {
    // always label the newest point; thin the rest from there backwards
    if ((labels.length - 1 - i) % every !== 0) return;
    markup += `<text class="tick" x="${n(x(i))}" y="${n(yPos)}" text-anchor="middle">${escapeHtml(truncateMiddle(label, maxChars))}</text>`;
  });
  return `${markup}</g>`;
}

export interface LineSeries {
  readonly name: string;
  /** CSS class giving the series its colour, e.g. "s-makespan" or "g3". */
  readonly className: string;
  readonly values: readonly (number | null)[];
  readonly dashed?: boolean;
}

export interface LineChartSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly series: readonly LineSeries[];
  /** One label per x position (a run). */
  readonly labels: readonly string[];
  readonly format: (v: number) => string;
}

export function lineChart(spec: LineChartSpec): string {
  const height = 200;
  const plot: Plot = { left: 44, top: 10, width: CHART_WIDTH - 44 - 10, height: height - 10 - 26 };
  const count = spec.labels.length;
  const all = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const axis = yAxis(plot, Math.max(0, ...all), spec.format);
  const x = (i: number): number => (count <= 1 ? plot.left + plot.width / 2 : plot.left + (i / (count - 1)) * plot.width);
  let body = axis.markup + xLabels(spec.labels, x, plot.top + plot.height + 16);
  for (const series of spec.series) {
    // a run without the value breaks the line instead of inventing a point
    let d = '';
    let pen = false;
    series.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${n(x(i))} ${n(axis.y(v))}`;
      pen = true;
    });
    const cls = `line ${series.className}${series.dashed ? ' dashed' : ''}`;
    body += `<g class="series" data-series="${escapeHtml(series.name)}">`;
    if (d !== '') body += `<path class="${cls}" d="${d}"/>`;
    // points carry the exact figure as a native tooltip; drawn only while they stay apart
    const spaced = count <= 1 || plot.width / (count - 1) >= 8;
    series.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      const r = spaced || i === count - 1 ? 2.6 : 0;
      if (r === 0) return;
      body += `<circle class="dot ${series.className}" cx="${n(x(i))}" cy="${n(axis.y(v))}" r="${r}"><title>${escapeHtml(`${series.name} · ${spec.labels[i] ?? ''}: ${spec.format(v)}`)}</title></circle>`;
    });
    body += '</g>';
  }
  return svgChart({ name: spec.name, title: spec.title, description: spec.description, height, body });
}

export interface BarGroup {
  readonly label: string;
  readonly bars: readonly { readonly series: string; readonly className: string; readonly value: number | null }[];
}

export interface BarChartSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly groups: readonly BarGroup[];
  readonly format: (v: number) => string;
  /** A dashed horizontal reference line, e.g. the lower bound. */
  readonly reference?: { readonly label: string; readonly value: number } | undefined;
}

/** Vertical bars in groups (one group per shard, one bar per series). */
export function barChart(spec: BarChartSpec): string {
  const height = 200;
  const plot: Plot = { left: 44, top: 12, width: CHART_WIDTH - 44 - 10, height: height - 12 - 26 };
  const values = spec.groups.flatMap((g) => g.bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v)));
  const axis = yAxis(plot, Math.max(0, spec.reference?.value ?? 0, ...values), spec.format);
  const slot = plot.width / Math.max(1, spec.groups.length);
  const x = (i: number): number => plot.left + slot * (i + 0.5);
  let body = axis.markup + xLabels(spec.groups.map((g) => g.label), x, plot.top + plot.height + 16, 6);
  const inner = slot * 0.8;
  spec.groups.forEach((group, i) => {
    const barWidth = inner / Math.max(1, group.bars.length);
    body += `<g class="bar-group" data-label="${escapeHtml(group.label)}">`;
    group.bars.forEach((bar, j) => {
      if (bar.value === null || !Number.isFinite(bar.value)) return;
      const top = axis.y(bar.value);
      const bx = x(i) - inner / 2 + j * barWidth;
      body +=
        `<rect class="bar ${bar.className}" data-series="${escapeHtml(bar.series)}" data-value="${bar.value}" x="${n(bx)}" y="${n(top)}" ` +
        `width="${n(Math.max(0.5, barWidth - 1))}" height="${n(Math.max(0.5, plot.top + plot.height - top))}">` +
        `<title>${escapeHtml(`${group.label} ${bar.series}: ${spec.format(bar.value)}`)}</title></rect>`;
    });
    body += '</g>';
  });
  if (spec.reference && spec.reference.value > 0) {
    const ry = axis.y(spec.reference.value);
    body +=
      `<g class="reference"><line class="line s-lower dashed" x1="${n(plot.left)}" x2="${n(plot.left + plot.width)}" y1="${n(ry)}" y2="${n(ry)}">` +
      `<title>${escapeHtml(`${spec.reference.label}: ${spec.format(spec.reference.value)}`)}</title></line></g>`;
  }
  return svgChart({ name: spec.name, title: spec.title, description: spec.description, height, body });
}

export interface HBarSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly { readonly label: string; readonly value: number; readonly note?: string; readonly className?: string }[];
  readonly format: (v: number) => string;
}

/** Horizontal bars with the label on its own line above each bar, so long file names fit a phone. */
export function hbarChart(spec: HBarSpec): string {
  const rowHeight = 30;
  const height = 6 + spec.rows.length * rowHeight;
  const left = 4;
  const valueRoom = 58;
  const width = CHART_WIDTH - left - valueRoom - 4;
  const max = Math.max(0, ...spec.rows.map((r) => r.value));
  const maxChars = Math.floor((CHART_WIDTH - left - 4) / CHAR_WIDTH);
  let body = '';
  spec.rows.forEach((row, i) => {
    const top = 4 + i * rowHeight;
    const barWidth = max > 0 ? Math.max(1, (row.value / max) * width) : 1;
    body +=
      `<g class="hbar" data-label="${escapeHtml(row.label)}">` +
      `<title>${escapeHtml(`${row.label}: ${spec.format(row.value)}${row.note ? ` (${row.note})` : ''}`)}</title>` +
      `<text class="label" x="${left}" y="${n(top + FONT)}">${escapeHtml(truncateMiddle(row.label, maxChars))}</text>` +
      `<rect class="bar ${row.className ?? 's-measured'}" data-value="${row.value}" x="${left}" y="${n(top + 15)}" width="${n(barWidth)}" height="10" rx="2"/>` +
      `<text class="value" x="${n(left + barWidth + 4)}" y="${n(top + 24)}">${escapeHtml(spec.format(row.value))}</text>` +
      `</g>`;
  });
  return svgChart({ name: spec.name, title: spec.title, description: spec.description, height, body });
}
