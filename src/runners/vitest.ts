import { exceptJoinedNamesPattern, joinedNameKey, joinedNamesPattern } from './patterns.js';
import { groupsByKey } from './twins.js';
import type { RunnerPreset } from './types.js';

/**
 * Vitest: its JUnit reporter names every testcase's class after the file, relative to the root,
 * and the testcase after its describe blocks and title joined with " > ", while -t matches them
 * joined with spaces (@vitest/runner getTaskFullName). A title holding " > " leaves the id's
 * split unknown: the filter takes every split (a superset), and ids no filter tells apart
 * ("a > b c" and "a b > c" are both "a b c" to -t) are reported as indistinguishable.
 */
export const vitest: RunnerPreset = {
  name: 'vitest',
  testPatterns: ['**/*.{test,spec}.?(c|m)[jt]s?(x)'],
  command: ['npx', '--no', '--', 'vitest', 'run', '{files}'],
  junitReporter: (junit) => ({ args: ['--reporter=default', '--reporter=junit', `--outputFile.junit=${junit}`], env: {} }),
  selectTests: (file, tests) => ['-t', joinedNamesPattern(tests), file],
  excludeTests: (file, tests) => ['-t', exceptJoinedNamesPattern(tests), file],
  indistinguishable: (tests) => groupsByKey(tests, joinedNameKey),
  testOf: (c) => {
    const file = c.file ?? c.classname;
    return file === undefined ? undefined : { file, test: c.name };
  },
};
