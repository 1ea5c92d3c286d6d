import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS helper shared with the benchmark
import { writeCorpus } from '../../bench/lib/junit-corpus.mjs';
import { readJUnitFile } from '../../src/junit/read.js';
import { makeTempDir, removeTempDirs, repoRoot, runCli, writeFiles } from './helpers.js';

const fixtures = join(repoRoot, 'fixtures/junit');

afterAll(removeTempDirs);

function shardReport(name: string, file: string, cases: number, failing = 0): string {
  const body = Array.from({ length: cases }, (_, i) => `<testcase classname="${file}" name="${name} case ${i}" time="0.5">${i < failing ? '<failure message="x"/>' : ''}</testcase>`).join('');
  return `<?xml version="1.0"?><testsuites name="vitest tests"><testsuite name="${file}" tests="${cases}">${body}</testsuite></testsuites>`;
}

function sidecar(index: number, total: number, fingerprint: string, files: string[]): string {
  return JSON.stringify({ schemaVersion: 1, index, total, fingerprint, files, estimatedSeconds: 1, wallSeconds: 2, exitCode: 0, startedAt: '2026-11-23T00:00:00.000Z' });
}

/** Independent count: testcase start tags and their status children, by regex over the merged text. */
function regexCount(xml: string): { tests: number; failures: number } {
  return {
    tests: (xml.match(/<testcase[\s/>]/g) ?? []).length,
    failures: (xml.match(/<failure[\s/>]/g) ?? []).length,
  };
}

