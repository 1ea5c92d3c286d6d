import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { exactJsPattern, exceptJsPattern, ignoreCaseKey, joinedNameKey, joinedNamesPattern } from '../../src/runners/patterns.js';
import { connectedGroups, selectionGroups } from '../../src/runners/twins.js';

/** Titles made of the characters that make " > " joins ambiguous. */
const title = fc.string({ unit: fc.constantFrom('a', ' ', '>'), maxLength: 6 });
const titles = fc.array(title, { minLength: 1, maxLength: 4 });

describe('jest: -t is case-insensitive, so case-twins are indistinguishable', () => {
  const jest = runnerPreset('jest');

  it('selecting "Foo" runs what jest runs for it (RegExp with the i flag) exactly when the keys agree', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ unit: fc.constantFrom('s', 'S', 'ſ', 'K', 'k', '\u212A', 'ı', 'I', 'i', 'İ', 'µ', 'μ', 'Μ'), maxLength: 3 }));
    fc.assert(fc.property(text, text, (a, b) => new RegExp(exactJsPattern([a]), 'i').test(b) === (ignoreCaseKey(a) === ignoreCaseKey(b))));
  });

  it('groups the twins among a file\'s tests; the others stand alone', () => {
    const ids = ['cart Foo', 'cart foo', 'cart FOO bar', 'cart foo bar', 'cart ſ', 'cart S', 'cart other'];
    expect(jest.indistinguishable!(ids)).toEqual([['cart Foo', 'cart foo'], ['cart FOO bar', 'cart foo bar']]);
    expect(selectionGroups(jest, ids)).toEqual([['cart Foo', 'cart foo'], ['cart FOO bar', 'cart foo bar'], ['cart ſ'], ['cart S'], ['cart other']]);
    // ...and the arguments are still the exact, anchored pattern
    expect(jest.selectTests!('t/a.test.js', ['cart Foo'])).toEqual(['-t', '^(?:cart Foo)$', 't/a.test.js']);
    expect(jest.excludeTests!('t/a.test.js', ['cart Foo'])).toEqual(['-t', '^(?!(?:cart Foo)$)', 't/a.test.js']);
  });
});

describe('vitest: JUnit joins titles with " > ", -t with " "', () => {
  const vitest = runnerPreset('vitest');
  const pattern = (ids: string[]) => new RegExp(vitest.selectTests!('f', ids)[1]!);
  const except = (ids: string[]) => new RegExp(vitest.excludeTests!('f', ids)[1]!);

  it('the id of any test, titles holding " > " included, selects it (what -t sees: titles joined by spaces)', () => {
    fc.assert(fc.property(titles, (ts) => pattern([ts.join(' > ')]).test(ts.join(' ')) && !except([ts.join(' > ')]).test(ts.join(' '))));
  });

  it('an id selects another test exactly when their keys agree: the superset is the indistinguishable group', () => {
    fc.assert(fc.property(titles, titles, (a, b) => pattern([a.join(' > ')]).test(b.join(' ')) === (joinedNameKey(a.join(' > ')) === joinedNameKey(b.join(' > ')))));
  });

  it('describe-nested and " > "-holding titles', () => {
    expect(vitest.selectTests!('t/a.test.ts', ['cart > items > adds'])).toEqual(['-t', '^(?:cart (?:> )*items (?:> )*adds)$', 't/a.test.ts']);
    const re = pattern(['a > b > c']);
    expect(['a b c', 'a > b c', 'a b > c', 'a > b > c'].every((s) => re.test(s))).toBe(true);
    expect(['a b', 'a bc', 'a b c d', 'a >b c'].some((s) => re.test(s))).toBe(false);
    expect(vitest.indistinguishable!(['a > b c', 'a b > c', 'a > b', 'a b'])).toEqual([['a > b c', 'a b > c'], ['a > b', 'a b']]);
    expect(joinedNamesPattern(['x.y'])).toBe('^(?:x\\.y)$');
    expect(exceptJsPattern(['a'])).toBe('^(?!(?:a)$)');
  });
});

describe('selectionGroups and connectedGroups', () => {
  it('without the capability every test is its own group', () => {
    expect(selectionGroups(runnerPreset('rspec'), ['b', 'a', 'b'])).toEqual([['b'], ['a']]);
  });

  it('connects a relation transitively, either way round', () => {
    const related = (a: string, b: string) => b.startsWith(a);
    expect(connectedGroups(['ab', 'a', 'c', 'abc', 'd', 'dd'], related)).toEqual([['ab', 'a', 'abc'], ['d', 'dd']]);
  });
});
