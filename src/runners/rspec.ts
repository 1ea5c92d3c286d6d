import { fileURLToPath } from 'node:url';
import { escapeRubyRegExp } from './patterns.js';
import type { RunnerPreset } from './types.js';

/** Shipped in the package (rspec has no JUnit formatter of its own): runners/rspec/junit_formatter.rb. */
export const RSPEC_FORMATTER = fileURLToPath(new URL('../../runners/rspec/junit_formatter.rb', import.meta.url));

const anyOf = (tests: readonly string[]): string => `(?:${tests.map(escapeRubyRegExp).join('|')})`;

/**
 * RSpec with split-tests' own JUnit formatter: `file` is the spec file, `name` the example's full
 * description, which `-E` (a Ruby regular expression) matches.
 */
export const rspec: RunnerPreset = {
  name: 'rspec',
  testPatterns: ['**/*_spec.rb'],
  command: ['rspec', '{files}'],
  junitReporter: (junit) => ({
    args: ['--require', RSPEC_FORMATTER, '--format', 'progress', '--format', 'SplitTests::JUnitFormatter', '--out', junit],
    env: {},
  }),
  selectTests: (file, tests) => ['-E', `\\A${anyOf(tests)}\\z`, file],
  excludeTests: (file, tests) => ['-E', `\\A(?!${anyOf(tests)}\\z)`, file],
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