describe('split-tests merge (built CLI)', () => {
  it('merges files, folders and globs into one report and narrates on stderr only', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'reports/a'), { recursive: true });
    for (const f of ['vitest.xml', 'playwright.xml']) copyFileSync(join(fixtures, f), join(dir, 'reports/a', f));
    copyFileSync(join(fixtures, 'rspec.xml'), join(dir, 'rspec.xml'));
    copyFileSync(join(fixtures, 'pytest-xunit2.xml'), join(dir, 'py.xml'));
    const r = await runCli(['merge', 'reports', 'rspec.xml', '*.xml', '--output', 'merged.xml', '--allow-failures'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    let seconds = 0;
    for (const f of ['reports/a/vitest.xml', 'reports/a/playwright.xml', 'rspec.xml', 'py.xml']) await readJUnitFile(join(dir, f), (c) => (seconds += c.seconds));
    const time = String(Number(seconds.toFixed(6)));
    expect(r.stderr).toBe(
      `split-tests: merged 4 reports into merged.xml: 21 tests, 5 failures, 1 errors, 5 skipped, ${time}s\n` +
        'split-tests: completeness not checked: pass --plan plan.json or --files-from FILE (or merge reports written by split-tests run)\n' +
        'split-tests: 6 testcases failed or errored; exit 0 because of --allow-failures\n',
    );
    const merged = readFileSync(join(dir, 'merged.xml'), 'utf8');
    // the root's totals are filled in at the end, in room reserved before its '>'
    expect(merged).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\n<testsuites name="split-tests merge" tests="21" failures="5" errors="1" skipped="5" time="${time}" *>\n`));
    expect(regexCount(merged).tests).toBe(21);
  });

  it('--json prints one document with totals, missing files, duplicates and fingerprints', async () => {
    const dir = makeTempDir();
    copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'one.xml'));
    // the same testcases in other bytes (a re-run): duplicates
    writeFileSync(join(dir, 'two.xml'), `${readFileSync(join(fixtures, 'vitest.xml'), 'utf8')}\n`);
    const r = await runCli(['merge', 'one.xml', 'two.xml', '-o', 'm.xml', '--json', '--allow-failures'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      schemaVersion: 1,
      output: 'm.xml',
      totals: { tests: 14, failures: 4, errors: 0, skipped: 4 },
      complete: null,
      plannedFilesSource: null,
      missingFiles: [],
      fingerprintMismatch: false,
      repeatedReports: [],
    });
    expect(doc['duplicates']).toHaveLength(7);
    expect(r.stderr).toContain('warning: 7 testcases appear more than once');
    // --strict turns duplicates into a failed check
    const strict = await runCli(['merge', 'one.xml', 'two.xml', '-o', 'm.xml', '--strict', '--allow-failures'], { cwd: dir });
    expect(strict.exitCode).toBe(1);
  });

  it('a byte-identical copy of a report (an artifact downloaded twice) is named once and counted once; --strict refuses it', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'a'));
    copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'a/vitest.xml'));
    copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'a/vitest (1).xml'));
    const r = await runCli(['merge', 'a', '-o', 'm.xml', '--json', '--allow-failures'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ totals: { tests: 7, failures: 2 }, duplicates: [], repeatedReports: [{ path: 'a/vitest.xml', of: 'a/vitest (1).xml' }] });
    expect(r.stderr).toContain('split-tests: warning: a/vitest.xml repeats a/vitest (1).xml byte for byte (a report copied twice?): its testcases are counted once\n');
    const strict = await runCli(['merge', 'a', '-o', 'm.xml', '--strict', '--allow-failures'], { cwd: dir });
    expect(strict.exitCode).toBe(1);
  });

  it('exits 1 and lists planned files that have no testcase (--plan, --files-from)', async () => {
    const dir = makeTempDir();
    writeFiles(dir, {
      'shard-1.xml': shardReport('a', 'tests/a.test.ts', 3, 1),
      'shard-2.xml': shardReport('b', 'tests/b.test.ts', 2),
      'plan.json': JSON.stringify({ shards: [{ index: 1, files: ['tests/a.test.ts', 'tests/c.test.ts'] }, { index: 2, files: ['tests/b.test.ts'] }], fingerprint: 'f1' }),
      'files.txt': 'tests/a.test.ts\ntests/b.test.ts\n',
    });
    const missing = await runCli(['merge', 'shard-1.xml', 'shard-2.xml', '-o', 'm.xml', '--plan', 'plan.json'], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('split-tests: incomplete: 1 of 3 planned files have no testcase in the reports:\n  tests/c.test.ts\n');
    expect(missing.stderr).toContain('hint: a file that holds no tests (a base class or helper module its name makes look like a test) never has one: leave it out with "ignore" in split-tests.config.json');
    expect(existsSync(join(dir, 'm.xml'))).toBe(true);
    const json = await runCli(['merge', 'shard-1.xml', 'shard-2.xml', '-o', 'm.xml', '--plan', 'plan.json', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: false, plannedFilesSource: 'plan', plannedFiles: 3, missingFiles: ['tests/c.test.ts'] });
    const ok = await runCli(['merge', 'shard-1.xml', 'shard-2.xml', '-o', 'm.xml', '--files-from', 'files.txt', '--allow-failures'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toContain('complete: all 2 planned files have testcases (planned files from files-from)');
    const stdin = await runCli(['merge', 'shard-1.xml', '-o', 'm.xml', '--files-from', '-'], { cwd: dir, input: 'tests/a.test.ts\ntests/b.test.ts\n' });
    expect(stdin.exitCode).toBe(1);
    expect(stdin.stderr).toContain('  tests/b.test.ts');
  });

  it('reads shard notes: a shard that never reported and reports from different plans are flagged', async () => {
    const dir = makeTempDir();
    writeFiles(dir, {
      'r/shard-1.xml': shardReport('a', 'tests/a.test.ts', 2),
      'r/shard-1.xml.split-tests.json': sidecar(1, 3, 'plan-A', ['tests/a.test.ts']),
      'r/shard-2.xml': shardReport('b', 'tests/b.test.ts', 2),
      'r/shard-2.xml.split-tests.json': sidecar(2, 3, 'plan-B', ['tests/b.test.ts', 'tests/d.test.ts']),
    });
    const r = await runCli(['merge', 'r', '-o', 'm.xml', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ complete: false, plannedFilesSource: 'shard-notes', missingFiles: ['tests/d.test.ts'], missingShards: [3], fingerprintMismatch: true });
    expect(doc['fingerprints']).toEqual([
      { fingerprint: 'plan-A', reports: ['r/shard-1.xml'] },
      { fingerprint: 'plan-B', reports: ['r/shard-2.xml'] },
    ]);
    expect(r.stderr).toContain('split-tests: incomplete: no report from shard 3');
    expect(r.stderr).toContain('warning: reports come from different plans');
  });

  it('malformed, hostile or missing input: one line naming file:line:col, exit 2, no output left behind', async () => {
    const dir = makeTempDir();
    copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'good.xml'));
    const bad: Record<string, [string, RegExp]> = {
      'truncated.xml': ['<testsuites>\n<testsuite name="a">\n<testcase name="x" time="1">', /^split-tests: truncated\.xml:3:\d+: unexpected end of file: <testcase> is not closed$/],
      'empty.xml': ['', /^split-tests: empty\.xml:1:1: no root element \(empty file or not XML\)$/],
      'html.xml': ['<html><body/></html>', /^split-tests: html\.xml:1:1: root element is <html>, expected <testsuites> or <testsuite>$/],
      'laughs.xml': ['<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<testsuites>&lol2;</testsuites>', /^split-tests: laughs\.xml:2:1: DOCTYPE is not allowed/],
      'xxe.xml': ['<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite>&x;</testsuite>', /^split-tests: xxe\.xml:1:1: DOCTYPE is not allowed/],
    };
    for (const [name, [content, message]] of Object.entries(bad)) {
      writeFileSync(join(dir, name), content);
      const r = await runCli(['merge', 'good.xml', name, '--output', 'out.xml'], { cwd: dir });
      expect(r.exitCode, name).toBe(2);
      const [first, hint, ...rest] = r.stderr.split('\n');
      expect(first, name).toMatch(message);
      expect(hint).toMatch(/^hint: /);
      expect(rest.join('')).toBe('');
      expect(existsSync(join(dir, 'out.xml'))).toBe(false);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const nothing = await runCli(['merge', 'nope.xml', '-o', 'out.xml'], { cwd: dir });
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain('split-tests: nope.xml: no such report file or folder');
    const noOutput = await runCli(['merge', 'good.xml'], { cwd: dir });
    expect(noOutput.exitCode).toBe(2);
    expect(noOutput.stderr).toContain('--output is required');
    const noMatch = await runCli(['merge', 'none/*.xml', '-o', 'out.xml'], { cwd: dir });
    expect(noMatch.exitCode).toBe(2);
    expect(noMatch.stderr).toContain("warning: 'none/*.xml' matched no files");
  });

  it('never merges its own previous output back in', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'reports'));
    copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'reports/vitest.xml'));
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['merge', 'reports', '-o', 'reports/merged.xml', '--json', '--allow-failures'], { cwd: dir });
      expect(r.exitCode).toBe(0);
      expect((JSON.parse(r.stdout) as { totals: { tests: number } }).totals.tests).toBe(7);
    }
  });

  it('a generated corpus: totals equal the generator count and an independent regex count', async () => {
    const dir = makeTempDir();
    const corpus = writeCorpus(join(dir, 'reports'), { reports: 30, totalBytes: 6e6, seed: 5 });
    const r = await runCli(['merge', 'reports', '-o', 'merged.xml', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1); // the corpus holds failures
    const doc = JSON.parse(r.stdout) as { totals: Record<string, number>; duplicates: unknown[] };
    expect(doc.totals).toEqual({ tests: corpus.tests, failures: corpus.failures, errors: corpus.errors, skipped: corpus.skipped, time: expect.closeTo(corpus.timeMs / 1000, 5) });
    expect(doc.duplicates).toEqual([]);
    const counted = regexCount(readFileSync(join(dir, 'merged.xml'), 'utf8'));
    expect(counted).toEqual({ tests: corpus.tests, failures: corpus.failures });
  });

  it('--record adds the merged reports to the timing history', async () => {
    const dir = makeTempDir();
    writeFiles(dir, {
      'r/shard-1.xml': shardReport('a', 'tests/a.test.ts', 2),
      'r/shard-2.xml': shardReport('b', 'tests/b.test.ts', 4),
    });
    const r = await runCli(['merge', 'r', '-o', 'm.xml', '--record', '--history', 'h.json', '--run-id', 'run-7'], { cwd: dir });
    expect(r.stderr).toContain('recorded run run-7 in h.json');
    expect(r.exitCode).toBe(0);
    const history = readFileSync(join(dir, 'h.json'), 'utf8');
    expect(history).toContain('tests/a.test.ts');
    expect(history).toContain('tests/b.test.ts');
    expect(history).toContain('run-7');
    // without --history, the config's "history" (relative to the config) is the file, as for `record`
    writeFiles(dir, { 'split-tests.config.json': JSON.stringify({ history: 'cache/history.json' }) });
    mkdirSync(join(dir, 'cache'));
    const fromConfig = await runCli(['merge', 'r', '-o', 'm.xml', '--record', '--run-id', 'run-8'], { cwd: dir });
    expect(fromConfig.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'cache/history.json'), 'utf8')).toContain('run-8');
    const misuse = await runCli(['merge', 'r', '-o', 'm.xml', '--history', 'h.json'], { cwd: dir });
    expect(misuse.exitCode).toBe(2);
  });
});
