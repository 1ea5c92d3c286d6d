import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers.js';
import { runnerFlow } from './runner-flow.js';
import { expectNodeSelection } from './runner-node-select.js';

afterAll(removeTempDirs);

describe('--runner node against node:test (with the shipped reporter)', () => {
  it('plan, run both shards, merge complete, record, plan again from the history; a helper\'s tests belong to the test file; select tests by id', { timeout: 120_000 }, async () => {
    const { dir, cases } = await runnerFlow('node', {
      files: ['tests/cart.test.js', 'tests/nested/deep/hostile.test.js', 'tests/search/query.test.js'],
      tests: 13,
    });
    expect(cases.every((c) => c.file !== undefined && c.file.startsWith('tests/') && !c.file.includes('helpers'))).toBe(true);
    expect(cases.find((c) => c.name === 'pages results')?.file).toBe('tests/search/query.test.js');
    expect(cases.find((c) => c.name === 'hostile > unicode café ✓ 日本')?.file).toBe('tests/nested/deep/hostile.test.js');
    await expectNodeSelection(dir, cases);
  });
});
