import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli } from './helpers.js';

/** Debian's chromium package; `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`report-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Report {
  runCount: number;
  latest: { shards: { measuredSeconds: number | null; estimatedSeconds: number | null; wallSeconds: number | null }[] };
  slowestFiles: unknown[];
  groups: unknown[];
  timeline: { measuredDurationSeconds?: number }[];
}

interface ChartInfo {
  name: string;
  width: number;
  height: number;
  dots: number;
  bars: number;
  hbars: number;
  series: number;
  emptyShapes: number;
}

async function renderReport(history: string): Promise<{ htmlPath: string; doc: Report }> {
  const cwd = makeTempDir();
  const html = await runCli(['report', '--history', history, '--format', 'html', '--output', 'report.html'], { cwd });
  expect(html.exitCode, html.stderr).toBe(0);
  const json = await runCli(['report', '--history', history, '--format', 'json'], { cwd });
  expect(json.exitCode, json.stderr).toBe(0);
  return { htmlPath: join(cwd, 'report.html'), doc: JSON.parse(json.stdout) as Report };
}

describe.skipIf(!hasChromium)(`report HTML in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    removeTempDirs();
  });

  async function open(htmlPath: string, width: number) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // no network: only the file itself and inline data may load
    await page.route('**', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('about:') || url === pathToFileURL(htmlPath).href) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href);
    return { page, errors, blocked };
  }

  async function charts(page: import('playwright-core').Page): Promise<ChartInfo[]> {
    return page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const shapes = [...svg.querySelectorAll('rect.bar, circle.dot, path.line')];
        return {
          name: svg.getAttribute('data-chart') ?? '',
          width: box.width,
          height: box.height,
          dots: svg.querySelectorAll('circle.dot').length,
          bars: svg.querySelectorAll('.bar-group rect.bar').length,
          hbars: svg.querySelectorAll('g.hbar rect.bar').length,
          series: svg.querySelectorAll('g.series').length,
          emptyShapes: shapes.filter((s) => {
            const b = s.getBoundingClientRect();
            return b.width <= 0 && b.height <= 0;
          }).length,
        };
      }),
    );
  }

  it('draws every chart, non-empty, with the expected bars and points; no errors, no network', async () => {
    const { htmlPath, doc } = await renderReport(join(repoRoot, 'fixtures', 'history', 'shop.json'));
    const { page, errors, blocked } = await open(htmlPath, 1100);
    const list = await charts(page);
    const byName = new Map(list.map((c) => [c.name, c]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['makespan', 'shards', 'slowest-files', 'groups', 'timeline']));
    for (const c of list) {
      expect(c.width, c.name).toBeGreaterThan(100);
      expect(c.height, c.name).toBeGreaterThan(50);
      expect(c.emptyShapes, c.name).toBe(0);
    }
    const runs = doc.runCount;
    // slowest shard, lower bound and predicted: one point per run each
    expect(byName.get('makespan')!.dots).toBe(3 * runs);
    const shards = doc.latest.shards;
    const shardBars = shards.reduce(
      (sum, s) => sum + [s.estimatedSeconds, s.measuredSeconds, s.wallSeconds].filter((v) => v !== null).length,
      0,
    );
    expect(byName.get('shards')!.bars).toBe(shardBars);
    expect(byName.get('slowest-files')!.hbars).toBe(doc.slowestFiles.length);
    expect(byName.get('groups')!.series).toBe(doc.groups.length);
    expect(byName.get('groups')!.dots).toBe(doc.groups.length * runs);
    const timelineBars = await page.$$eval('svg[data-chart="timeline"] rect.bar', (r) => r.length);
    const measured = doc.timeline.filter((s) => s.measuredDurationSeconds !== undefined).length;
    expect(timelineBars).toBe(doc.timeline.length + measured);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);

  it('fits a 390px phone without horizontal overflow', async () => {
    const { htmlPath } = await renderReport(join(repoRoot, 'fixtures', 'history', 'shop.json'));
    const { page, errors } = await open(htmlPath, 390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const c of await charts(page)) expect(c.width, c.name).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('hostile file and group names are shown as text, never run', async () => {
    const { htmlPath } = await renderReport(join(repoRoot, 'fixtures', 'history', 'hostile-names.json'));
    const { page, errors } = await open(htmlPath, 800);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    expect(await page.$$('script')).toHaveLength(0);
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.$$('main b')).toHaveLength(0);
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('<script>alert(1)</script>');
    expect(readFileSync(htmlPath, 'utf8')).not.toContain('<script>');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
