import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareCodeUnits, normalisePath, sortPaths } from '../../src/paths.js';

describe('normalisePath', () => {
  it.each([
    ['./a/b.spec.ts', 'a/b.spec.ts'],
    ['/a/b.spec.ts', 'a/b.spec.ts'],
    ['a//b', 'a/b'],
    ['a/./b', 'a/b'],
    ['././a/././/b', 'a/b'],
    ['spec\\models\\user_spec.rb', 'spec/models/user_spec.rb'],
    ['a/../b', 'a/../b'],
    ['tests/it\'s "quoted" ✓.test.ts', 'tests/it\'s "quoted" ✓.test.ts'],
  ])('%s -> %s', (input, expected) => {
    expect(normalisePath(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[./\\ab]{0,12}$/), (p) => {
        const once = normalisePath(p);
        expect(normalisePath(once)).toBe(once);
        expect(once.startsWith('/')).toBe(false);
        expect(once.startsWith('./')).toBe(false);
        expect(once.includes('//')).toBe(false);
      }),
    );
  });
});

describe('sortPaths', () => {
  it('sorts by code units, not locale, and de-duplicates spellings of one path', () => {
    expect(sortPaths(['b.ts', './B.ts', 'a.ts', 'é.ts', 'a.ts', '/z.ts'])).toEqual(['B.ts', 'a.ts', 'b.ts', 'z.ts', 'é.ts']);
    expect(compareCodeUnits('Z', 'a')).toBe(-1);
  });
});
