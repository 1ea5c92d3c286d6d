import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const historyKeys = (path: string): string[] => Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { files: object }).files);

/** A tiny pytest package with nested folders and a root-level test module, run by the real pytest. */
let cwd: string;
beforeAll(() => {
  cwd = makeTempDir();
  writeFiles(cwd, {
    'pkg/__init__.py': '',
    'pkg/core/__init__.py': '',
    'pkg/core/tests/__init__.py': '',
    'pkg/core/tests/test_arith.py': 'def test_add():\n    assert 1 + 1 == 2\n\nclass TestMul:\n    def test_mul(self):\n        assert 2 * 2 == 4\n',
    'pkg/util/__init__.py': '',
    'pkg/util/tests/__init__.py': '',
    'pkg/util/tests/test_text.py': 'def test_upper():\n    assert "a".upper() == "A"\n',
    'test_top.py': 'def test_top():\n    assert True\n',
  });
  // Debian's pytest (the pyenv python first on PATH has none); its report names classes, not files
  execFileSync('/usr/bin/python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml=reports/pytest.xml'], { cwd, stdio: 'ignore' });
});

describe('one history key per test file, whichever command records', () => {
  const files = ['pkg/core/tests/test_arith.py', 'pkg/util/tests/test_text.py', 'test_top.py'];

  it('record without a file list keys classes by the files they name, as merge --record --plan does', async () => {
    expect(readFileSync(join(cwd, 'reports/pytest.xml'), 'utf8')).toContain('classname="pkg.core.tests.test_arith.TestMul"');
    const bare = await runCli(['record', 'reports/pytest.xml', '--history', 'h-record.json', '--run-id', 'r1'], { cwd });
    expect(bare.stderr).not.toContain('warning');
    expect(bare.exitCode).toBe(0);

    const plan = await runCli(['plan', '--shards', '2', '**/test_*.py', '--output', 'plan.json', '--json'], { cwd });
    expect(plan.exitCode).toBe(0);
    const merged = await runCli(['merge', 'reports/pytest.xml', '--output', 'merged.xml', '--plan', 'plan.json', '--record', '--history', 'h-merge.json', '--run-id', 'r1'], { cwd });
    expect(merged.exitCode).toBe(0);

    expect(historyKeys(join(cwd, 'h-record.json'))).toEqual(files);
    expect(historyKeys(join(cwd, 'h-merge.json'))).toEqual(files);
  });

  it('record uses the config\'s "tests" by default', async () => {
    writeFiles(cwd, { 'split-tests.config.json': JSON.stringify({ tests: ['**/test_*.py'], history: 'h-config.json' }) });
    const result = await runCli(['record', 'reports/pytest.xml', '--run-id', 'r2'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(historyKeys(join(cwd, 'h-config.json'))).toEqual(files);
  });
});
