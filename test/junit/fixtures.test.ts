import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileMatcher } from '../../src/junit/match.js';
import { readJUnitFile } from '../../src/junit/read.js';
import type { CaseStatus } from '../../src/junit/types.js';

const dir = join(import.meta.dirname, '../../fixtures/junit');

interface Expectation {
  readonly report: string;
  /** The project's test files (as discovery would list them). */
  readonly files: readonly string[];
  readonly statuses: Partial<Record<CaseStatus, number>>;
  /** Cases per mapped file; `undefined` counts the cases no file could be found for. */
  readonly mapped: Readonly<Record<string, number>>;
}

const EXPECTATIONS: readonly Expectation[] = [
  {
    report: 'vitest.xml',
    files: ['vt/checkout/cart.test.ts', 'vt/checkout/payment.test.ts'],
    statuses: { passed: 3, failed: 2, skipped: 2 },
    mapped: { 'vt/checkout/cart.test.ts': 5, 'vt/checkout/payment.test.ts': 2 },
  },
  {
    report: 'jest-junit-file-attr.xml',
    files: ['tests/checkout/cart.test.js', 'tests/search/query.test.js'],
    statuses: { passed: 3, failed: 2, skipped: 1 },
    mapped: { 'tests/checkout/cart.test.js': 4, 'tests/search/query.test.js': 2 },
  },
  {
    // jest-junit's defaults name suites after describe blocks: only "cart" reads like a file
    report: 'jest-junit.xml',
    files: ['tests/checkout/cart.test.js', 'tests/search/query.test.js'],
    statuses: { passed: 3, failed: 2, skipped: 1 },
    mapped: { 'tests/checkout/cart.test.js': 4, undefined: 2 },
  },
  {
    // absolute file attributes from the machine that ran it; the pending test is not written at all
    report: 'mocha-junit-reporter.xml',
    files: ['tests/checkout/cart.test.js', 'tests/search/query.test.js'],
    statuses: { passed: 3, failed: 2 },
    mapped: { 'tests/checkout/cart.test.js': 3, 'tests/search/query.test.js': 2 },
  },
  {
    // node:test (Node 20) writes no file at all: describe "cart" still reads as the file's name
    report: 'node-test.xml',
    files: ['nodetest/checkout/cart.test.js', 'nodetest/search/query.test.js'],
    statuses: { passed: 3, failed: 1, skipped: 2 },
    mapped: { 'nodetest/checkout/cart.test.js': 5, undefined: 1 },
  },
  {
    report: 'playwright.xml',
    files: ['pw/tests/checkout/cart.spec.js', 'pw/tests/search.spec.js'],
    statuses: { passed: 3, failed: 1, skipped: 1 },
    mapped: { 'pw/tests/checkout/cart.spec.js': 4, 'pw/tests/search.spec.js': 1 },
  },
  {
    report: 'surefire-TEST-com.acme.cart.CartTest.xml',
    files: ['src/test/java/com/acme/cart/CartTest.java', 'src/test/java/com/acme/cart/CheckoutIT.java'],
    statuses: { passed: 2, failed: 1, error: 1, skipped: 1 },
    mapped: { 'src/test/java/com/acme/cart/CartTest.java': 5 },
  },
  {
    // a flakyFailure is a rerun that passed; CheckoutIT$CardPayments is a nested class
    report: 'surefire-TEST-com.acme.cart.CheckoutIT.xml',
    files: ['src/test/java/com/acme/cart/CartTest.java', 'src/test/java/com/acme/cart/CheckoutIT.java'],
    statuses: { passed: 2 },
    mapped: { 'src/test/java/com/acme/cart/CheckoutIT.java': 2 },
  },
  {
    report: 'pytest-xunit2.xml',
    files: ['tests/test_cart.py', 'tests/unit/test_orders.py', 'tests/conftest.py'],
    statuses: { passed: 2, failed: 1, error: 1, skipped: 1 },
    mapped: { 'tests/test_cart.py': 3, 'tests/unit/test_orders.py': 2 },
  },
  {
    report: 'pytest-xunit1.xml',
    files: ['tests/test_cart.py', 'tests/unit/test_orders.py'],
    statuses: { passed: 2 },
    mapped: { 'tests/test_cart.py': 1, 'tests/unit/test_orders.py': 1 },
  },
  {
    report: 'rspec.xml',
    files: ['spec/models/user_spec.rb', 'spec/cart/checkout_spec.rb', 'spec/spec_helper.rb'],
    statuses: { passed: 2, failed: 1, skipped: 1 },
    mapped: { 'spec/models/user_spec.rb': 2, 'spec/cart/checkout_spec.rb': 2 },
  },
];

describe('captured and documented JUnit shapes', () => {
  for (const e of EXPECTATIONS) {
    it(`${e.report}: statuses and the mapping to test files`, async () => {
      const match = createFileMatcher(e.files);
      const statuses: Partial<Record<CaseStatus, number>> = {};
      const mapped: Record<string, number> = {};
      const info = await readJUnitFile(join(dir, e.report), (c) => {
        statuses[c.status] = (statuses[c.status] ?? 0) + 1;
        const file = String(match(c));
        mapped[file] = (mapped[file] ?? 0) + 1;
      });
      expect(statuses).toEqual(e.statuses);
      expect(mapped).toEqual(e.mapped);
      expect(info.cases).toBe(Object.values(e.statuses).reduce((a, b) => a + b, 0));
    });
  }

  it('reads times written with thousands separators (Surefire) and timestamps as written', async () => {
    const seconds: number[] = [];
    await readJUnitFile(join(dir, 'surefire-TEST-com.acme.cart.CartTest.xml'), (c) => seconds.push(c.seconds));
    expect(seconds).toEqual([0.012, 1203.5, 0.031, 0.5, 0]);
    const pytest = await readJUnitFile(join(dir, 'pytest-xunit2.xml'), () => {});
    expect(pytest.timestamp).toBe('2026-11-23T03:50:01.123456+00:00');
  });
});
