import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'features/nested/deep/hostile.feature';

describe('--runner cucumber-js against the real cucumber-js (with the shipped formatter)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude scenarios and outline rows by name', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('cucumber-js', {
      files: ['features/cart.feature', HOSTILE, 'features/search/query.feature'],
      tests: 11,
    });
    const ids = await testIds('cucumber-js', cases, (c) => c.file === HOSTILE);
    // an outline's rows are tests named with their values
    expect(ids).toEqual(expect.arrayContaining(['eats 1 items', 'eats 12 items']));
    expect(ids).toHaveLength(7);
    const picked = ['prefix', 'regex .*+?^${}()|[]\\ chars', `quotes "double" and 'single'`, 'eats 1 items'];
    expect(await selectedRun('cucumber-js', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('cucumber-js', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
