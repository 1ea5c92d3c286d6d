import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { selectionGroups } from '../../src/runners/twins.js';

const node = runnerPreset('node');

/** Which tests (title paths) node runs for a --test-name-pattern, as Node 20 and 22 decide it. */
function runs(paths: readonly string[][], pattern: RegExp, version: 20 | 22): string[][] {
  return paths.filter((path) => {
    const byTitle = path.some((title) => pattern.test(title));
    const byFullName = version === 22 && path.some((_, i) => pattern.test(path.slice(0, i + 1).join(' ')));
    return byTitle || byFullName;
  });
}

const patternOf = (args: readonly string[]): RegExp => new RegExp(args[0]!.slice('--test-name-pattern='.length));

describe('node: --test-name-pattern on a test\'s own titles', () => {
  it('the pattern, then the file', () => {
    expect(node.selectTests!('t/a.test.js', ['cart > items > adds', 'top'])).toEqual(['--test-name-pattern=^(?:cart > items > adds|items > adds|adds|top)$', 't/a.test.js']);
    expect(node.selectTests!('t/a.test.js', ['x.y (1)'])).toEqual(['--test-name-pattern=^(?:x\\.y \\(1\\))$', 't/a.test.js']);
  });

  it('runs the selected test on Node 20 and 22, and else only tests of its indistinguishable group', () => {
    const title = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '>'), minLength: 1, maxLength: 4 });
    const tree = fc.uniqueArray(fc.array(title, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8, selector: (path) => path.join(' > ') });
    fc.assert(
      fc.property(tree, (paths) => {
        const ids = paths.map((path) => path.join(' > '));
        const groups = selectionGroups(node, ids);
        for (const [i, id] of ids.entries()) {
          const group = new Set(groups.find((g) => g.includes(id)));
          for (const version of [20, 22] as const) {
            const ran = runs(paths, patternOf(node.selectTests!('f', [id])), version).map((path) => path.join(' > '));
            if (!ran.includes(ids[i]!)) return false;
            if (!ran.every((other) => group.has(other))) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('names the twins: the same title in two describes, a title that is also a describe\'s', () => {
    const ids = ['cart > adds', 'list > adds', 'cart > items > x', 'items', 'cart > totals', 'a b', 'a > b'];
    expect(node.indistinguishable!(ids)).toEqual([['cart > adds', 'list > adds'], ['cart > items > x', 'items'], ['a b', 'a > b']]);
    expect(node.indistinguishable!(['hostile > prefix', 'hostile > prefix and more', 'top level'])).toEqual([]);
  });
});

describe('cucumber-js: --name is a RegExp with no flags; excluding is a negative lookahead', () => {
  const cucumber = runnerPreset('cucumber-js');
  const names = ['eats 1 items', 'eats 12 items', 'Eats 1 items', 'prefix', 'prefix and more', 'regex .*+?^${}()|[]\\ chars'];

  it('selects and excludes exactly these names (outline rows by their values)', () => {
    const [flag, select, file] = cucumber.selectTests!('features/a b.feature', ['eats 1 items', 'prefix']);
    expect([flag, file]).toEqual(['--name', 'features/a b.feature']);
    expect(names.filter((n) => n.match(select!))).toEqual(['eats 1 items', 'prefix']);
    const [, except] = cucumber.excludeTests!('features/a b.feature', ['eats 1 items', 'prefix', 'regex .*+?^${}()|[]\\ chars']);
    expect(names.filter((n) => n.match(except!))).toEqual(['eats 12 items', 'Eats 1 items', 'prefix and more']);
  });
});
