import { fileURLToPath } from 'node:url';
import { exactJsPattern } from './patterns.js';
import { ownTitles, selectsToo } from './node/names.js';
import { connectedGroups } from './twins.js';
import type { RunnerPreset } from './types.js';

/** The shipped reporter (also exported as `split-tests/node-test-reporter`). */
export const NODE_TEST_REPORTER = fileURLToPath(new URL('./node/junit-reporter.js', import.meta.url));

/**
 * node:test (`node --test`), with split-tests' own JUnit reporter beside node's spec reporter; a
 * test's id is its describe titles and title joined with " > ".
 *
 * Selection: --test-name-pattern runs a test when the pattern matches its own title or an
 * enclosing describe's title (Node 20 and 22); Node 22 also tries the titles joined with spaces,
 * Node 20 never. The one pattern that selects a test on both is its own title, exactly: exact
 * unless another test of the file has the same title or sits in a describe of that title, which
 * `indistinguishable` names from the file's known tests.
 *
 * No excludeTests: Node 20 has no --test-skip-pattern (Node 22 does), and a negative pattern
 * cannot stand in for it, since it matches a test when it matches any enclosing describe's title;
 * no listTests: node cannot list a file's tests without running them (Node 22 leaves the tests a
 * pattern filters out of its events, so a pattern that matches nothing lists nothing).
 */
export const node: RunnerPreset = {
  name: 'node',
  // node --test's own defaults
  testPatterns: ['**/*{.,-,_}test.{js,cjs,mjs}', '**/test-*.{js,cjs,mjs}', '**/test.{js,cjs,mjs}', '**/test/**/*.{js,cjs,mjs}'],
  command: ['node', '--test', '{files}'],
  junitReporter: (junit) => ({
    args: [
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${NODE_TEST_REPORTER}`,
      `--test-reporter-destination=${junit}`,
    ],
    env: {},
  }),
  // a pattern starting with "/" would be read as /source/flags: exactJsPattern starts with "^"
  selectTests: (file, tests) => [`--test-name-pattern=${exactJsPattern([...new Set(tests.flatMap(ownTitles))])}`, file],
  indistinguishable: (tests) => connectedGroups(tests, selectsToo),
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
