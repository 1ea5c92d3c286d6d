/**
 * pytest writes `file` as where a test function is defined: tests inherited from a base class in
 * another test file carry the base's file. split-tests keys them by the test file that ran them
 * (the node id's file, in the class name), in merge --plan, record and the preset's test ids.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const BASE = `import time


class CartCases:
    def test_add(self):
        time.sleep(0.2)  # the work being timed
        assert 1 + 1 == 2

    def test_remove(self):
        assert 2 - 1 == 1


class TestCart(CartCases):
    pass
`;
const SUB = `from test_base import CartCases


class TestWishlist(CartCases):
    pass
`;

describe('pytest: tests inherited from another test file', () => {
  it('are counted for the file that ran them: merge complete without duplicates, history keyed by test file', { timeout: 90_000 }, async () => {
    const dir = makeTempDir('split-tests-inherited-');
    writeFiles(dir, { 'tests/test_base.py': BASE, 'tests/test_sub.py': SUB });
    // Debian's python3 with python3-pytest (the first python3 on PATH may be another)
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/python3', join(bin, 'python3'));
    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });

    const planned = await cli(['plan', '--shards', '2', '--runner', 'pytest', '--json', '--output', 'plan.json']);
    expect(planned.exitCode, planned.stderr).toBe(0);
    for (const k of [1, 2]) {
      const run = await cli(['run', '--shard', `${k}/2`, '--runner', 'pytest', '--junit', 'reports/junit-{shard}.xml']);
      expect(run.exitCode, run.stderr).toBe(0);
    }
    // the inherited cases really do name the base's file
    const reports = ['reports/junit-1.xml', 'reports/junit-2.xml'].map((r) => readFileSync(join(dir, r), 'utf8')).join('');
    expect(reports).toMatch(/classname="tests\.test_sub\.TestWishlist" name="test_add" file="tests\/test_base\.py"/);

    const merged = await cli(['merge', 'reports', '--plan', 'plan.json', '--output', 'merged.xml', '--strict']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stderr).toContain('complete: all 2 planned files have testcases');

    const recorded = await cli(['record', 'reports', '--history', 'history.json', '--runner', 'pytest']);
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { files: Record<string, { seconds: number }[]> };
    expect(Object.keys(history.files).sort()).toEqual(['tests/test_base.py', 'tests/test_sub.py']);
    // each file's own run of the slow inherited test, not both on the base file
    expect(history.files['tests/test_sub.py']![0]!.seconds).toBeGreaterThanOrEqual(0.2);
    expect(history.files['tests/test_base.py']![0]!.seconds).toBeLessThan(0.4);

    const again = await cli(['plan', '--shards', '2', '--runner', 'pytest', '--timings', 'history.json', '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/not among the test files|no timings/);
    expect(JSON.parse(again.stdout)).toMatchObject({ estimatedFiles: 0 });
  });
});
