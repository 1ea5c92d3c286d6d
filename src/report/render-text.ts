/**
 * `--format text`: a compact terminal summary. Sparklines show the shape over runs, tables the
 * figures. Colour (ANSI) only when the caller asks: the CLI asks on a TTY without NO_COLOR.
 */
import { formatDeltaSeconds, formatPercent, formatRatio, formatSeconds, formatShare, shortTime, truncateMiddle } from './format.js';
import { sparkline } from './sparkline.js';
import { splitLine } from './split-line.js';
import { renderTimelineText, type TimelineStage } from './timeline.js';
import type { MetricTrend, RunTrend, Trends } from './types.js';

export interface TextOptions {
  readonly color: boolean;
  /** Terminal columns; default 80. */
  readonly width?: number | undefined;
  readonly timeline?: readonly TimelineStage[] | undefined;
}

type Paint = (text: string) => string;

interface Palette {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
}

function palette(color: boolean): Palette {
  const sgr = (code: string): Paint => (color ? (t) => `\u001b[${code}m${t}\u001b[0m` : (t) => t);
  return { bold: sgr('1'), dim: sgr('2'), red: sgr('31'), green: sgr('32'), yellow: sgr('33'), cyan: sgr('36') };
}

/** Visible width: ANSI sequences take no columns. */
function visible(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = Math.max(0, width - visible(text));
  return align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
}

interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** The one column that shrinks (middle-truncated) to fit the width. */
  readonly flex?: boolean;
}

