import { expect } from 'vitest';
import type { ParsedCase } from '../run/parse-cases.js';
import { builtPreset, selectedRun, testIds } from './runner-flow.js';

const HOSTILE = 'tests/nested/deep/hostile.test.js';

/**
 * Selection with the node preset on the node first on `env`'s PATH: describe-nested tests and
 * hostile titles exactly, twins (the same title in two describes) together as the preset says,
 * and a report that holds only what ran (Node 20 reports the tests a pattern leaves out as skipped).
 */
export async function expectNodeSelection(dir: string, cases: readonly ParsedCase[], env: Record<string, string> = {}): Promise<void> {
  const ids = await testIds('node', cases, (c) => c.file === HOSTILE);
  expect(ids).toContain('hostile > arrow > title');
  expect((await builtPreset('node')).indistinguishable!(ids)).toEqual([['hostile > prefix', 'other > prefix']]);
  const picked = ['hostile > prefix', 'hostile > regex .*+?^${}()|[]\\ chars', `hostile > quotes "double" and 'single'`, 'hostile > unicode café ✓ 日本', 'hostile > arrow > title'];
  expect(await selectedRun('node', dir, HOSTILE, picked, { env, anyStatus: true })).toEqual([...picked, 'other > prefix'].sort());
  expect(await selectedRun('node', dir, HOSTILE, ['top level', 'hostile > prefix and more'], { env, anyStatus: true })).toEqual(['hostile > prefix and more', 'top level']);
  const nested = ['cart > items > adds an item', 'cart > totals'];
  expect(await selectedRun('node', dir, 'tests/cart.test.js', nested, { env, anyStatus: true })).toEqual(nested);
}
