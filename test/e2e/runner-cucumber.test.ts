import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'features/nested/deep/hostile.feature';

describe('--runner cucumber-js against the real cucumber-js (with the shipped formatter)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select scenarios by name', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('cucumber-js', {
      files: ['features/cart.feature', HOSTILE, 'features/search/query.feature'],
      tests: 9,
    });
    const ids = await testIds('cucumber-js', cases, (c) => c.file === HOSTILE);
    expect(ids).toHaveLength(5);
    const picked = ['prefix', 'regex .*+?^${}()|[]\\ chars', `quotes "double" and 'single'`];
    expect(await selectedRun('cucumber-js', dir, HOSTILE, picked)).toEqual([...picked].sort());
  });
});
