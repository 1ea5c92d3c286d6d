import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

describe('paths as a user gives them (built CLI)', () => {
  it('split-tests --shard K/N tests/: the folder is its test files, a link back into it is not followed', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'tests/test_a.py': '', 'tests/core/test_b.py': '', 'tests/core/conftest.py': '', 'tests/c.test.ts': '' });
    symlinkSync('..', join(cwd, 'tests/loop'));
    const one = await runCli(['--shard', '1/2', 'tests/'], { cwd });
    const two = await runCli(['--shard', '2/2', 'tests/'], { cwd });
    expect(one.exitCode + two.exitCode).toBe(0);
    expect([...lines(one.stdout), ...lines(two.stdout)].sort()).toEqual(['tests/c.test.ts', 'tests/core/test_b.py', 'tests/test_a.py']);
    expect(one.stderr.match(/not following 1 folder link that leads back into the project \(tests\/loop -> \.\)/g)).toHaveLength(1);
  });

  it('a file name with a line break is refused, never printed as two names', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'tests/a.test.ts': '', 'tests/b\n.test.ts': '' });
    const result = await runCli(['--shard', '1/1', 'tests/**/*.ts'], { cwd });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain('split-tests: test file name with a line break: "tests/b\\n.test.ts"\n');
  });
});
