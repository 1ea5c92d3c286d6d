import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { builtPreset, runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.test.js';

describe('--runner jest against the real jest + jest-junit', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id, case-twins together', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('jest', { files: ['tests/cart.test.js', HOSTILE, 'tests/search/query.test.js'], tests: 13 });
    expect(cases.every((c) => c.file !== undefined)).toBe(true);
    const ids = await testIds('jest', cases, (c) => c.file === HOSTILE);
    expect(ids).toContain('top level');
    // jest's -t is case-insensitive: the preset says which of the file's tests it cannot tell apart
    expect((await builtPreset('jest')).indistinguishable!(ids)).toEqual([['hostile Foo', 'hostile foo']]);
    const picked = ['hostile prefix', 'hostile regex .*+?^${}()|[]\\ chars', `hostile quotes "double" and 'single'`, 'hostile Foo'];
    expect(await selectedRun('jest', dir, HOSTILE, picked)).toEqual([...picked, 'hostile foo'].sort());
    expect(await selectedRun('jest', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id) && id !== 'hostile foo'));
  });
});
