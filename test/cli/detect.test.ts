import { describe, expect, it } from 'vitest';
import { resolveShard, shardFromEnvironment } from '../../src/ci/detect.js';
import { UserError } from '../../src/errors.js';

describe('shardFromEnvironment', () => {
  it('returns undefined when no variables are set', () => {
    expect(shardFromEnvironment({})).toBeUndefined();
  });

  it.each([
    ['GitLab (1-based)', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' }, { index: 2, total: 4 }],
    ['CircleCI (0-based)', { CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '3' }, { index: 1, total: 3 }],
    ['Buildkite (0-based)', { BUILDKITE_PARALLEL_JOB: '4', BUILDKITE_PARALLEL_JOB_COUNT: '5' }, { index: 5, total: 5 }],
    ['Azure (1-based)', { SYSTEM_JOBPOSITIONINPHASE: '3', SYSTEM_TOTALJOBSINPHASE: '3' }, { index: 3, total: 3 }],
    ['Semaphore (1-based)', { SEMAPHORE_JOB_INDEX: '1', SEMAPHORE_JOB_COUNT: '2' }, { index: 1, total: 2 }],
    ['Bitbucket (0-based)', { BITBUCKET_PARALLEL_STEP: '1', BITBUCKET_PARALLEL_STEP_COUNT: '2' }, { index: 2, total: 2 }],
  ])('%s', (_name, env, expected) => {
    expect(shardFromEnvironment(env)?.spec).toEqual(expected);
  });

  it('prefers SPLIT_TESTS_SHARD over provider variables', () => {
    const found = shardFromEnvironment({ SPLIT_TESTS_SHARD: '3/7', CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' });
    expect(found).toEqual({ spec: { index: 3, total: 7 }, source: 'SPLIT_TESTS_SHARD' });
  });

  it('skips a provider with only one of its two variables (GitLab sets CI_NODE_TOTAL=1 on every job)', () => {
    expect(shardFromEnvironment({ CI_NODE_TOTAL: '1' })).toBeUndefined();
    expect(shardFromEnvironment({ CI_NODE_TOTAL: '1', CIRCLE_NODE_INDEX: '1', CIRCLE_NODE_TOTAL: '2' })?.spec).toEqual({ index: 2, total: 2 });
  });

  it('rejects values that are set but wrong, naming the variables', () => {
    expect(() => shardFromEnvironment({ CI_NODE_INDEX: 'x', CI_NODE_TOTAL: '4' })).toThrow(/CI_NODE_INDEX/);
    expect(() => shardFromEnvironment({ CIRCLE_NODE_INDEX: '4', CIRCLE_NODE_TOTAL: '4' })).toThrow(/CIRCLE_NODE_INDEX.*between 1 and 4/);
    expect(() => shardFromEnvironment({ SPLIT_TESTS_SHARD: '0/4' })).toThrow(/SPLIT_TESTS_SHARD/);
  });
});

describe('resolveShard', () => {
  it('lets --shard win over the environment', () => {
    expect(resolveShard('1/2', { SPLIT_TESTS_SHARD: '2/2' })).toEqual({ index: 1, total: 2 });
  });

  it('throws a UserError that says how to pass the shard when there is none', () => {
    let caught: unknown;
    try {
      resolveShard(undefined, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toMatch(/--shard/);
    expect((caught as UserError).hint).toMatch(/SPLIT_TESTS_SHARD/);
  });

  it.each(['5/4', '0/4', 'a/b', '', '1/0'])('rejects --shard %j', (text) => {
    expect(() => resolveShard(text, {})).toThrow(UserError);
  });
});
