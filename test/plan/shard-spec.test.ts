import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { formatShardSpec, MAX_SHARDS, parseShardSpec, planShards } from '../../src/plan/index.js';

function errorOf(text: string, source = '--shard'): UserError {
  try {
    parseShardSpec(text, source);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`parseShardSpec(${JSON.stringify(text)}) did not throw`);
}

describe('parseShardSpec', () => {
  it.each([
    ['1/1', 1, 1],
    ['2/4', 2, 4],
    ['4/4', 4, 4],
    ['12/64', 12, 64],
    ['01/04', 1, 4],
  ])('accepts %s', (text, index, total) => {
    expect(parseShardSpec(text, '--shard')).toEqual({ index, total });
  });

  it.each([
    ['5/4', /^--shard 5\/4: shard index must be between 1 and 4$/],
    ['0/4', /^--shard 0\/4: shard index must be between 1 and 4$/],
    ['a/b', /^--shard a\/b: expected K\/N/],
    ['1/0', /^--shard 1\/0: shard total must be at least 1$/],
    ['-1/4', /^--shard -1\/4: expected K\/N/],
    [' 2/4', /^--shard " 2\/4": unexpected whitespace$/],
    ['2/4 ', /^--shard "2\/4 ": unexpected whitespace$/],
    ['2 / 4', /^--shard "2 \/ 4": unexpected whitespace$/],
    ['2', /^--shard 2: expected K\/N/],
    ['2/4/8', /^--shard 2\/4\/8: expected K\/N/],
    ['1.5/4', /^--shard 1\.5\/4: expected K\/N/],
    ['+1/4', /^--shard \+1\/4: expected K\/N/],
    ['١/٤', /expected K\/N/],
    ['', /^--shard: empty shard/],
    ['99999999999999999999/99999999999999999999', /too large/],
  ])('rejects %j with a one-line message naming the spec and a hint', (text, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(2);
    expect(error.hint).toMatch(/K\/N.*--shard 2\/4/);
  });

  it('names the source it was given (an environment variable)', () => {
    expect(errorOf('9/4', 'SPLIT_TESTS_SHARD').message).toBe('SPLIT_TESTS_SHARD 9/4: shard index must be between 1 and 4');
  });

  it('round-trips with formatShardSpec', () => {
    for (let total = 1; total <= 9; total++) {
      for (let index = 1; index <= total; index++) {
        const spec = { index, total };
        expect(parseShardSpec(formatShardSpec(spec), '--shard')).toEqual(spec);
      }
    }
  });
});

describe('the shard limit', () => {
  it('takes N up to MAX_SHARDS and names the flag above it, in the spec, the planner and the config', () => {
    expect(parseShardSpec(`1/${MAX_SHARDS}`, '--shard')).toEqual({ index: 1, total: MAX_SHARDS });
    expect(() => parseShardSpec(`1/${MAX_SHARDS + 1}`, 'SPLIT_TESTS_SHARD')).toThrow(/^SPLIT_TESTS_SHARD 1\/1001: more than 1000 shards$/);
    expect(() => planShards({ files: ['a'], shards: 10_000_000, runs: [] })).toThrow(/--shards 10000000: more than 1000 shards/);
  });
});
