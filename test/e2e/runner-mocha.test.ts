import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/hostile.test.js';

describe('--runner mocha against the real mocha (its xunit reporter)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('mocha', { files: ['tests/cart.test.js', HOSTILE, 'tests/search/query.test.js'], tests: 11 });
    // a test outside any describe block still names its file (mocha-junit-reporter's would not)
    expect(cases.find((c) => c.name === 'top level')?.file).toBe(HOSTILE);
    const ids = await testIds('mocha', cases, (c) => c.file === HOSTILE);
    const picked = ['hostile prefix', 'hostile regex .*+?^${}()|[]\\ chars', `hostile quotes "double" and 'single'`];
    expect(await selectedRun('mocha', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('mocha', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
