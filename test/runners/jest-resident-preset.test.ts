import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { JEST_FEED, jestResident } from '../../src/runners/jest.js';

const ARGS = ['--ci', '--runTestsByPath', '--reporters=default', '--reporters=jest-junit', '--runTestsByPath', 'a.test.js', 'b.test.js'];

describe('jest preset: resident', () => {
  it('is the jest preset capability, and its driver is shipped', () => {
    expect(runnerPreset('jest').resident).toBe(jestResident);
    expect(JEST_FEED).toMatch(/\/runners\/jest\/split-tests-feed\.mjs$/);
    expect(existsSync(JEST_FEED)).toBe(true);
  });

  it('takes jest however it is launched: npx with or without flags, PATH, the project bin', () => {
    for (const launcher of [['npx', '--no', '--', 'jest'], ['npx', 'jest'], ['npx', '--', 'jest'], ['npx', '-y', 'jest'], ['jest'], ['node_modules/.bin/jest'], ['./node_modules/.bin/jest']]) {
      expect(jestResident([...launcher, ...ARGS])).toEqual({ command: ['node', JEST_FEED], args: ARGS });
    }
    expect(jestResident(['jest'])).toEqual({ command: ['node', JEST_FEED], args: [] });
  });

  it('leaves other command lines to run as commands', () => {
    for (const argv of [
      ['npx', '--package', 'jest', 'jest', 'a.test.js'], // a flag with a value: not parsed
      ['npm', 'test', '--', 'a.test.js'],
      ['yarn', 'jest', 'a.test.js'],
      ['/elsewhere/node_modules/.bin/jest', 'a.test.js'],
      ['node', 'node_modules/jest/bin/jest.js', 'a.test.js'],
      ['vitest', 'run'],
      ['npx'],
      [],
    ]) {
      expect(jestResident(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
