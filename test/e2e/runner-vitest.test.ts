import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.test.js';

describe('--runner vitest against the real vitest', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('vitest', {
      files: ['tests/cart.test.js', HOSTILE, 'tests/search/query.test.js'],
      tests: 11,
    });
    const ids = await testIds('vitest', cases, (c) => c.classname === HOSTILE);
    expect(ids).toContain('hostile > regex .*+?^${}()|[]\\ chars');
    const picked = ['hostile > prefix', 'hostile > regex .*+?^${}()|[]\\ chars', `hostile > quotes "double" and 'single'`];
    expect(await selectedRun('vitest', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('vitest', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
