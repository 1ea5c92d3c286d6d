/**
 * `--format html`: one self-contained page. Inline CSS and inline SVG only: no scripts, no fonts,
 * no network, so it opens from a CI artifact, an email or a phone. Every user-provided string
 * (file, group, run and stage names) is escaped.
 */
import { escapeHtml } from './escape.js';
import { formatDeltaSeconds, formatPercent, formatRatio, formatSeconds, formatShare, shortTime } from './format.js';
import { barChart, hbarChart, lineChart } from './svg.js';
import { renderTimelineSvg, type TimelineStage } from './timeline.js';
import { splitLine } from './split-line.js';
import type { MetricTrend, RunTrend, Trends } from './types.js';

export interface HtmlOptions {
  /** The pipeline's predicted (and measured) stage timeline, drawn as its own chart. */
  readonly timeline?: readonly TimelineStage[] | undefined;
  /** Page title; default "split-tests report". */
  readonly title?: string | undefined;
}

/** Colour classes for feature groups; more groups than this share colours by rank. */
const GROUP_COLOURS = 8;
/** Group lines drawn; the rest are in the table. */
const MAX_GROUP_LINES = 8;

const CSS = `
:root{--bg:#f7f7f5;--card:#fff;--fg:#1d2126;--muted:#5f6b76;--line:#e3e5e8;--accent:#2f6fdf;
--makespan:#2f6fdf;--lower:#7b8794;--predicted:#d9822b;--estimated:#a9c4f5;--measured:#2f6fdf;--wall:#7a5cc7;
--bad:#c4352b;--good:#24824a;--warn:#a86a00;
--g0:#2f6fdf;--g1:#d9822b;--g2:#24a36b;--g3:#c4352b;--g4:#7a5cc7;--g5:#13a3b5;--g6:#c2489b;--g7:#7d8a2e}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--card:#1e2228;--fg:#e6e8eb;--muted:#9aa5b1;--line:#323842;
--accent:#7aa7ff;--makespan:#7aa7ff;--lower:#9aa5b1;--predicted:#f0a55a;--estimated:#3d5a8c;--measured:#7aa7ff;--wall:#a78bfa;
--bad:#ff7b72;--good:#56d364;--warn:#e3b341;
--g0:#7aa7ff;--g1:#f0a55a;--g2:#56d364;--g3:#ff7b72;--g4:#a78bfa;--g5:#4dd0e1;--g6:#f472b6;--g7:#c5d15a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:16px}
header h1{font-size:1.45rem;margin:0 0 2px}
header p{margin:0;color:var(--muted)}
h2{font-size:1.05rem;margin:0 0 8px}
section{margin-top:18px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;min-width:0}
.card .k{color:var(--muted);font-size:.8rem}
.card .v{font-size:1.3rem;font-weight:650;font-variant-numeric:tabular-nums}
.card .d{font-size:.8rem;color:var(--muted)}
.up-bad{color:var(--bad)}.down-good{color:var(--good)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,440px),1fr));gap:12px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px;min-width:0}
figure h2{margin-bottom:4px}
figure p.note{margin:0 0 6px;color:var(--muted);font-size:.82rem}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg .grid{stroke:var(--line);stroke-width:1}
svg text{fill:var(--fg);font-size:11px;font-family:inherit}
svg .tick,svg .muted,svg .value{fill:var(--muted)}
svg .line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
svg .dashed{stroke-dasharray:5 4}
svg .dot{stroke:var(--card);stroke-width:1}
.s-makespan{stroke:var(--makespan);fill:var(--makespan)}
.s-lower{stroke:var(--lower);fill:var(--lower)}
.s-predicted{stroke:var(--predicted);fill:var(--predicted)}
.s-estimated{fill:var(--estimated);stroke:var(--estimated)}
.s-measured{fill:var(--measured);stroke:var(--measured)}
.s-wall{fill:var(--wall);stroke:var(--wall)}
.s-bad{fill:var(--bad);stroke:var(--bad)}
svg path.line{fill:none}
${Array.from({ length: GROUP_COLOURS }, (_, i) => `.g${i}{stroke:var(--g${i});fill:var(--g${i})}`).join('\n')}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 0;padding:0;font-size:.82rem;color:var(--muted)}
ul.legend li{display:flex;align-items:center;gap:6px;min-width:0;overflow-wrap:anywhere}
ul.legend i{display:inline-block;width:14px;height:4px;border-radius:2px;flex:none;background:currentColor}
ul.legend i.box{height:10px;width:10px}
ul.legend i.dash{background:repeating-linear-gradient(90deg,currentColor 0 5px,transparent 5px 8px)}
.c-makespan{color:var(--makespan)}.c-lower{color:var(--lower)}.c-predicted{color:var(--predicted)}
.c-estimated{color:var(--estimated)}.c-measured{color:var(--measured)}.c-wall{color:var(--wall)}
${Array.from({ length: GROUP_COLOURS }, (_, i) => `.cg${i}{color:var(--g${i})}`).join('')}
.table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:6px 10px;text-align:left;border-bottom:1px solid var(--line);vertical-align:top}
tr:last-child td{border-bottom:0}
th{color:var(--muted);font-weight:600;font-size:.8rem}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.file{overflow-wrap:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
.bad{color:var(--bad)}.warn{color:var(--warn)}.good{color:var(--good)}
.empty{color:var(--muted);margin:0}.muted{color:var(--muted)}
footer{margin:22px 0 8px;color:var(--muted);font-size:.8rem}
@media (max-width:520px){main{padding:10px}th,td{padding:5px 6px}.runs .opt{display:none}}
`;

