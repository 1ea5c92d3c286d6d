import { fileURLToPath } from 'node:url';
import { exactJsPattern } from './patterns.js';
import type { RunnerPreset } from './types.js';

/** The shipped formatter plugin: cucumber's own junit formatter names no feature file. */
export const CUCUMBER_FORMATTER = fileURLToPath(new URL('./cucumber/junit-formatter.js', import.meta.url));

/** cucumber-js reads `--format TYPE:PATH` and wants either part in double quotes when it holds a colon. */
const quoted = (text: string): string => `"${text.replace(/"/g, '\\"')}"`;

/**
 * cucumber-js: a feature file is a test file, a scenario (or example row) a test, named like its
 * pickle, what --name (a regular expression) matches. Excluding scenarios has no flag.
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
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
