import { fileURLToPath } from 'node:url';
import { exactJsPattern, exceptJsPattern } from './patterns.js';
import type { RunnerPreset } from './types.js';

/** The shipped formatter plugin: cucumber's own junit formatter names no feature file. */
export const CUCUMBER_FORMATTER = fileURLToPath(new URL('./cucumber/junit-formatter.js', import.meta.url));

/** cucumber-js reads `--format TYPE:PATH` and wants either part in double quotes when it holds a colon. */
const quoted = (text: string): string => `"${text.replace(/"/g, '\\"')}"`;

/**
 * cucumber-js: a feature file is a test file, a scenario (or example row of an outline) a test,
 * named like its pickle (an outline's name with the row's values in place of its <parameters>),
 * what --name matches: cucumber-js 12 tests `pickle.name.match(name)`, a RegExp with no flags,
 * and runs a scenario when any --name matches. Excluding has no flag of its own: one --name with
 * a negative lookahead matches every name but these.
 */
export const cucumberJs: RunnerPreset = {
  name: 'cucumber-js',
  testPatterns: ['**/*.feature'],
  command: ['npx', '--no', '--', 'cucumber-js', '{files}'],
  junitReporter: (junit) => ({
    args: ['--format', 'progress', '--format', `${quoted(CUCUMBER_FORMATTER)}:${quoted(junit)}`],
    env: {},
  }),
  selectTests: (file, tests) => ['--name', exactJsPattern(tests), file],
  excludeTests: (file, tests) => ['--name', exceptJsPattern(tests), file],
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
