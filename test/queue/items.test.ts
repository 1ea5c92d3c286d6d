import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/index.js';
import { queueItemsOf } from '../../src/queue/items.js';

const plan = {
  shards: [
    { index: 1, files: ['a.test.js', 'g/one.test.js', 'g/two.test.js'], fileSeconds: [1, 4, 3], estimatedSeconds: 8, groups: ['g'] },
    { index: 2, files: ['b.test.js', 'c.test.js', 'g/three.test.js'], fileSeconds: [5, 1, 2], estimatedSeconds: 8, groups: ['g'] },
  ],
} as unknown as Plan;

describe('queue items from a plan', () => {
  it('every file once, longest estimate first, ties by path', () => {
    expect(queueItemsOf(plan)).toEqual([
      { files: ['b.test.js'], seconds: 5 },
      { files: ['g/one.test.js'], seconds: 4 },
      { files: ['g/two.test.js'], seconds: 3 },
      { files: ['g/three.test.js'], seconds: 2 },
      { files: ['a.test.js'], seconds: 1 },
      { files: ['c.test.js'], seconds: 1 },
    ]);
  });

  it("a feature group's files on one shard stay together as one item; the plan's pieces stay apart", () => {
    const groupOf = new Map([['g/one.test.js', 'g'], ['g/two.test.js', 'g'], ['g/three.test.js', 'g']]);
    expect(queueItemsOf(plan, groupOf)).toEqual([
      { files: ['g/one.test.js', 'g/two.test.js'], seconds: 7 },
      { files: ['b.test.js'], seconds: 5 },
      { files: ['g/three.test.js'], seconds: 2 },
      { files: ['a.test.js'], seconds: 1 },
      { files: ['c.test.js'], seconds: 1 },
    ]);
  });
});
