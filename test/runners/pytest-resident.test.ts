import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { PYTEST_FEED_DRIVER } from '../../src/runners/pytest-resident.js';

const resident = runnerPreset('pytest').resident!;
const REPORT = ['--junitxml=/tmp/r/batch-1.xml', '-o', 'junit_family=xunit1', 'tests/test_a.py', 'tests/test_b.py'];

describe('pytest resident: which command lines the driver can take', () => {
  it('ships the driver in the package (runners/ is in package.json files)', () => {
    expect(PYTEST_FEED_DRIVER).toMatch(/\/runners\/pytest\/split_tests_feed\.py$/);
    expect(existsSync(PYTEST_FEED_DRIVER)).toBe(true);
  });

  it('python3 -m pytest and friends: the same interpreter runs the driver, the rest is the batch', () => {
    for (const python of ['python3', 'python', 'python3.11', 'pypy3', '/usr/bin/python3', '.venv/bin/python', 'C:\\py\\python3']) {
      expect(resident([python, '-m', 'pytest', ...REPORT])).toEqual({ command: [python, PYTEST_FEED_DRIVER], args: REPORT });
    }
    expect(resident(['python3', '-mpytest', '-x', 'a.py'])).toEqual({ command: ['python3', PYTEST_FEED_DRIVER], args: ['-x', 'a.py'] });
    expect(resident(['python3', '-m', 'pytest'])).toEqual({ command: ['python3', PYTEST_FEED_DRIVER], args: [] });
  });

  it('keeps interpreter flags that mean the same before a script, values included', () => {
    expect(resident(['python3', '-u', '-bb', '-X', 'importtime', '-Werror', '-W', 'ignore::DeprecationWarning', '-BO', '-m', 'pytest', 'a.py'])).toEqual({
      command: ['python3', '-u', '-bb', '-X', 'importtime', '-Werror', '-W', 'ignore::DeprecationWarning', '-BO', PYTEST_FEED_DRIVER],
      args: ['a.py'],
    });
    expect(resident(['python3', '-I', '-m', 'pytest', 'a.py'])?.command).toEqual(['python3', '-I', PYTEST_FEED_DRIVER]);
  });

  it('undefined for what the driver cannot stand in for', () => {
    const refused = [
      ['pytest', 'a.py'], // the console script: its shebang names the interpreter
      ['tox', '-e', 'py311'],
      ['poetry', 'run', 'python', '-m', 'pytest', 'a.py'],
      ['env', 'python3', '-m', 'pytest', 'a.py'],
      ['./run-tests.sh', 'a.py'],
      ['python3', '-m', 'coverage', 'run', '-m', 'pytest', 'a.py'],
      ['python3', '-c', 'import pytest; pytest.main()', '-m', 'pytest'],
      ['python3', '-i', '-m', 'pytest', 'a.py'], // a prompt at the end
      ['python3', '--check-hash-based-pycs', 'always', '-m', 'pytest'],
      ['python3', '-W'],
      ['python3', 'tests/test_a.py'],
      ['python3'],
      ['pythonista', '-m', 'pytest'],
      [],
    ];
    for (const argv of refused) expect(resident(argv), argv.join(' ')).toBeUndefined();
  });
});