/** A plain table; `cells` hold uncoloured text, `paint` colours a cell after it is padded. */
function table(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
  p: Palette,
  paint?: (row: number, column: number, text: string) => string,
): string[] {
  const widths = columns.map((c, i) => Math.max(visible(c.header), ...rows.map((r) => visible(r[i] ?? ''))));
  const flex = columns.findIndex((c) => c.flex);
  const indent = 2;
  const total = (): number => indent + widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
  if (flex >= 0 && total() > width) widths[flex] = Math.max(12, widths[flex]! - (total() - width));
  const line = (cells: readonly string[], row: number): string =>
    ' '.repeat(indent) +
    cells
      .map((cell, i) => {
        const w = widths[i]!;
        const text = i === flex ? truncateMiddle(cell, w) : cell;
        const padded = pad(text, w, columns[i]!.align);
        return row >= 0 && paint ? paint(row, i, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [p.dim(line(columns.map((c) => c.header), -1)), ...rows.map((r, i) => line(r, i))];
}

/** For times and the imbalance, up is worse. */
function paintChange(p: Palette, trend: MetricTrend, text: string, upIsBad: boolean): string {
  if (trend.direction === 'flat' || trend.direction === 'unknown' || !upIsBad) return text;
  return trend.direction === 'up' ? p.red(text) : p.green(text);
}

function fileList(files: readonly string[], max: number, width: number): string {
  const shown = files.slice(0, max).map((f) => truncateMiddle(f, Math.max(20, width - 8)));
  return shown.join(', ') + (files.length > max ? `, … ${files.length - max} more` : '');
}

/**
 * File, run, group and stage names come from JUnit reports and CI variables: a control character
 * in one (ESC above all) must not reach the terminal, where it could move the cursor or recolour
 * the rest of the log. They are shown as U+FFFD.
 */
function withoutControls<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd') : v,
  ) as T;
}

export function renderText(unsafeTrends: Trends, unsafeOptions: TextOptions): string {
  const trends = withoutControls(unsafeTrends);
  const options: TextOptions = { ...unsafeOptions, timeline: unsafeOptions.timeline && withoutControls(unsafeOptions.timeline) };
  const width = Math.max(50, Math.floor(options.width ?? 80));
  const p = palette(options.color);
  const out: string[] = [];
  const latest = trends.latest;
  const first = trends.runs[0];

  if (latest === null || first === undefined) {
    out.push(p.bold('split-tests report: no runs recorded yet'));
    out.push(`  Record a run with 'split-tests record <junit reports...>' to start the history.`);
  } else {
    const span = trends.runCount === 1 ? `${latest.id} (${shortTime(latest.time)})` : `${first.id} (${shortTime(first.time)}) → ${latest.id} (${shortTime(latest.time)})`;
    const held = trends.historyRunCount !== trends.runCount ? `, last ${trends.runCount} of ${trends.historyRunCount}` : '';
    out.push(`${p.bold('split-tests report')}: ${trends.runCount} run${trends.runCount === 1 ? '' : 's'}${held}, ${span}`);
    out.push('');
    out.push(...metricsTable(trends, width, p));
    out.push('');
    out.push(...latestRun(latest, width, p));
  }

  if (trends.stages.length > 0 && latest !== null && latest.stages.length > 0) {
    out.push('');
    out.push(p.bold('Pipeline stages (latest run)'));
    out.push(
      ...table(
        [
          { header: 'stage', align: 'left' },
          { header: 'predicted', align: 'right' },
          { header: 'measured', align: 'right' },
          { header: 'trend', align: 'left' },
        ],
        latest.stages.map((s) => [
          s.name,
          formatSeconds(s.predictedSeconds),
          formatSeconds(s.measuredSeconds),
          sparkline(trends.stages.find((t) => t.name === s.name)?.measured.values ?? [], 24),
        ]),
        width,
        p,
      ),
    );
  }
  if (options.timeline && options.timeline.length > 0) {
    out.push('');
    out.push(renderTimelineText(options.timeline, { width, color: options.color }).trimEnd());
  }

  if (trends.slowestFiles.length > 0) {
    out.push('');
    out.push(p.bold(`Slowest files now (${trends.slowestFiles.length} of ${trends.currentFileCount})`));
    out.push(
      ...table(
        [
          { header: 'seconds', align: 'right' },
          { header: 'share', align: 'right' },
          { header: 'median', align: 'right' },
          { header: 'file', align: 'left', flex: true },
        ],
        trends.slowestFiles.map((f) => [formatSeconds(f.seconds), formatShare(f.share), formatSeconds(f.medianSeconds), f.file]),
        width,
        p,
      ),
    );
  }

  out.push('');
  if (trends.regressions.length === 0) {
    out.push(`${p.bold('Regressions')}: none (no file is ≥${formatSeconds(trends.settings.regressionMinSeconds)} and ≥${Math.round(trends.settings.regressionMinRatio * 100)}% slower for ${trends.settings.regressionMinRuns}+ runs)`);
  } else {
    out.push(p.bold(`Regressions: ${trends.regressions.length} file${trends.regressions.length === 1 ? '' : 's'} got slower`));
    out.push(
      ...table(
        [
          { header: 'before', align: 'right' },
          { header: 'now', align: 'right' },
          { header: 'slower', align: 'right' },
          { header: '%', align: 'right' },
          { header: 'since', align: 'left' },
          { header: 'file', align: 'left', flex: true },
        ],
        trends.regressions.map((r) => [
          formatSeconds(r.baselineSeconds),
          formatSeconds(r.recentSeconds),
          formatDeltaSeconds(r.deltaSeconds),
          formatPercent(r.deltaPercent, 0),
          truncateMiddle(r.sinceRun, 16),
          r.file,
        ]),
        width,
        p,
        (_row, column, text) => (column === 2 || column === 3 ? p.red(text) : text),
      ),
    );
  }

  out.push('');
  out.push(...flakyText(trends, width, p));

  if (trends.groups.length > 0) {
    out.push('');
    out.push(p.bold('Feature groups (share of the latest run)'));
    out.push(
      ...table(
        [
          { header: 'seconds', align: 'right' },
          { header: 'share', align: 'right' },
          { header: 'change', align: 'right' },
          { header: 'trend', align: 'left' },
          { header: 'group', align: 'left', flex: true },
        ],
        trends.groups.map((g) => [
          formatSeconds(g.latestSeconds),
          formatShare(g.latestShare),
          formatPercent(g.seconds.changePercent),
          sparkline(g.seconds.values, 16),
          g.name,
        ]),
        width,
        p,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

function metricsTable(trends: Trends, width: number, p: Palette): string[] {
  const m = trends.metrics;
  const sparkWidth = Math.max(8, width - 2 - 20 - 3 * 10 - 10 - 2);
  const rows: { label: string; trend: MetricTrend; format: (v: number | null) => string; upIsBad: boolean }[] = [
    { label: 'total test time', trend: m.totalSeconds, format: formatSeconds, upIsBad: true },
    { label: 'slowest shard', trend: m.makespanSeconds, format: formatSeconds, upIsBad: true },
    { label: 'lower bound', trend: m.lowerBoundSeconds, format: formatSeconds, upIsBad: true },
    { label: 'imbalance', trend: m.imbalance, format: formatRatio, upIsBad: true },
    { label: 'wall imbalance', trend: m.wallImbalance, format: formatRatio, upIsBad: true },
    { label: 'predicted makespan', trend: m.predictedMakespanSeconds, format: formatSeconds, upIsBad: true },
    { label: 'files', trend: m.fileCount, format: (v) => (v === null ? '–' : String(v)), upIsBad: false },
    { label: 'failed files', trend: m.failedFileCount, format: (v) => (v === null ? '–' : String(v)), upIsBad: true },
  ];
  const recentHeader = `last ${Math.min(trends.settings.trendWindow, trends.runCount)}`;
  return table(
    [
      { header: '', align: 'left' },
      { header: 'first', align: 'right' },
      { header: 'latest', align: 'right' },
      { header: 'change', align: 'right' },
      { header: recentHeader, align: 'right' },
      { header: 'over runs', align: 'left' },
    ],
    rows
      .filter((r) => r.trend.latest !== null)
      .map((r) => [r.label, r.format(r.trend.first), r.format(r.trend.latest), formatPercent(r.trend.changePercent), formatPercent(r.trend.recentChangePercent), sparkline(r.trend.values, sparkWidth)]),
    width,
    p,
    (row, column, text) => {
      const r = rows.filter((x) => x.trend.latest !== null)[row]!;
      if (column === 0) return p.bold(text);
      if (column === 4) return paintChange(p, r.trend, text, r.upIsBad);
      if (column === 5) return p.cyan(text);
      return text;
    },
  );
}

function latestRun(run: RunTrend, width: number, p: Palette): string[] {
  const out: string[] = [];
  out.push(p.bold(`Latest run ${run.id}`) + ` (${shortTime(run.time)}): ${run.shardCount} shard${run.shardCount === 1 ? '' : 's'}, ${run.fileCount} files, ${formatSeconds(run.totalSeconds)} of tests`);
  const parts = [`slowest shard ${formatSeconds(run.makespanSeconds)}`, `lower bound ${formatSeconds(run.lowerBoundSeconds)}`, `imbalance ${formatRatio(run.imbalance)}`];
  if (run.predictedMakespanSeconds !== null) parts.push(`predicted ${formatSeconds(run.predictedMakespanSeconds)} (${formatPercent(run.predictionErrorPercent)})`);
  if (run.wallMakespanSeconds !== null) parts.push(`wall ${formatSeconds(run.wallMakespanSeconds)}`);
  out.push(`  ${parts.join(' · ')}`);
  // beside the test-time figure: a split of the tests can be perfect while machines still idle
  if (run.wallImbalance !== null) out.push(`  wall imbalance ${formatRatio(run.wallImbalance)} (slowest shard wall / mean; 1.00: no machine idled)`);
  if (run.split !== null) out.push(`  ${splitLine(run.split)}`);
  const changes = [`${run.added.length} added`, `${run.removed.length} removed`, `${run.failedFiles.length} failed`];
  out.push(`  ${changes.join(', ')}`);
  if (run.added.length > 0) out.push(`  ${p.green('+')} ${fileList(run.added, 5, width)}`);
  if (run.removed.length > 0) out.push(`  ${p.dim('-')} ${fileList(run.removed, 5, width)}`);
  if (run.failedFiles.length > 0) out.push(`  ${p.red('✗')} ${fileList(run.failedFiles, 5, width)}`);
  if (run.shards.length > 0) {
    const max = Math.max(0, ...run.shards.map((s) => s.measuredSeconds ?? s.wallSeconds ?? s.estimatedSeconds ?? 0));
    const barWidth = Math.max(6, Math.min(30, width - 2 - 5 - 5 - 3 * 10 - 10));
    out.push(
      ...table(
        [
          { header: 'shard', align: 'right' },
          { header: 'files', align: 'right' },
          { header: 'estimated', align: 'right' },
          { header: 'measured', align: 'right' },
          { header: 'wall', align: 'right' },
          { header: '', align: 'left' },
        ],
        run.shards.map((s) => {
          const v = s.measuredSeconds ?? s.wallSeconds ?? s.estimatedSeconds ?? 0;
          const cells = max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * barWidth)) : 0;
          return [
            String(s.index),
            s.files === null ? '–' : String(s.files),
            formatSeconds(s.estimatedSeconds),
            formatSeconds(s.measuredSeconds),
            formatSeconds(s.wallSeconds),
            '█'.repeat(cells) + (s.passed === false ? ' ✗' : ''),
          ];
        }),
        width,
        p,
        (row, column, text) => (column === 5 ? (run.shards[row]?.passed === false ? p.red(text) : p.cyan(text)) : text),
      ),
    );
  }
  return out;
}

/** One flaky section: the rule, the flakiest files (with their failed and passed runs), the flakiest tests. */
function flakyText(trends: Trends, width: number, p: Palette): string[] {
  const rule = wrap(`flaky: ${trends.flakyRule}`, width).map((line) => p.dim(line));
  if (trends.flaky.length === 0) return [`${p.bold('Flaky files')}: none`, ...rule];
  const byFile = new Map(trends.flaky.map((f) => [f.file, f]));
  const shown = trends.flakiestFiles.length < trends.flaky.length ? ` (the ${trends.flakiestFiles.length} flakiest)` : '';
  const out = [p.bold(`Flaky files: ${trends.flaky.length}${shown}`), ...rule];
  out.push(
    ...table(
      [
        { header: 'flaky', align: 'right' },
        { header: 'tests', align: 'right' },
        { header: 'failed', align: 'right' },
        { header: 'passed', align: 'right' },
        { header: 'last seen', align: 'left' },
        { header: 'file', align: 'left', flex: true },
      ],
      trends.flakiestFiles.map((f) => [String(f.flakyRuns), String(f.flakyTests), String(byFile.get(f.file)?.failures ?? ''), String(byFile.get(f.file)?.passes ?? ''), truncateMiddle(f.lastSeenRun, 24), f.file]),
      width,
      p,
      (_row, column, text) => (column === 0 ? p.yellow(text) : text),
    ),
  );
  if (trends.flakiestTests.length === 0) return out;
  out.push('', p.bold('Flakiest tests'));
  out.push(
    ...table(
      [
        { header: 'flaky', align: 'right' },
        { header: 'last seen', align: 'left' },
        { header: 'test', align: 'left', flex: true },
      ],
      trends.flakiestTests.map((t) => [String(t.flakyRuns), truncateMiddle(t.lastSeenRun, 24), `${t.file} > ${t.test}`]),
      width,
      p,
      (_row, column, text) => (column === 0 ? p.yellow(text) : text),
    ),
  );
  return out;
}

/** Words into lines of at most `width` columns (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
