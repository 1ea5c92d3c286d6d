import { nodeFileOfCase } from '../junit/node-file.js';
import { residentPytest } from './pytest-resident.js';
import type { RunnerPreset } from './types.js';

/**
 * pytest with `-o junit_family=xunit1`, which writes `file` (relative to the rootdir) on every
 * testcase. A test's id is its node id after the file: `TestCart::TestItems::test_add[1-2]`, what
 * pytest takes as `file::id`; the class part is the case's class name less the module's dotted path.
 */
export const pytest: RunnerPreset = {
  name: 'pytest',
  testPatterns: ['**/test_*.py', '**/*_test.py'],
  // Debian's python3-pytest, a virtualenv's or pyenv's: whichever python3 is first on PATH
  command: ['python3', '-m', 'pytest', '{files}'],
  junitReporter: (junit) => ({ args: [`--junitxml=${junit}`, '-o', 'junit_family=xunit1'], env: {} }),
  selectTests: (file, tests) => tests.map((test) => `${file}::${test}`),
  // No excludeTests, since none is exact: --deselect takes node id prefixes (_pytest/main.py:
  // nodeid.startswith), so deselecting test_a also drops test_ab and test_a[1]; a plugin of ours
  // would need PYTHONPATH (-p imports a module by name, before the ini's pythonpath applies), and a
  // preset's selection is arguments only. What exclusion is for, every test of a file but these,
  // is exact with listTests: the listed ids less these, selected by node id.
  // `--collect-only -q` prints one node id a line (`file::Class::test[p]`), then a count
  listTests: {
    args: (file) => ['--collect-only', '-q', '-p', 'no:cacheprovider', file],
    parse: (stdout, file) => stdout.split(/\r?\n/).filter((line) => line.startsWith(`${file}::`)).map((line) => line.slice(file.length + 2)),
  },
  resident: residentPytest,
  testOf: (c) => {
    if (c.file === undefined) return undefined;
    // an inherited test: `file` is where it is defined, the class name the test file (node-file.ts)
    const node = nodeFileOfCase(c);
    if (node !== undefined) return { file: node.file, test: [...node.classes, c.name].join('::') };
    const module = c.file.replace(/\.py$/, '').replace(/\//g, '.');
    const classname = c.classname ?? '';
    const classes = classname.startsWith(`${module}.`) ? classname.slice(module.length + 1).split('.') : [];
    return { file: c.file, test: [...classes, c.name].join('::') };
  },
};
