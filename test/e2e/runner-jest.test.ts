import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.test.js';

describe('--runner jest against the real jest + jest-junit', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('jest', { files: ['tests/cart.test.js', HOSTILE, 'tests/search/query.test.js'], tests: 11 });
    expect(cases.every((c) => c.file !== undefined)).toBe(true);
    const ids = await testIds('jest', cases, (c) => c.file === HOSTILE);
    expect(ids).toContain('top level');
    const picked = ['hostile prefix', 'hostile regex .*+?^${}()|[]\\ chars', `hostile quotes "double" and 'single'`];
    expect(await selectedRun('jest', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('jest', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
