import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTrends, renderHtmlReport, renderJson, renderText, REPORT_SCHEMA_VERSION, sparkline } from '../../src/report/index.js';
import type { History } from '../../src/timings/history-types.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'history');
const load = (name: string): History => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as History;
const shop = load('shop.json');
const hostile = load('hostile-names.json');

/** Per-run figures recomputed independently from the raw samples. */
function runFigures(history: History, runId: string): { total: number; largest: number; files: Set<string> } {
  const latestPerFile = new Map<string, number>();
  for (const [file, samples] of Object.entries(history.files)) {
    for (const s of samples) if (s.run === runId) latestPerFile.set(file, s.seconds);
  }
  const values = [...latestPerFile.values()];
  return { total: values.reduce((a, b) => a + b, 0), largest: Math.max(...values), files: new Set(latestPerFile.keys()) };
}

describe('computeTrends on the shop history', () => {
  const trends = computeTrends(shop);

  it('covers every run, oldest first', () => {
    expect(trends.runCount).toBe(shop.runs.length);
    expect(trends.runs.map((r) => r.id)).toEqual(shop.runs.map((r) => r.id));
    expect(trends.latest?.id).toBe(shop.runs.at(-1)?.id);
  });

  it('per run: total, lower bound, makespan, imbalance, prediction error', () => {
    for (const [i, run] of trends.runs.entries()) {
      const summary = shop.runs[i]!;
      const { largest } = runFigures(shop, run.id);
      const n = summary.shards.length;
      expect(run.shardCount).toBe(n);
      expect(run.lowerBoundSeconds).toBeCloseTo(Math.max(run.totalSeconds / n, largest), 2);
      const measured = Math.max(...summary.shards.map((s) => s.measuredSeconds ?? 0));
      expect(run.makespanSeconds).toBeCloseTo(measured, 3);
      expect(run.imbalance).toBeCloseTo(measured / run.lowerBoundSeconds, 3);
      expect(run.imbalance!).toBeGreaterThanOrEqual(0.999);
      const predicted = Math.max(...summary.shards.map((s) => s.estimatedSeconds));
      expect(run.predictedMakespanSeconds).toBeCloseTo(predicted, 3);
      expect(run.predictionErrorPercent).toBeCloseTo(((measured - predicted) / predicted) * 100, 1);
    }
  });

  it('total test time is the sum of the files of the run', () => {
    for (const run of trends.runs) {
      const summary = shop.runs.find((r) => r.id === run.id)!;
      const total = summary.totalSeconds ?? runFigures(shop, run.id).total;
      expect(run.totalSeconds).toBeCloseTo(total, 1);
    }
  });

  it('added and removed files match the change of file sets between runs', () => {
    const byId = new Map(trends.runs.map((r) => [r.id, r]));
    expect(byId.get('r05')?.added).toEqual(['search/filters.spec.ts']);
    expect(byId.get('r09')?.removed).toEqual(['catalog/legacy-list.spec.ts']);
    for (let i = 1; i < trends.runs.length; i++) {
      const before = runFigures(shop, trends.runs[i - 1]!.id).files;
      const now = runFigures(shop, trends.runs[i]!.id).files;
      // the history keeps each file's last 10 samples (login has two in r10): runs before r05
      // cannot be rebuilt from the samples
      if (i < 5) continue;
      expect([...trends.runs[i]!.added].sort()).toEqual([...now].filter((f) => !before.has(f)).sort());
      expect([...trends.runs[i]!.removed].sort()).toEqual([...before].filter((f) => !now.has(f)).sort());
    }
  });

  it('metric trends: one value per run, first/latest/min/max consistent', () => {
    const m = trends.metrics.totalSeconds;
    expect(m.values).toHaveLength(trends.runCount);
    expect(m.first).toBe(trends.runs[0]!.totalSeconds);
    expect(m.latest).toBe(trends.latest!.totalSeconds);
    const values = trends.runs.map((r) => r.totalSeconds);
    expect(m.min).toBe(Math.min(...values));
    expect(m.max).toBe(Math.max(...values));
    expect(m.changePercent).toBeCloseTo(((m.latest! - m.first!) / m.first!) * 100, 1);
  });

  it('slowest files now: sorted by their latest seconds, with shares of the latest total', () => {
    const slow = trends.slowestFiles;
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.length).toBeLessThanOrEqual(trends.settings.topFiles);
    for (let i = 1; i < slow.length; i++) expect(slow[i - 1]!.seconds).toBeGreaterThanOrEqual(slow[i]!.seconds);
    expect(slow[0]!.file).toBe('checkout/cart.spec.ts');
    expect(slow[0]!.share).toBeCloseTo(slow[0]!.seconds / trends.latest!.totalSeconds, 3);
    // a file removed in r09 is not "slow now"
    expect(slow.map((s) => s.file)).not.toContain('catalog/legacy-list.spec.ts');
    // "N of M" counts the files the latest run measured, not every file ever seen
    expect(trends.currentFileCount).toBe(trends.latest!.fileCount);
    expect(trends.fileCount).toBe(trends.currentFileCount + 1);
  });

  it('finds the payment slowdown from r08 with its size, and not the one-run ranking spike', () => {
    const files = trends.regressions.map((r) => r.file);
    expect(files).toContain('checkout/payment.spec.ts');
    expect(files).not.toContain('search/ranking.spec.ts');
    const payment = trends.regressions.find((r) => r.file === 'checkout/payment.spec.ts')!;
    expect(payment.sinceRun).toBe('r08');
    expect(payment.sinceTime).toBe('2025-03-08T09:00:00.000Z');
    expect(payment.runsSince).toBe(5);
    expect(payment.deltaSeconds).toBeGreaterThan(4);
    expect(payment.deltaSeconds).toBeLessThan(6.5);
    expect(payment.deltaSeconds).toBeCloseTo(payment.recentSeconds - payment.baselineSeconds, 3);
    expect(payment.deltaPercent).toBeCloseTo((payment.deltaSeconds / payment.baselineSeconds) * 100, 1);
  });

  it('flaky: failed then passed within a run; two runs of one fingerprint that disagree are not evidence', () => {
    const byFile = new Map(trends.flaky.map((f) => [f.file, f]));
    expect(byFile.get('accounts/login.spec.ts')).toMatchObject({ evidence: 'same-run', runs: ['r10'], lastFailedRun: 'r10' });
    expect(trends.flaky).toHaveLength(1); // search/autocomplete.spec.ts failed in r06 and passed in r07: the code may have changed
    expect(trends.flakiestFiles).toMatchObject([{ file: 'accounts/login.spec.ts', flakyRuns: 1, flakyTests: 0, lastSeenRun: 'r10' }]);
  });

  it('a failure that never passed again within its run is not flaky', () => {
    const onlyFailing: History = {
      ...shop,
      files: { ...shop.files, 'x.spec.ts': [{ run: 'r12', seconds: 1, status: 'failed' }] },
    };
    expect(computeTrends(onlyFailing).flaky.map((f) => f.file)).not.toContain('x.spec.ts');
  });

  it('group shares of the latest run add up to 1 and are sorted', () => {
    const shares = trends.groups.map((g) => g.latestShare ?? 0);
    expect(trends.groups.map((g) => g.name).sort()).toEqual(['accounts', 'catalog', 'checkout', 'search']);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    for (let i = 1; i < shares.length; i++) expect(shares[i - 1]!).toBeGreaterThanOrEqual(shares[i]!);
    expect(trends.groups[0]!.name).toBe('checkout');
    expect(trends.groups[0]!.share.values).toHaveLength(trends.runCount);
  });

  it('stages come in pipeline order with measured values', () => {
    expect(trends.stages.map((s) => s.name)).toEqual(['build', 'tests', 'package', 'merge', 'deploy']);
    expect(trends.stages[0]!.measured.values).toHaveLength(trends.runCount);
  });

  it('--last keeps only the last runs and their samples', () => {
    const last3 = computeTrends(shop, { last: 3 });
    expect(last3.runCount).toBe(3);
    expect(last3.historyRunCount).toBe(shop.runs.length);
    expect(last3.runs.map((r) => r.id)).toEqual(['r10', 'r11', 'r12']);
    for (const f of last3.slowestFiles) expect(['r10', 'r11', 'r12']).toContain(f.run);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(computeTrends(shop))).toBe(JSON.stringify(computeTrends(structuredClone(shop))));
  });

  it('an empty history gives an empty, well-formed model', () => {
    const empty = computeTrends(load('empty.json'));
    expect(empty.runCount).toBe(0);
    expect(empty.latest).toBeNull();
    expect(empty.slowestFiles).toEqual([]);
    expect(() => renderText(empty, { color: false })).not.toThrow();
    expect(() => renderHtmlReport(empty)).not.toThrow();
    expect(JSON.parse(renderJson(empty)).runCount).toBe(0);
  });
});

