import { fileURLToPath } from 'node:url';
import { exactJsPattern, exceptJsPattern, ignoreCaseKey } from './patterns.js';
import { groupsByKey } from './twins.js';
import type { ResidentLaunch, RunnerPreset } from './types.js';

/** Shipped in the package: the resident driver that feeds queue batches to one jest process (jest 30). */
export const JEST_FEED = fileURLToPath(new URL('../../runners/jest/split-tests-feed.mjs', import.meta.url));

/** npx flags that take no value and may stand between `npx` and `jest`. */
const NPX_FLAGS = new Set(['--no', '--yes', '-y', '--no-install', '--']);
/** How the jest binary itself is named: by npx or PATH, or the project's own bin relative to its root. */
const JEST_BINS = new Set(['jest', 'node_modules/.bin/jest', './node_modules/.bin/jest']);

/**
 * `[npx [--no] [--]] jest ARGS` → the driver and ARGS. Anything else is left to run as a command:
 * a wrapper (`npm test --`, a script, `yarn jest`) may do more than start jest; an absolute path may
 * be another project's jest, while the driver loads the one installed where it runs.
 */
export function jestResident(argv: readonly string[]): ResidentLaunch | undefined {
  let at = 0;
  if (argv[0] === 'npx') {
    at = 1;
    while (at < argv.length && NPX_FLAGS.has(argv[at]!)) at += 1;
  }
  if (!JEST_BINS.has(argv[at] ?? '')) return undefined;
  // `node` from PATH, as the command's jest (a `#!/usr/bin/env node` script) would have run
  return { command: ['node', JEST_FEED], args: argv.slice(at + 1) };
}

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
  resident: jestResident,
  testOf: (c) => {
    const file = c.file ?? c.classname;
    // a test outside any describe block is named " title": jest's full name has no leading space
    return file === undefined ? undefined : { file, test: c.name.trim() };
  },
};
