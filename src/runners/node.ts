import { fileURLToPath } from 'node:url';
import type { RunnerPreset } from './types.js';

/** The shipped reporter (also exported as `split-tests/node-test-reporter`). */
export const NODE_TEST_REPORTER = fileURLToPath(new URL('./node/junit-reporter.js', import.meta.url));

/**
 * node:test (`node --test`), with split-tests' own JUnit reporter beside node's spec reporter.
 * Test selection is left undefined: Node 20 matches --test-name-pattern against a test's own
 * name and Node 22 against the full name, so no one pattern selects exactly on both.
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
  testOf: (c) => (c.file === undefined ? undefined : { file: c.file, test: c.name }),
};
