import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.spec.js';

describe('--runner playwright against the real Playwright test runner (no browser)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('playwright', { files: ['tests/cart.spec.js', HOSTILE, 'tests/search/query.spec.js'], tests: 11 });
    // playwright names the file relative to its testDir
    const ids = await testIds('playwright', cases, (c) => c.classname === 'nested/deep/hostile.spec.js');
    expect(ids).toHaveLength(6);
    const picked = ['hostile › prefix', 'hostile › regex .*+?^${}()|[]\\ chars', `hostile › quotes "double" and 'single'`];
    expect(await selectedRun('playwright', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('playwright', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
