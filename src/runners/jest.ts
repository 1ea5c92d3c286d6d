import { exactJsPattern, exceptJsPattern, ignoreCaseKey } from './patterns.js';
import { groupsByKey } from './twins.js';
import type { RunnerPreset } from './types.js';

/**
 * Jest with jest-junit: the `file` attribute and the file as class name, the test's full name
 * (describe blocks and title joined by spaces, what `-t` matches) as its name. Files are passed
 * with --runTestsByPath: jest reads other arguments as regular expressions.
 */
export const jest: RunnerPreset = {
  name: 'jest',
  testPatterns: ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/*.{test,spec}.?([mc])[jt]s?(x)'],
  command: ['npx', '--no', '--', 'jest', '--ci', '--runTestsByPath', '{files}'],
  junitReporter: (junit) => ({
    // a flag after --reporters ends its list, which would otherwise take the files as more reporters
    // (--runTestsByPath again: jest reads a repeated boolean flag as set)
    args: ['--reporters=default', '--reporters=jest-junit', '--runTestsByPath'],
    env: {
      JEST_JUNIT_OUTPUT_FILE: junit,
      JEST_JUNIT_ADD_FILE_ATTRIBUTE: 'true',
      JEST_JUNIT_CLASSNAME: '{filepath}',
      JEST_JUNIT_TITLE: '{classname} {title}',
      JEST_JUNIT_ANCESTOR_SEPARATOR: ' ',
      // a file that fails to load is an errored testcase, not a file missing from the report
      JEST_JUNIT_REPORT_TEST_SUITE_ERRORS: 'true',
    },
  }),
  selectTests: (file, tests) => ['-t', exactJsPattern(tests), file],
  excludeTests: (file, tests) => ['-t', exceptJsPattern(tests), file],
  // jest compiles -t with the `i` flag (jest-circus: new RegExp(pattern, 'i')) and no flag turns
  // that off: names that differ only in case ("Foo", "foo") select and exclude each other
  indistinguishable: (tests) => groupsByKey(tests, ignoreCaseKey),
  testOf: (c) => {
    const file = c.file ?? c.classname;
    // a test outside any describe block is named " title": jest's full name has no leading space
    return file === undefined ? undefined : { file, test: c.name.trim() };
  },
};
