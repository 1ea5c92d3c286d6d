import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, repoRoot } from './helpers.js';
import { runnerFlow } from './runner-flow.js';
import { expectNodeSelection } from './runner-node-select.js';

afterAll(removeTempDirs);

/** Node 22, as .ci/run installs it beside the project (never into node_modules). */
const NODE_22 = process.env['SPLIT_TESTS_NODE_22'] ?? join(repoRoot, '.ci', 'tools', 'node_modules', 'node', 'bin', 'node');

describe('--runner node with node 22 running the tests (split-tests itself on this Node)', () => {
  it.skipIf(!existsSync(NODE_22))('the shipped reporter names the test file on Node 22 too, helper-defined tests included; the same selection as on Node 20', { timeout: 120_000 }, async () => {
    const bin = join(makeTempDir('split-tests-node22-'), 'bin');
    mkdirSync(bin);
    symlinkSync(NODE_22, join(bin, 'node'));
    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const { dir, cases } = await runnerFlow('node', {
      env,
      files: ['tests/cart.test.js', 'tests/nested/deep/hostile.test.js', 'tests/search/query.test.js'],
      tests: 13,
    });
    expect(cases.find((c) => c.name === 'pages results')?.file).toBe('tests/search/query.test.js');
    expect(cases.find((c) => c.name === 'cart > items > adds an item')?.file).toBe('tests/cart.test.js');
    await expectNodeSelection(dir, cases, env);
  });
});
