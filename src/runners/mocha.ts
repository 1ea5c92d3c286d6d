import { exactJsPattern } from './patterns.js';
import type { RunnerPreset } from './types.js';

/**
 * Mocha with its built-in xunit reporter, which (unlike mocha-junit-reporter, whose tests outside
 * any describe block land in a "Root Suite" with no file) puts the file on every testcase. Class
 * name + " " + name is mocha's full title, what --grep matches.
 */
export const mocha: RunnerPreset = {
  name: 'mocha',
  testPatterns: ['**/*.{test,spec}.{js,cjs,mjs}'],
  command: ['npx', '--no', '--', 'mocha', '{files}'],
  junitReporter: (junit) => ({
    // mocha splits a reporter option at commas: a --junit path with a comma cannot be given
    args: ['--reporter', 'xunit', '--reporter-option', `output=${junit}`, '--reporter-option', 'showRelativePaths=true'],
    env: {},
  }),
  selectTests: (file, tests) => ['--grep', exactJsPattern(tests), file],
  excludeTests: (file, tests) => ['--grep', exactJsPattern(tests), '--invert', file],
  testOf: (c) => {
    if (c.file === undefined) return undefined;
    const classname = c.classname ?? '';
    return { file: c.file, test: classname === '' ? c.name : `${classname} ${c.name}` };
  },
};