function legend(items: readonly { label: string; className: string; shape?: 'line' | 'box' | 'dash' }[]): string {
  return `<ul class="legend">${items
    .map((i) => `<li class="${i.className}"><i class="${i.shape ?? 'line'}"></i><span>${escapeHtml(i.label)}</span></li>`)
    .join('')}</ul>`;
}

function figure(name: string, heading: string, note: string, chart: string, legendHtml = ''): string {
  return `<figure id="fig-${escapeHtml(name)}"><h2>${escapeHtml(heading)}</h2>${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}${chart}${legendHtml}</figure>`;
}

function changeClass(trend: MetricTrend, upIsBad: boolean): string {
  if (trend.direction === 'up') return upIsBad ? 'up-bad' : '';
  if (trend.direction === 'down') return upIsBad ? 'down-good' : '';
  return '';
}

function card(key: string, value: string, detail: string, cls = ''): string {
  return `<div class="card"><div class="k">${escapeHtml(key)}</div><div class="v">${escapeHtml(value)}</div><div class="d ${cls}">${escapeHtml(detail)}</div></div>`;
}

function metricCard(key: string, trend: MetricTrend, format: (v: number | null) => string, upIsBad = true): string {
  const detail = trend.recentChangePercent === null ? `first ${format(trend.first)}` : `${formatPercent(trend.recentChangePercent)} over last ${trend.window} runs`;
  return card(key, format(trend.latest), detail, changeClass(trend, upIsBad));
}

function runLabel(run: RunTrend): string {
  return run.id;
}

