import { fileURLToPath } from 'node:url';
import { escapeRubyRegExp } from './patterns.js';
import type { ResidentLaunch, RunnerPreset } from './types.js';

/** Shipped in the package (rspec has no JUnit formatter of its own): runners/rspec/junit_formatter.rb. */
export const RSPEC_FORMATTER = fileURLToPath(new URL('../../runners/rspec/junit_formatter.rb', import.meta.url));

/** Shipped in the package: the resident RSpec driver, runners/rspec/split_tests_feed.rb. */
export const RSPEC_FEED_DRIVER = fileURLToPath(new URL('../../runners/rspec/split_tests_feed.rb', import.meta.url));

/**
 * `rspec ARGS` → `ruby DRIVER` (the `ruby` beside `rspec` on PATH, as rbenv, rvm, chruby and
 * Debian install them) and `bundle exec rspec ARGS` → the driver under `bundle exec` (Bundler
 * closes descriptors above 2 when it execs a binary unless told to keep them: fd 3 is the feed).
 * Anything else runs a command per batch: a path to rspec (`bin/rspec` is the project's binstub:
 * Spring's forks its own preloaded server, a custom one sets up what the tests see; an absolute
 * path's shebang may name another Ruby than PATH's), other launchers (`ruby -S`, `spring rspec`,
 * `env`, a script), and `bundle exec` with options of its own.
 */
export function rspecResident(argv: readonly string[]): ResidentLaunch | undefined {
  if (argv[0] === 'rspec') return { command: ['ruby', RSPEC_FEED_DRIVER], args: argv.slice(1) };
  if (argv[0] === 'bundle' && argv[1] === 'exec' && argv[2] === 'rspec') {
    return { command: ['bundle', 'exec', '--keep-file-descriptors', 'ruby', RSPEC_FEED_DRIVER], args: argv.slice(3) };
  }
  return undefined;
}

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
  resident: rspecResident,
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
