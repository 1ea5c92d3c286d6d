import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'spec/nested/deep/hostile_spec.rb';

describe('--runner rspec against the real rspec (with the shipped formatter)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select and exclude examples', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('rspec', { files: ['spec/cart_spec.rb', HOSTILE, 'spec/search/query_spec.rb'], tests: 10 });
    const ids = await testIds('rspec', cases, (c) => c.file === HOSTILE);
    expect(ids).toHaveLength(5);
    const picked = ['hostile prefix', 'hostile regex .*+?^${}()|[]\\ chars', `hostile quotes "double" and 'single'`];
    expect(await selectedRun('rspec', dir, HOSTILE, picked)).toEqual([...picked].sort());
    expect(await selectedRun('rspec', dir, HOSTILE, picked, { exclude: true })).toEqual(ids.filter((id) => !picked.includes(id)));
  });
});
