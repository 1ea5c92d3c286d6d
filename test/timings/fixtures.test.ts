import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTimings } from '../../src/timings/load.js';

const junit = resolve(import.meta.dirname, '../../fixtures/junit');

// Reports captured from real runners (fixtures/junit): the files record would key the history by
// when it has no file list to match against.
describe('loadTimings on real producers’ reports, without discovered files', () => {
  it.each([
    ['vitest.xml', ['checkout/cart.test.ts', 'checkout/payment.test.ts']],
    ['jest-junit-file-attr.xml', ['tests/checkout/cart.test.js', 'tests/search/query.test.js']],
    ['playwright.xml', ['checkout/cart.spec.js', 'search.spec.js']],
    ['pytest-xunit1.xml', ['tests/test_cart.py', 'tests/unit/test_orders.py']],
    ['pytest-xunit2.xml', ['tests.test_cart', 'tests.test_cart.TestCart', 'tests.unit.test_orders']],
    ['rspec.xml', ['spec/cart/checkout_spec.rb', 'spec/models/user_spec.rb']],
    ['surefire-TEST-com.acme.cart.CheckoutIT.xml', ['com.acme.cart.CheckoutIT']],
  ])('%s', async (name, keys) => {
    const loaded = await loadTimings([name], { cwd: junit, files: [] });
    expect(loaded.runs).toHaveLength(1);
    expect([...loaded.runs[0]!.seconds.keys()].sort()).toEqual(keys);
  });

  it('maps class-name keys to discovered files when planning', async () => {
    const files = ['tests/test_cart.py', 'tests/unit/test_orders.py'];
    const loaded = await loadTimings(['pytest-xunit2.xml'], { cwd: junit, files });
    expect([...loaded.runs[0]!.seconds.keys()].sort()).toEqual(files);
    expect(loaded.unmappedCases).toBe(0);
  });
});
