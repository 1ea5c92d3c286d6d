import { fileURLToPath } from 'node:url';
import { exceptJoinedNamesPattern, joinedNameKey, joinedNamesPattern } from './patterns.js';
import { groupsByKey } from './twins.js';
import type { ResidentLaunch, RunnerPreset } from './types.js';

/** Shipped in the package: the resident driver that feeds queue batches to one Vitest instance (vitest 4). */
export const VITEST_FEED = fileURLToPath(new URL('../../runners/vitest/split-tests-feed.mjs', import.meta.url));

/** npx flags that take no value and may stand between `npx` and `vitest`. */
const NPX_FLAGS = new Set(['--no', '--yes', '-y', '--no-install', '--']);
/** How the vitest binary itself is named: by npx or PATH, or the project's own bin relative to its root. */
const VITEST_BINS = new Set(['vitest', 'node_modules/.bin/vitest', './node_modules/.bin/vitest']);

/**
 * `[npx [--no] [--]] vitest run ARGS` → the driver and `run ARGS`. Anything else is left to run as
 * a command: a bare `vitest` watches on a terminal (the driver runs batches to completion only); a
 * wrapper (`npm test --`, a script, `pnpm exec`) may do more than start vitest; an absolute path
 * may be another project's vitest, while the driver loads the one installed where it runs.
 */
export function vitestResident(argv: readonly string[]): ResidentLaunch | undefined {
  let at = 0;
  if (argv[0] === 'npx') {
    at = 1;
    while (at < argv.length && NPX_FLAGS.has(argv[at]!)) at += 1;
  }
  if (!VITEST_BINS.has(argv[at] ?? '') || argv[at + 1] !== 'run') return undefined;
  // `node` from PATH, as the command's vitest (a `#!/usr/bin/env node` script) would have run
  return { command: ['node', VITEST_FEED], args: argv.slice(at + 1) };
}

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
  resident: vitestResident,
  testOf: (c) => {
    const file = c.file ?? c.classname;
    return file === undefined ? undefined : { file, test: c.name };
  },
};
