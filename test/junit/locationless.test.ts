import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocationlessCheck, findLocationlessReports, isLocationless, locationlessMessage } from '../../src/junit/locationless.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'junit');

describe('reports that name no test file (node:test\'s own junit)', () => {
  it('a case is locationless with classname "test" and no file', () => {
    expect(isLocationless({ classname: 'test', suites: ['cart'], name: 'adds' })).toBe(true);
    expect(isLocationless({ classname: 'test', file: 'tests/cart.test.js' })).toBe(false);
    expect(isLocationless({ classname: 'tests/cart.test.js' })).toBe(false);
  });

  it('a report is when all its cases are, and it has some', () => {
    const check = createLocationlessCheck();
    expect(check.locationless()).toBe(false);
    check.see({ classname: 'test', name: 'a' });
    expect(check.locationless()).toBe(true);
    check.see({ classname: 'test', file: 'a.test.js', name: 'b' });
    expect(check.locationless()).toBe(false);
  });

  it('finds the captured node:test report and no other producer\'s', async () => {
    const names = ['node-test.xml', 'vitest.xml', 'jest-junit.xml', 'mocha-junit-reporter.xml', 'playwright.xml', 'pytest-xunit2.xml', 'rspec.xml'];
    const found = await findLocationlessReports(names.map((name) => ({ path: join(FIXTURES, name), label: name })));
    expect(found).toEqual(['node-test.xml']);
  });

  it('the message names the reports and both fixes', () => {
    const message = locationlessMessage(['a.xml', 'b.xml', 'c.xml', 'd.xml']);
    expect(message).toMatch(/^a\.xml, b\.xml, c\.xml and 1 more: node:test's own JUnit format/);
    expect(message).toContain('--runner node');
    expect(message).toContain('--test-reporter=split-tests/node-test-reporter');
    expect(message).not.toContain('\n');
  });
});
