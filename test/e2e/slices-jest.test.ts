import { afterAll, describe, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { slicesFlow } from './slices-flow.js';

afterAll(removeTempDirs);

describe('a heavy jest file split by its tests (real jest, a command per slice, case-twins)', () => {
  it('keeps Foo and foo in one slice, runs FOO (added since, their twin) and every other test exactly once, equal to an unsharded run', { timeout: 120_000 }, async () => {
    await slicesFlow({
      runner: 'jest',
      heavy: 'tests/heavy.test.js',
      unsharded: (junit) => ({
        command: ['npx', '--no', '--', 'jest', '--ci', '--reporters=jest-junit'],
        env: { JEST_JUNIT_OUTPUT_FILE: junit, JEST_JUNIT_ADD_FILE_ATTRIBUTE: 'true', JEST_JUNIT_CLASSNAME: '{filepath}', JEST_JUNIT_TITLE: '{classname} {title}', JEST_JUNIT_ANCESTOR_SEPARATOR: ' ' },
      }),
      added: 'heavy added since the history',
      known: 6,
      twins: ['heavy Foo', 'heavy foo'],
    });
  });
});
