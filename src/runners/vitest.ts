import { exactJsPattern, exceptJsPattern } from './patterns.js';
import type { RunnerPreset } from './types.js';

/** vitest -t matches the full name with its describe blocks joined by spaces; JUnit joins them with " > ". */
const fullName = (id: string): string => id.split(' > ').join(' ');

/** Vitest: its JUnit reporter names every testcase's class after the file, relative to the root. */
export const vitest: RunnerPreset = {
  name: 'vitest',
  testPatterns: ['**/*.{test,spec}.?(c|m)[jt]s?(x)'],
  command: ['npx', '--no', '--', 'vitest', 'run', '{files}'],
  junitReporter: (junit) => ({ args: ['--reporter=default', '--reporter=junit', `--outputFile.junit=${junit}`], env: {} }),
  selectTests: (file, tests) => ['-t', exactJsPattern(tests.map(fullName)), file],
  excludeTests: (file, tests) => ['-t', exceptJsPattern(tests.map(fullName)), file],
  testOf: (c) => {
    const file = c.file ?? c.classname;
    return file === undefined ? undefined : { file, test: c.name };
  },
};
