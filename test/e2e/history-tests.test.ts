import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const HEAVY = 'tests/test_heavy.py';
/** pytest ids of the heavy file (file-relative), hostile ones included. */
const HEAVY_TESTS = ['test_alpha', 'test_param[a"b]', 'test_quote_and_unicode_é', 'TestCart::test_add', 'TestCart::test_remove', 'test_x[1-2]', 'test_x[1]', 'test_y'];

const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A pytest (xunit1) report: every test 10 s, classname = module + classes, file on every case. */
function report(tests: Record<string, readonly string[]>): string {
  const cases = Object.entries(tests).flatMap(([file, ids]) =>
    ids.map((id) => {
      const parts = id.split('::');
      const classname = [file.replace(/\.py$/, '').replace(/\//g, '.'), ...parts.slice(0, -1)].join('.');
      return `<testcase classname="${xmlAttr(classname)}" name="${xmlAttr(parts.at(-1)!)}" file="${file}" time="10"/>`;
    }),
  );
  return `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="${cases.length}">${cases.join('')}</testsuite></testsuites>\n`;
}

describe('per-test history, version 3 (built CLI)', () => {
  it('migrates a version 2 file on the next record, records twice, then plans whole files or slices from the encoded tests', async () => {
    const cwd = makeTempDir();
    const light = { 'tests/test_light.py': ['test_one', 'test_two'], 'tests/pkg/test_nested.py': ['test_deep'] };
    // version 2 as the last release wrote it: plain per-test columns, with a test the file has since lost
    const v2 = {
      version: 2,
      files: { [HEAVY]: [{ run: 'r1', seconds: 90 }] },
      runs: [{ id: 'r1', time: '2026-01-01T00:00:00.000Z', shards: [], totalSeconds: 90, fileCount: 1, largestFileSeconds: 90, added: [], removed: [], failedFiles: [] }],
      tests: { runs: ['r1'], files: { [HEAVY]: { ...Object.fromEntries(HEAVY_TESTS.map((t) => [t, [10_000]])), test_gone: [10_000] } } },
    };
    writeFiles(cwd, {
      'h.json': JSON.stringify(v2),
      [HEAVY]: '',
      'tests/test_light.py': '',
      'tests/pkg/test_nested.py': '',
      'r2.xml': report({ [HEAVY]: HEAVY_TESTS, ...light }),
      'r3.xml': report({ [HEAVY]: HEAVY_TESTS, ...light }),
    });
    for (const id of ['r2', 'r3']) {
      const r = await runCli(['record', `${id}.xml`, '--run-id', id, '--history', 'h.json', '--runner', 'pytest'], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const text = readFileSync(join(cwd, 'h.json'), 'utf8');
    const raw = JSON.parse(text) as { version: number; tests: Record<string, unknown> };
    expect(raw.version).toBe(3);
    expect(raw.tests).toMatchObject({ encoding: 'columns+brotli+base64', runs: ['r1', 'r2', 'r3'], count: 12 });
    // the test ids live only inside the encoded data
    expect(text).not.toContain('test_quote_and_unicode');

    const common = ['--shards', '3', '--timings', 'h.json'];
    const whole = await runCli(['plan', ...common, '--json', 'tests'], { cwd });
    expect(whole.exitCode, whole.stderr).toBe(0);
    const wholePlan = JSON.parse(whole.stdout) as { shards: { files: string[]; slices?: unknown[] }[]; estimatedFiles: number };
    expect(wholePlan.estimatedFiles).toBe(0);
    expect(wholePlan.shards.flatMap((s) => s.files).sort()).toEqual(['tests/pkg/test_nested.py', HEAVY, 'tests/test_light.py']);
    expect(wholePlan.shards.some((s) => s.slices !== undefined)).toBe(false);

    const sliced = await runCli(['plan', ...common, '--runner', 'pytest', '--json'], { cwd });
    expect(sliced.exitCode, sliced.stderr).toBe(0);
    const plan = JSON.parse(sliced.stdout) as { shards: { files: string[]; slices?: { file: string; slice: number; tests: string[] }[] }[] };
    const slices = plan.shards.flatMap((s) => s.slices ?? []).filter((s) => s.file === HEAVY);
    expect(slices.length).toBeGreaterThan(1);
    expect(plan.shards.flatMap((s) => s.files)).not.toContain(HEAVY);
    // every test of the file, once, hostile ids intact through version 2, the migration and two records;
    // the test only the oldest run had is not asked for (pytest would fail on an id it cannot find)
    expect(slices.flatMap((s) => s.tests).sort()).toEqual([...HEAVY_TESTS].sort());

    const shard = plan.shards.findIndex((s) => (s.slices ?? []).some((slice) => slice.file === HEAVY)) + 1;
    const printed = await runCli(['--shard', `${shard}/3`, '--runner', 'pytest', '--timings', 'h.json'], { cwd });
    const mine = plan.shards[shard - 1]!.slices!.filter((s) => s.file === HEAVY).flatMap((s) => s.tests);
    expect(lines(printed.stdout)).toEqual(expect.arrayContaining(mine.map((t) => `${HEAVY}::${t}`)));
    expect(printed.stdout).not.toContain('test_gone');
  });
});
