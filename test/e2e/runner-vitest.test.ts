import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { builtPreset, runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.test.js';

describe('--runner vitest against the real vitest', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id, " > " in titles', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('vitest', {
      files: ['tests/cart.test.js', HOSTILE, 'tests/search/query.test.js'],
      tests: 14,
    });
    const ids = await testIds('vitest', cases, (c) => c.classname === HOSTILE);
    expect(ids).toContain('hostile > regex .*+?^${}()|[]\\ chars');
    expect(ids).toContain('hostile > inner > block > leaf');
    // "arrow > title" and "arrow title" are both "hostile arrow title" to -t: said, and selected together
    expect((await builtPreset('vitest')).indistinguishable!(ids)).toEqual([['hostile > arrow > title', 'hostile > arrow title']]);
    const picked = ['hostile > prefix', 'hostile > regex .*+?^${}()|[]\\ chars', `hostile > quotes "double" and 'single'`, 'hostile > inner > block > leaf', 'hostile > arrow > title'];
    expect(await selectedRun('vitest', dir, HOSTILE, picked)).toEqual([...picked, 'hostile > arrow title'].sort());
    expect(await selectedRun('vitest', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id) && id !== 'hostile > arrow title'));
    expect(await selectedRun('vitest', dir, 'tests/cart.test.js', ['cart > items > adds an item', 'cart > totals'])).toEqual(['cart > items > adds an item', 'cart > totals']);
  });
});
