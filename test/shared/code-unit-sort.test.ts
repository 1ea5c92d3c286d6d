import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByCodeUnits } from '../../src/code-unit-sort.js';

const defaultSort = (list: readonly string[]): string[] => [...list].sort();

describe('sortByCodeUnits', () => {
  it('orders like the default sort: prefixes first, code units not code points, duplicates kept', () => {
    const list = ['b', 'a/b', 'a', '', 'a-c/d', 'a/b', '\u{1F600}', '\uFFFF', 'A', 'é', 'e\u0301', 'a/'];
    expect(sortByCodeUnits([...list])).toEqual(defaultSort(list));
  });

  it('agrees with the default sort on any strings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 300 }), (list) => {
        expect(sortByCodeUnits([...list])).toEqual(defaultSort(list));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on paths with long shared prefixes and many ties (property)', () => {
    const segment = fc.constantFrom('spec', 'features', 'a', 'ab', 'a-b', 'checkout', 'x_spec.rb', '');
    const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.array(path, { maxLength: 500 }), (list) => {
        expect(sortByCodeUnits([...list])).toEqual(defaultSort(list));
      }),
      { numRuns: 200 },
    );
  });

  it('sorts in place and returns the same array', () => {
    const list = ['c', 'b', 'a'];
    expect(sortByCodeUnits(list)).toBe(list);
    expect(list).toEqual(['a', 'b', 'c']);
  });
});
