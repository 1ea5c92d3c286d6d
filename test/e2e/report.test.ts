import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

const shop = join(repoRoot, 'fixtures', 'history', 'shop.json');
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[/;

afterAll(removeTempDirs);

describe('split-tests report (built CLI)', () => {
  it('text by default: sparklines, table, regression and flaky files, no colour when piped', async () => {
    const cwd = makeTempDir();
    const r = await runCli(['report', '--history', shop], { cwd });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('12 runs');
    expect(r.stdout).toMatch(/[▁▂▃▄▅▆▇█]{12}/);
    expect(r.stdout).toContain('checkout/payment.spec.ts');
    expect(r.stdout).toMatch(/Flaky files: 1\n[\s\S]*accounts\/login\.spec\.ts/);
    expect(r.stdout).not.toMatch(ansi);
    // not a TTY even without NO_COLOR: still no colour
    const r2 = await runCli(['report', '--history', shop], { cwd, env: { NO_COLOR: '' } });
    expect(r2.stdout).not.toMatch(ansi);
  });

  it('history from the config file and the default path', async () => {
    const cwd = makeTempDir();
    mkdirSync(join(cwd, 'cache'));
    copyFileSync(shop, join(cwd, 'cache', 'h.json'));
    writeFiles(cwd, { 'split-tests.config.json': JSON.stringify({ history: 'cache/h.json' }) });
    const r = await runCli(['report', '--format', 'json'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).runCount).toBe(12);

    const plain = makeTempDir();
    mkdirSync(join(plain, '.split-tests'));
    copyFileSync(shop, join(plain, '.split-tests', 'history.json'));
    const r2 = await runCli(['report', '--format', 'json', '--last', '4'], { cwd: plain });
    expect(r2.exitCode).toBe(0);
    const doc = JSON.parse(r2.stdout);
    expect(doc.runCount).toBe(4);
    expect(doc.historyRunCount).toBe(12);
  });

  it('json: exactly one document with schemaVersion', async () => {
    const r = await runCli(['report', '--history', shop, '--format', 'json'], { cwd: makeTempDir() });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.latest.id).toBe('r12');
    expect(doc.regressions.map((x: { file: string }) => x.file)).toContain('checkout/payment.spec.ts');
    expect(doc.timeline.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['build', 'tests', 'package', 'merge', 'deploy']));
  });

  it('html needs --output; writes the file, or stdout with --output -', async () => {
    const cwd = makeTempDir();
    const bad = await runCli(['report', '--history', shop, '--format', 'html'], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--output');
    expect(bad.stdout).toBe('');
    const ok = await runCli(['report', '--history', shop, '--format', 'html', '--output', 'out/report.html'], { cwd });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('');
    const html = readFileSync(join(cwd, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    const toStdout = await runCli(['report', '--history', shop, '--format', 'html', '--output', '-'], { cwd });
    expect(toStdout.exitCode).toBe(0);
    expect(toStdout.stdout).toBe(html);
  });

  it('--output for text writes the file without colour', async () => {
    const cwd = makeTempDir();
    const r = await runCli(['report', '--history', shop, '--output', 'report.txt'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'report.txt'), 'utf8')).toContain('12 runs');
  });

  it('a missing history exits 2, names the file and says to record first', async () => {
    const cwd = makeTempDir();
    const r = await runCli(['report', '--history', 'nope/history.json'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^split-tests: --history nope\/history\.json: no such file$/m);
    expect(r.stderr).toContain('split-tests record');
    expect(r.stdout).toBe('');
    const d = await runCli(['report'], { cwd });
    expect(d.exitCode).toBe(2);
    expect(d.stderr).toContain('.split-tests/history.json');
  });

  it('an empty history is a friendly message, exit 0', async () => {
    const r = await runCli(['report', '--history', join(repoRoot, 'fixtures', 'history', 'empty.json')], { cwd: makeTempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/no runs yet/);
    expect(r.stderr).toContain('split-tests record');
  });

  it('a malformed history and bad flags exit 2', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'h.json': '{"version": 1, "files": {' });
    const r = await runCli(['report', '--history', 'h.json'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('h.json');
    // each a single line naming the flag, then the hint
    for (const [args, message] of [
      [['--format', 'pdf'], /^split-tests: --format pdf: expected text, json or html\nhint: /],
      [['--last', '0'], /^split-tests: --last: expected a whole number of runs >= 1, got 0\nhint: /],
      [['--last', 'many'], /^split-tests: --last: expected a whole number of runs >= 1, not a number\nhint: /],
    ] as const) {
      const bad = await runCli(['report', '--history', shop, ...args], { cwd });
      expect(bad.exitCode, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stdout).toBe('');
    }
  });
});
