import { describe, expect, it } from 'vitest';
import { createCasePath, locationLabel, pathOfCase } from '../../src/timings/case-path.js';
import { tempTree } from './helpers.js';

describe('pathOfCase (no discovered files)', () => {
  it.each([
    [{ file: './spec/models/user_spec.rb', classname: 'spec.models.user_spec', suites: ['rspec'] }, 'spec/models/user_spec.rb'],
    [{ classname: 'tests/cart.test.ts', suites: ['tests/cart.test.ts'] }, 'tests/cart.test.ts'],
    [{ classname: 'tests.test_cart.TestCart', suites: ['pytest'] }, 'tests.test_cart.TestCart'],
    [{ classname: 'com.acme.CartTest', suites: ['com.acme.CartTest'] }, 'com.acme.CartTest'],
    [{ classname: 'Cart adds an item', suites: ['Cart'] }, 'Cart'],
    [{ classname: 'TestParse', suites: ['github.com/acme/shop/parse'] }, 'github.com/acme/shop/parse'],
    [{ classname: 'test', suites: ['cart', 'totals'] }, 'cart'],
    [{ classname: 'com.acme.CheckoutIT$CardPayments', suites: ['com.acme.CheckoutIT'] }, 'com.acme.CheckoutIT'],
    [{ classname: 'Cart::CheckoutSpec', suites: ['rspec'] }, 'Cart::CheckoutSpec'],
    [{ classname: 'Lonely', suites: [] }, 'Lonely'],
    [{ suites: [] }, undefined],
  ])('%j -> %s', (loc, expected) => {
    expect(pathOfCase(loc)).toBe(expected);
  });
});

describe('createCasePath', () => {
  it('makes absolute paths under the root relative, and leaves others alone', () => {
    const casePath = createCasePath('/builds/acme/shop');
    expect(casePath({ file: '/builds/acme/shop/tests/a.test.ts' })).toBe('tests/a.test.ts');
    expect(casePath({ file: '/elsewhere/tests/a.test.ts' })).toBe('elsewhere/tests/a.test.ts');
    expect(casePath({ file: 'tests/b.test.ts' })).toBe('tests/b.test.ts');
    expect(createCasePath('/')({ file: '/x/a.ts' })).toBe('x/a.ts');
  });
});

describe('createCasePath: class names of files in the checkout', () => {
  it("keys pytest's dotted classes by their file, and drops a bare label that names no file", async () => {
    const root = await tempTree({ 'pkg/core/tests/test_arith.py': '', 'test_top.py': '', 'pkg/core/tests/helpers.py': '', 'src/test/java/com/acme/CartTest.java': '' });
    const casePath = createCasePath(root);
    expect(casePath({ classname: 'pkg.core.tests.test_arith', suites: ['pytest'] })).toBe('pkg/core/tests/test_arith.py');
    expect(casePath({ classname: 'pkg.core.tests.test_arith.TestMul', suites: ['pytest'] })).toBe('pkg/core/tests/test_arith.py');
    expect(casePath({ classname: 'test_top', suites: ['pytest'] })).toBe('test_top.py');
    // no such file here: the class stays the key (a file list maps it later)
    expect(casePath({ classname: 'com.acme.CartTest', suites: ['com.acme.CartTest'] })).toBe('com.acme.CartTest');
    // node:test's "test" on every case names no file
    expect(casePath({ classname: 'test', name: 'adds' })).toBeUndefined();
    expect(locationLabel({ classname: 'test', name: 'adds' })).toBe('class test');
    expect(locationLabel({ file: 'a/b.test.ts', classname: 'x' })).toBe('a/b.test.ts');
  });
});
