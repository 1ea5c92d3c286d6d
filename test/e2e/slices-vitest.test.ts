import { afterAll, describe, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { slicesFlow } from './slices-flow.js';

afterAll(removeTempDirs);

describe('a heavy vitest file split by its tests (real vitest, a command per slice)', () => {
  it('runs its slices on different shards, a test added since the history exactly once, and equals an unsharded run', { timeout: 90_000 }, async () => {
    await slicesFlow({
      runner: 'vitest',
      heavy: 'tests/heavy.test.js',
      unsharded: (junit) => ({ command: ['npx', '--no', '--', 'vitest', 'run', '--reporter=junit', `--outputFile.junit=${junit}`] }),
      added: 'heavy > added since the history',
      gone: 'heavy > gone',
    });
  });
});
