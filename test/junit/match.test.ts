import { describe, expect, it } from 'vitest';
import { createFileMatcher } from '../../src/junit/match.js';

const files = [
  'tests/checkout/cart.test.ts',
  'tests/checkout/payment.test.ts',
  'tests/search/cart.spec.ts',
  'src/test/java/com/acme/cart/CartTest.java',
  'spec/cart/checkout_spec.rb',
  'spec/models/user_spec.rb',
  'tests/test_cart.py',
  'tests/unit/test_orders.py',
  'a/dup.test.ts',
  'b/dup.test.ts',
];
const match = createFileMatcher(files);

describe('createFileMatcher', () => {
  it('matches the file attribute exactly after normalising, then by path suffix', () => {
    expect(match({ file: 'tests/checkout/cart.test.ts' })).toBe('tests/checkout/cart.test.ts');
    expect(match({ file: './tests\\checkout\\cart.test.ts' })).toBe('tests/checkout/cart.test.ts');
    expect(match({ file: '/home/runner/work/shop/shop/tests/checkout/payment.test.ts' })).toBe('tests/checkout/payment.test.ts');
    expect(match({ file: 'checkout/cart.test.ts' })).toBe('tests/checkout/cart.test.ts');
  });

  it('falls back to suite names and classnames read as paths', () => {
    expect(match({ suites: ['tests/checkout/cart.test.ts'] })).toBe('tests/checkout/cart.test.ts');
    expect(match({ suites: ['checkout/cart.test.ts', 'adds an item'] })).toBe('tests/checkout/cart.test.ts');
    expect(match({ classname: 'tests/search/cart.spec.ts', suites: ['whatever'] })).toBe('tests/search/cart.spec.ts');
  });

  it('maps Java, Ruby and Python class names to files', () => {
    expect(match({ classname: 'com.acme.cart.CartTest', suites: ['com.acme.cart.CartTest'] })).toBe('src/test/java/com/acme/cart/CartTest.java');
    expect(match({ classname: 'com.acme.cart.CartTest$Nested' })).toBe('src/test/java/com/acme/cart/CartTest.java');
    expect(match({ classname: 'Cart::CheckoutSpec' })).toBe('spec/cart/checkout_spec.rb');
    expect(match({ classname: 'spec.models.user_spec' })).toBe('spec/models/user_spec.rb');
    expect(match({ file: './spec/models/user_spec.rb', classname: 'spec.models.user_spec' })).toBe('spec/models/user_spec.rb');
    expect(match({ classname: 'tests.test_cart.TestCart' })).toBe('tests/test_cart.py');
    expect(match({ classname: 'tests.unit.test_orders' })).toBe('tests/unit/test_orders.py');
  });

  it('refuses to guess between files with the same suffix, and says undefined for strangers', () => {
    expect(match({ file: 'dup.test.ts' })).toBeUndefined();
    expect(match({ file: 'a/dup.test.ts' })).toBe('a/dup.test.ts');
    expect(match({ suites: ['cart.test.ts'] })).toBe('tests/checkout/cart.test.ts');
    expect(match({ classname: 'org.other.NopeTest', suites: ['NopeTest'] })).toBeUndefined();
    expect(match({ file: 'nowhere/else.test.ts' })).toBeUndefined();
    expect(match({})).toBeUndefined();
  });

  it('treats two spellings of one path as one file', () => {
    const m = createFileMatcher(['tests/a.test.ts', './tests/a.test.ts']);
    expect(m({ file: 'a.test.ts' })).toBe('tests/a.test.ts');
    expect(m({ suites: ['tests/a.test.ts'] })).toBe('tests/a.test.ts');
  });

  it('prefers the file attribute over a misleading suite name', () => {
    expect(match({ file: 'tests/checkout/payment.test.ts', suites: ['tests/checkout/cart.test.ts'] })).toBe('tests/checkout/payment.test.ts');
  });

  it('matches 100k cases over 10k files quickly (indexes built once)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `pkg${i % 50}/mod${i}/file${i}.test.ts`);
    const m = createFileMatcher(many);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) {
      const k = (i * 7919) % 10_000;
      if (m({ suites: [`mod${k}/file${k}.test.ts`], name: `t${i}` }) === many[k]) hits++;
    }
    expect(hits).toBe(100_000);
  });
});
