import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runnerPreset } from '../../src/runners/index.js';
import { VITEST_FEED, vitestResident } from '../../src/runners/vitest.js';

const ARGS = ['run', '--reporter=default', '--reporter=junit', '--outputFile.junit=/tmp/r.xml', 'a.test.ts', 'b.test.ts'];

describe('vitest preset: resident', () => {
  it('is the vitest preset capability, and its driver is shipped', () => {
    expect(runnerPreset('vitest').resident).toBe(vitestResident);
    expect(VITEST_FEED).toMatch(/\/runners\/vitest\/split-tests-feed\.mjs$/);
    expect(existsSync(VITEST_FEED)).toBe(true);
  });

  it('takes `vitest run` however it is launched: npx with or without flags, PATH, the project bin', () => {
    for (const launcher of [['npx', '--no', '--', 'vitest'], ['npx', 'vitest'], ['npx', '--', 'vitest'], ['npx', '-y', 'vitest'], ['vitest'], ['node_modules/.bin/vitest'], ['./node_modules/.bin/vitest']]) {
      expect(vitestResident([...launcher, ...ARGS])).toEqual({ command: ['node', VITEST_FEED], args: ARGS });
    }
  });

  it('leaves other command lines to run as commands', () => {
    for (const argv of [
      ['vitest', 'a.test.ts'], // bare vitest: watch mode on a terminal
      ['vitest', '--run', 'a.test.ts'],
      ['npx', 'vitest'],
      ['npx', '--package', 'vitest', 'vitest', 'run'], // a flag with a value: not parsed
      ['npm', 'test', '--', 'run', 'a.test.ts'],
      ['pnpm', 'exec', 'vitest', 'run'],
      ['/elsewhere/node_modules/.bin/vitest', 'run', 'a.test.ts'],
      ['node', 'node_modules/vitest/vitest.mjs', 'run'],
      ['jest', 'run'],
      [],
    ]) {
      expect(vitestResident(argv), argv.join(' ')).toBeUndefined();
    }
  });
});
