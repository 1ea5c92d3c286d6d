import { escapeJsRegExp } from './patterns.js';
import type { RunnerPreset } from './types.js';

/** Its JUnit names a testcase "describe › test"; --grep matches the title path joined by spaces. */
const titles = (id: string): string => escapeJsRegExp(id.split(' › ').join(' '));

/**
 * --grep sees "[project] path/from/testDir/file.spec.ts describe test": anchoring the file's base
 * name before the titles keeps a describe block named like a test, or a longer title ending in a
 * selected one, from being selected too.
 */
const grepOf = (file: string, tests: readonly string[]): string => {
  const base = escapeJsRegExp(file.slice(file.lastIndexOf('/') + 1));
  return `(?:^|/| )${base} (?:${tests.map(titles).join('|')})$`;
};

const PLAYWRIGHT_JUNIT =
  /^\s*(?:<\?xml[^>]*\?>\s*)?<testsuites id="[^"]*" name="[^"]*" tests="\d+" failures="\d+" skipped="\d+" errors="\d+" time="[^"]*">\s*<testsuite name="[^"]*" timestamp="[^"]*" hostname="[^"]*" tests="\d+" failures="\d+" skipped="\d+" time="[^"]*" errors="\d+">/;

/**
 * The Playwright test runner. Its JUnit reporter (PLAYWRIGHT_JUNIT_OUTPUT_FILE) names each
 * testcase's class after the file relative to testDir. Playwright reads file arguments as regular
 * expressions over the whole path: each file goes as `/(^|/)escaped$/`, so a.spec.ts never also
 * runs x/a.spec.ts.
 */
export const playwright: RunnerPreset = {
  name: 'playwright',
  testPatterns: ['**/*.@(spec|test).?(c|m)[jt]s?(x)'],
  command: ['npx', '--no', '--', 'playwright', 'test', '{files}'],
  junitReporter: (junit) => ({ args: ['--reporter=list,junit'], env: { PLAYWRIGHT_JUNIT_OUTPUT_FILE: junit } }),
  fileArg: (file) => `/(?:^|\\/)${escapeJsRegExp(file).replace(/\//g, '\\/')}$/`,
  // --pass-with-no-tests: a slice whose tests were all deleted since the history ran nothing
  // rather than failing ("No tests found", exit 1); callers check that what they asked for ran
  selectTests: (file, tests) => ['--pass-with-no-tests', '--grep', grepOf(file, tests), playwright.fileArg!(file)],
  excludeTests: (file, tests) => ['--pass-with-no-tests', '--grep-invert', grepOf(file, tests), playwright.fileArg!(file)],
  ownReport: {
    // playwright's junit reporter writes these attributes in this order (no other producer does):
    // <testsuites id name tests failures skipped errors time>, then each
    // <testsuite name timestamp hostname tests failures skipped time errors>
    recognize: (head) => PLAYWRIGHT_JUNIT.test(head),
    paths: 'names test files relative to its testDir',
    configFiles: ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'].map((ext) => `playwright.config.${ext}`),
  },
  testOf: (c) => {
    const file = c.file ?? c.classname;
    return file === undefined ? undefined : { file, test: c.name };
  },
};
