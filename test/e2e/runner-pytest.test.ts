import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { debianPython, runnerFlow, selectedRun, testIds } from './runner-flow.js';

afterAll(removeTempDirs);

const HOSTILE = 'tests/nested/deep/test_hostile.py';

describe('--runner pytest against the real pytest', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; select tests by node id', { timeout: 120_000 }, async () => {
    const env = debianPython();
    const { dir, cases } = await runnerFlow('pytest', { env, files: [HOSTILE, 'tests/search/test_query.py', 'tests/test_cart.py'], tests: 12 });
    const ids = await testIds('pytest', cases, (c) => c.file === HOSTILE);
    expect(ids).toContain('TestHostile::test_top_level');
    // pytest writes a parameter's backslash and non-ASCII escaped in its ids, in the report as on its command line
    const regex = ids.find((id) => id.startsWith('test_names[regex'))!;
    expect(regex).toBe('test_names[regex .*+?^${}()|[]\\\\ chars]');
    const picked = ['test_prefix', regex, `test_names[quotes "double" and 'single']`, 'test_names[unicode caf\\xe9 \\u2713 \\u65e5\\u672c]', 'TestHostile::test_top_level'];
    expect(await selectedRun('pytest', dir, HOSTILE, picked, { env })).toEqual([...picked].sort());
  });
});
