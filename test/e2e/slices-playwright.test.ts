import { afterAll, describe, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { slicesFlow } from './slices-flow.js';

afterAll(removeTempDirs);

describe('a heavy playwright file split by its tests (real playwright test, no browser, a command per slice)', () => {
  it('runs its slices on different shards, a test added since the history exactly once, and equals an unsharded run', { timeout: 120_000 }, async () => {
    await slicesFlow({
      runner: 'playwright',
      heavy: 'tests/heavy.spec.js',
      unsharded: (junit) => ({ command: ['npx', '--no', '--', 'playwright', 'test', '--reporter=junit'], env: { PLAYWRIGHT_JUNIT_OUTPUT_FILE: junit } }),
      added: 'heavy › added since the history',
      gone: 'heavy › gone',
    });
  });
});