describe('sparkline', () => {
  it('one block per value, lowest to highest', () => {
    const s = sparkline([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...s]).toHaveLength(8);
    expect(s[0]).toBe('▁');
    expect(s.at(-1)).toBe('█');
  });
  it('flat series and empty series', () => {
    const flat = sparkline([3, 3, 3]);
    expect(new Set([...flat]).size).toBe(1);
    expect(sparkline([])).toBe('');
  });
  it('keeps a gap for unknown values and fits a width', () => {
    const s = sparkline([1, null, 3]);
    expect([...s]).toHaveLength(3);
    expect(s[1]).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect([...sparkline(Array.from({ length: 50 }, (_, i) => i), 10)].length).toBeLessThanOrEqual(10);
  });
});

describe('renderers', () => {
  const trends = computeTrends(shop);
  // eslint-disable-next-line no-control-regex
  const ansi = /\u001b\[/;

  it('text: no ANSI without colour, ANSI with it; names the regression and flaky files', () => {
    const plain = renderText(trends, { color: false, width: 100 });
    expect(plain).not.toMatch(ansi);
    expect(plain).toContain('checkout/payment.spec.ts');
    expect(plain).toMatch(/Flaky files: 1\n[\s\S]*accounts\/login\.spec\.ts/);
    expect(plain).toContain('r08');
    expect(plain).toContain('Slowest files now (10 of 17)');
    expect(renderText(trends, { color: true, width: 100 })).toMatch(ansi);
    for (const line of plain.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('json: one document with schemaVersion and the model numbers', () => {
    const doc = JSON.parse(renderJson(trends)) as Record<string, unknown>;
    expect(doc['schemaVersion']).toBe(REPORT_SCHEMA_VERSION);
    expect(doc['runCount']).toBe(12);
    expect((doc['regressions'] as unknown[]).length).toBe(trends.regressions.length);
  });

  it('html: self-contained, responsive, charts with data-chart, no network', () => {
    const html = renderHtmlReport(trends);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toMatch(/<meta name="viewport"[^>]*width=device-width/);
    expect(html).toContain('prefers-color-scheme');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link[^>]+href/i);
    const charts = [...html.matchAll(/<svg[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual(expect.arrayContaining(['makespan', 'shards', 'slowest-files', 'groups']));
    for (const svg of html.match(/<svg[^>]*>/g) ?? []) expect(svg).toMatch(/viewBox=/);
  });

  it('html escapes hostile file, run and group names', () => {
    const html = renderHtmlReport(computeTrends(hostile));
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    // attributes stay well-formed: no raw quote from a name inside a tag
    expect(html).not.toMatch(/tom & jerry "quotes"/);
  });
});

describe('text renderer and terminal control characters', () => {
  it('a file name carrying ESC sequences cannot reach the terminal', () => {
    const evil = 'x/\u001b[2J\u001b]0;pwned\u0007.spec.ts';
    const history: History = {
      ...shop,
      files: { ...shop.files, [evil]: [{ run: 'r12', seconds: 99, status: 'passed' }] },
    };
    const out = renderText(computeTrends(history), { color: false, width: 120 });
    expect(out).toContain('x/\ufffd[2J\ufffd]0;pwned\ufffd.spec.ts');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe('wall imbalance', () => {
  // two shards whose test seconds split perfectly, while one machine waited 10 s for the other
  const history: History = {
    version: 1,
    files: { 'a.ts': [{ run: 'r1', seconds: 10, shard: 1 }], 'b.ts': [{ run: 'r1', seconds: 10, shard: 2 }] },
    runs: [
      {
        id: 'r1',
        time: '2026-01-01T00:00:00.000Z',
        shardCount: 2,
        shards: [
          { index: 1, files: 1, estimatedSeconds: 12, measuredSeconds: 10, wallSeconds: 12 },
          { index: 2, files: 1, estimatedSeconds: 12, measuredSeconds: 10, wallSeconds: 22 },
        ],
        totalSeconds: 20,
        fileCount: 2,
        largestFileSeconds: 10,
        added: [],
        removed: [],
        failedFiles: [],
      },
    ],
  };

  it('is never called perfect when machines idled: shown beside the test-time imbalance in every format', () => {
    const trends = computeTrends(history);
    expect(trends.latest).toMatchObject({ imbalance: 1, wallImbalance: 1.294118 });
    expect(renderText(trends, { color: false, width: 100 })).toContain('wall imbalance 1.29');
    expect(JSON.parse(renderJson(trends)).latest.wallImbalance).toBe(1.294118);
    expect(renderHtmlReport(trends)).toContain('Wall imbalance');
  });
});

describe('a run whose plan split a file by test', () => {
  it('says which files and what the plan predicted that bought, in text, HTML and JSON; its lower bound no longer counts the split file as one item', () => {
    const last = shop.runs.at(-1)!;
    const split = { files: [{ file: 'tests/checkout/cart.test.ts', slices: 3 }], fileLevelSeconds: 80, slicedSeconds: 43 };
    const history: History = { ...shop, runs: [...shop.runs.slice(0, -1), { ...last, split }] };
    const trends = computeTrends(history);
    const latest = trends.latest!;
    expect(latest.split).toEqual({ ...split, savedPercent: 46.25 });
    expect(latest.lowerBoundSeconds).toBeCloseTo(latest.totalSeconds / latest.shardCount, 2);
    expect(renderText(trends, { color: false, width: 200 })).toMatch(/split by test: tests\/checkout\/cart.test.ts \(3 slices\); planned slowest shard 43.0s instead of 1m ?20s with whole files \(46.3% sooner\)/);
    expect(renderHtmlReport(trends)).toContain('Split by test');
    expect(JSON.parse(renderJson(trends)).latest.split.files).toEqual(split.files);
    expect(computeTrends(shop).latest!.split).toBeNull();
  });
});