function tableHtml(headers: readonly { label: string; numeric?: boolean; cls?: string }[], rows: readonly (readonly string[])[], cellClasses?: readonly string[]): string {
  const head = headers.map((h) => `<th class="${[h.numeric ? 'n' : '', h.cls ?? ''].join(' ').trim()}">${escapeHtml(h.label)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) => {
            const h = headers[i];
            const cls = [h?.numeric ? 'n' : '', h?.cls ?? '', cellClasses?.[i] ?? ''].join(' ').trim();
            // cells arrive as already-escaped HTML
            return `<td${cls ? ` class="${cls}"` : ''}>${cell}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

const e = escapeHtml;

/** A file path with break opportunities after each '/', so narrow tables wrap at folders, not mid-name. */
function pathHtml(path: string): string {
  return path.split('/').map(escapeHtml).join('/<wbr>');
}

export function renderHtml(trends: Trends, options: HtmlOptions = {}): string {
  const title = options.title ?? 'split-tests report';
  const latest = trends.latest;
  const first = trends.runs[0];
  const parts: string[] = [];

  const subtitle =
    latest === null || first === undefined
      ? 'No runs recorded yet. Record one with split-tests record <junit reports…>.'
      : `${trends.runCount} run${trends.runCount === 1 ? '' : 's'}: ${first.id} (${shortTime(first.time)}) to ${latest.id} (${shortTime(latest.time)}) · ${trends.fileCount} test files seen`;
  parts.push(`<header><h1>${e(title)}</h1><p>${e(subtitle)}</p></header>`);

  if (latest !== null) {
    const m = trends.metrics;
    parts.push(
      `<section class="cards" aria-label="Latest run">` +
        metricCard('Slowest shard', m.makespanSeconds, formatSeconds) +
        metricCard('Lower bound', m.lowerBoundSeconds, formatSeconds) +
        metricCard('Imbalance', m.imbalance, formatRatio) +
        (m.wallImbalance.latest !== null ? metricCard('Wall imbalance', m.wallImbalance, formatRatio) : '') +
        metricCard('Total test time', m.totalSeconds, formatSeconds) +
        card(
          'Predicted',
          formatSeconds(latest.predictedMakespanSeconds),
          latest.predictionErrorPercent === null ? 'no estimate recorded' : `measured ${formatPercent(latest.predictionErrorPercent)} vs plan`,
        ) +
        (latest.split !== null ? card('Split by test', `${latest.split.files.length} file${latest.split.files.length === 1 ? '' : 's'}`, splitLine(latest.split)) : '') +
        card('Files', String(latest.fileCount), `+${latest.added.length} / -${latest.removed.length} · ${latest.failedFiles.length} failed`, latest.failedFiles.length > 0 ? 'bad' : '') +
        `</section>`,
    );
  }

  const charts: string[] = [];
  const labels = trends.runs.map(runLabel);
  if (trends.runs.length > 0) {
    const hasPredicted = trends.metrics.predictedMakespanSeconds.latest !== null;
    charts.push(
      figure(
        'makespan',
        'Slowest shard vs lower bound',
        'Per run: the slowest shard (what CI waits for) against the best any split could do.',
        lineChart({
          name: 'makespan',
          title: 'Slowest shard vs lower bound over runs',
          description: `Makespan, lower bound${hasPredicted ? ' and predicted makespan' : ''} in seconds for ${trends.runCount} runs, oldest first.`,
          labels,
          format: formatSeconds,
          series: [
            { name: 'lower bound', className: 's-lower', values: trends.metrics.lowerBoundSeconds.values, dashed: true },
            ...(hasPredicted ? [{ name: 'predicted', className: 's-predicted', values: trends.metrics.predictedMakespanSeconds.values, dashed: true }] : []),
            { name: 'slowest shard', className: 's-makespan', values: trends.metrics.makespanSeconds.values },
          ],
        }),
        legend([
          { label: 'slowest shard', className: 'c-makespan' },
          { label: 'lower bound', className: 'c-lower', shape: 'dash' },
          ...(hasPredicted ? [{ label: 'predicted', className: 'c-predicted', shape: 'dash' as const }] : []),
        ]),
      ),
    );
  }
  if (latest !== null && latest.shards.length > 0) {
    const hasWall = latest.shards.some((s) => s.wallSeconds !== null);
    charts.push(
      figure(
        'shards',
        `Shards of the latest run (${latest.id})`,
        `Estimated vs measured seconds per shard; the dashed line is the lower bound (${formatSeconds(latest.lowerBoundSeconds)}).`,
        barChart({
          name: 'shards',
          title: `Per-shard estimated and measured seconds, run ${latest.id}`,
          description: `${latest.shards.length} shards; slowest measured ${formatSeconds(latest.makespanSeconds)}, lower bound ${formatSeconds(latest.lowerBoundSeconds)}.`,
          format: formatSeconds,
          reference: { label: 'lower bound', value: latest.lowerBoundSeconds },
          groups: latest.shards.map((s) => ({
            label: String(s.index),
            bars: [
              { series: 'estimated', className: 's-estimated', value: s.estimatedSeconds },
              { series: 'measured', className: s.passed === false ? 's-bad' : 's-measured', value: s.measuredSeconds },
              ...(hasWall ? [{ series: 'wall', className: 's-wall', value: s.wallSeconds }] : []),
            ],
          })),
        }),
        legend([
          { label: 'estimated', className: 'c-estimated', shape: 'box' },
          { label: 'measured', className: 'c-measured', shape: 'box' },
          ...(hasWall ? [{ label: 'wall (with overhead)', className: 'c-wall', shape: 'box' as const }] : []),
          { label: 'lower bound', className: 'c-lower', shape: 'dash' },
        ]),
      ),
    );
  }
  if (trends.slowestFiles.length > 0) {
    charts.push(
      figure(
        'slowest-files',
        'Slowest files now',
        latest ? `Latest sample of each file; ${trends.slowestFiles.length} of ${trends.currentFileCount} files.` : '',
        hbarChart({
          name: 'slowest-files',
          title: 'Slowest test files',
          description: `The ${trends.slowestFiles.length} slowest files by their latest sample, slowest first.`,
          format: formatSeconds,
          rows: trends.slowestFiles.map((f) => ({
            label: f.file,
            value: f.seconds,
            note: `median ${formatSeconds(f.medianSeconds)}`,
            className: trends.regressions.some((r) => r.file === f.file) ? 's-bad' : 's-measured',
          })),
        }),
      ),
    );
  }
  const drawnGroups = trends.groups.slice(0, MAX_GROUP_LINES);
  if (drawnGroups.length > 0 && trends.runs.length > 0) {
    charts.push(
      figure(
        'groups',
        'Feature groups over runs',
        `Seconds per feature group${trends.groups.length > drawnGroups.length ? ` (the ${drawnGroups.length} largest of ${trends.groups.length})` : ''}.`,
        lineChart({
          name: 'groups',
          title: 'Seconds per feature group over runs',
          description: `${drawnGroups.length} groups over ${trends.runCount} runs, oldest first.`,
          labels,
          format: formatSeconds,
          series: drawnGroups.map((g, i) => ({ name: g.name, className: `g${i % GROUP_COLOURS}`, values: g.seconds.values })),
        }),
        legend(drawnGroups.map((g, i) => ({ label: `${g.name} ${formatShare(g.latestShare)}`, className: `cg${i % GROUP_COLOURS}` }))),
      ),
    );
  }
  if (trends.runs.length > 0 && trends.metrics.imbalance.latest !== null) {
    charts.push(
      figure(
        'imbalance',
        'Imbalance and total test time',
        'Imbalance is slowest shard / lower bound: 1.00 is a perfect split of the test times. Wall imbalance is slowest shard wall / mean shard wall: 1.00 only when no machine idled.',
        lineChart({
          name: 'imbalance',
          title: 'Imbalance over runs',
          description: `Slowest shard divided by the lower bound for ${trends.runCount} runs, oldest first.`,
          labels,
          format: (v) => v.toFixed(2),
          series: [
            { name: 'imbalance', className: 's-predicted', values: trends.metrics.imbalance.values },
            ...(trends.metrics.wallImbalance.latest !== null ? [{ name: 'wall imbalance', className: 's-wall', values: trends.metrics.wallImbalance.values }] : []),
          ],
        }) +
          lineChart({
            name: 'total',
            title: 'Total test time over runs',
            description: `Sum of all files' seconds for ${trends.runCount} runs, oldest first.`,
            labels,
            format: formatSeconds,
            series: [{ name: 'total test time', className: 's-wall', values: trends.metrics.totalSeconds.values }],
          }),
        legend([
          { label: 'imbalance', className: 'c-predicted' },
          ...(trends.metrics.wallImbalance.latest !== null ? [{ label: 'wall imbalance (left chart)', className: 'c-wall' }] : []),
          { label: 'total test time', className: 'c-wall' },
        ]),
      ),
    );
  }
  if (options.timeline && options.timeline.length > 0) {
    const measured = options.timeline.some((s) => s.measuredDurationSeconds !== undefined);
    charts.push(
      figure(
        'timeline',
        'Pipeline timeline',
        measured ? 'Predicted stage times, with the measured ones beneath.' : 'Predicted stage times.',
        renderTimelineSvg(options.timeline),
        legend([
          { label: 'predicted', className: 'c-estimated', shape: 'box' },
          ...(measured ? [{ label: 'measured', className: 'c-measured', shape: 'box' as const }] : []),
        ]),
      ),
    );
  }
  if (charts.length > 0) parts.push(`<section class="charts" aria-label="Charts">${charts.join('')}</section>`);

  parts.push(regressionsSection(trends));
  parts.push(flakySection(trends));
  if (trends.slowestFiles.length > 0) {
    parts.push(
      `<section><h2>Slowest files</h2>${tableHtml(
        [{ label: 'file' }, { label: 'latest', numeric: true }, { label: 'median', numeric: true }, { label: 'share', numeric: true }],
        trends.slowestFiles.map((f) => [pathHtml(f.file), e(formatSeconds(f.seconds)), e(formatSeconds(f.medianSeconds)), e(formatShare(f.share))]),
        ['file'],
      )}</section>`,
    );
  }
  if (trends.groups.length > 0) {
    parts.push(
      `<section><h2>Feature groups</h2>${tableHtml(
        [{ label: 'group' }, { label: 'latest', numeric: true }, { label: 'share', numeric: true }, { label: 'since first', numeric: true }],
        trends.groups.map((g) => [e(g.name), e(formatSeconds(g.latestSeconds)), e(formatShare(g.latestShare)), e(formatPercent(g.seconds.changePercent))]),
        ['file'],
      )}</section>`,
    );
  }
  if (latest !== null && latest.stages.length > 0) {
    parts.push(
      `<section><h2>Pipeline stages (latest run)</h2>${tableHtml(
        [{ label: 'stage' }, { label: 'predicted', numeric: true }, { label: 'measured', numeric: true }],
        latest.stages.map((s) => [e(s.name), e(formatSeconds(s.predictedSeconds)), e(formatSeconds(s.measuredSeconds))]),
      )}</section>`,
    );
  }
  if (latest !== null && (latest.added.length > 0 || latest.removed.length > 0 || latest.failedFiles.length > 0)) {
    const rows = [
      ...latest.failedFiles.map((f) => ['<span class="bad">failed</span>', pathHtml(f)]),
      ...latest.added.map((f) => ['<span class="good">added</span>', pathHtml(f)]),
      ...latest.removed.map((f) => ['removed', pathHtml(f)]),
    ];
    parts.push(`<section><h2>Changes in the latest run</h2>${tableHtml([{ label: 'what' }, { label: 'file' }], rows, ['', 'file'])}</section>`);
  }
  if (trends.runs.length > 0) {
    parts.push(
      `<section class="runs"><h2>Runs</h2>${tableHtml(
        [
          { label: 'run' },
          { label: 'time', cls: 'opt' },
          { label: 'shards', numeric: true, cls: 'opt' },
          { label: 'total', numeric: true },
          { label: 'slowest', numeric: true },
          { label: 'bound', numeric: true, cls: 'opt' },
          { label: 'imbal.', numeric: true },
          { label: 'wall imbal.', numeric: true },
          { label: 'predicted', numeric: true, cls: 'opt' },
          { label: '+/-', numeric: true, cls: 'opt' },
          { label: 'failed', numeric: true },
        ],
        [...trends.runs].reverse().map((r) => [
          e(r.id),
          e(shortTime(r.time)),
          String(r.shardCount),
          e(formatSeconds(r.totalSeconds)),
          e(formatSeconds(r.makespanSeconds)),
          e(formatSeconds(r.lowerBoundSeconds)),
          e(formatRatio(r.imbalance)),
          e(formatRatio(r.wallImbalance)),
          e(formatSeconds(r.predictedMakespanSeconds)),
          `+${r.added.length}/-${r.removed.length}`,
          r.failedFiles.length > 0 ? `<span class="bad">${r.failedFiles.length}</span>` : '0',
        ]),
        ['file'],
      )}</section>`,
    );
  }
  parts.push(
    `<footer>Generated by split-tests from its timing history. Regressions: ≥${e(formatSeconds(trends.settings.regressionMinSeconds))} and ≥${Math.round(trends.settings.regressionMinRatio * 100)}% slower for ${trends.settings.regressionMinRuns}+ runs (medians).</footer>`,
  );

  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<title>${e(title)}</title><style>${CSS}</style></head>` +
    `<body><main>${parts.join('\n')}</main></body></html>\n`
  );
}

function regressionsSection(trends: Trends): string {
  if (trends.regressions.length === 0) return `<section><h2>Regressions</h2><p class="empty">No file got slower.</p></section>`;
  return `<section><h2>Regressions: ${trends.regressions.length} file${trends.regressions.length === 1 ? '' : 's'} got slower</h2>${tableHtml(
    [{ label: 'file' }, { label: 'before', numeric: true }, { label: 'now', numeric: true }, { label: 'slower', numeric: true }, { label: 'since' }],
    trends.regressions.map((r) => [
      pathHtml(r.file),
      e(formatSeconds(r.baselineSeconds)),
      e(formatSeconds(r.recentSeconds)),
      `<span class="bad">${e(formatDeltaSeconds(r.deltaSeconds))} (${e(formatPercent(r.deltaPercent, 0))})</span>`,
      `${e(r.sinceRun)}${r.runsSince > 0 ? ` <span class="muted">(${r.runsSince} runs)</span>` : ''}`,
    ]),
    ['file'],
  )}</section>`;
}

/** One flaky section: the rule, the flakiest files (with their failed and passed runs), the flakiest tests. */
function flakySection(trends: Trends): string {
  const rule = `<p class="muted">flaky: ${e(trends.flakyRule)}</p>`;
  if (trends.flaky.length === 0) return `<section><h2>Flaky files</h2>${rule}<p class="empty">No test or file was flaky in these runs.</p></section>`;
  const seen = (run: string, time: string | null): string => (time === null ? e(run) : `${e(run)} (${e(time)})`);
  const byFile = new Map(trends.flaky.map((f) => [f.file, f]));
  const shown = trends.flakiestFiles.length < trends.flaky.length ? ` (the ${trends.flakiestFiles.length} flakiest)` : '';
  const files = tableHtml(
    [{ label: 'file' }, { label: 'flaky runs', numeric: true }, { label: 'flaky tests', numeric: true }, { label: 'failed', numeric: true }, { label: 'passed', numeric: true }, { label: 'last seen' }],
    trends.flakiestFiles.map((f) => [
      pathHtml(f.file),
      `<span class="warn">${f.flakyRuns}</span>`,
      String(f.flakyTests),
      String(byFile.get(f.file)?.failures ?? ''),
      String(byFile.get(f.file)?.passes ?? ''),
      seen(f.lastSeenRun, f.lastSeenTime),
    ]),
    ['file'],
  );
  const tests =
    trends.flakiestTests.length === 0
      ? ''
      : `<h3>Flakiest tests</h3>${tableHtml(
          [{ label: 'file' }, { label: 'test' }, { label: 'flaky runs', numeric: true }, { label: 'last seen' }],
          trends.flakiestTests.map((t) => [pathHtml(t.file), e(t.test), `<span class="warn">${t.flakyRuns}</span>`, seen(t.lastSeenRun, t.lastSeenTime)]),
          ['file'],
        )}`;
  return `<section><h2>Flaky files: ${trends.flaky.length}${e(shown)}</h2>${rule}${files}${tests}</section>`;
}

/** The hook other stages use: the trend page with an optional pipeline timeline. */
export function renderHtmlReport(trends: Trends, options: HtmlOptions = {}): string {
  return renderHtml(trends, options);
}
