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
  it('every file once, longest estimate first', () => {
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

  it('equal estimates are spread by a hash of the path, not kept in path order, whatever the input order', () => {
    // a new folder of tests the history knows nothing about: all estimated alike, and if they are
    // slow they are slow together; side by side in the queue one batch would take them all
    const files = [1, 2, 3, 4, 5, 6].flatMap((i) => [`new/n${i}.test.js`, `old/o${i}.test.js`]);
    const planOf = (list: string[]) => ({ shards: [{ index: 1, files: list, fileSeconds: list.map(() => 0.1), estimatedSeconds: 1.2 }] }) as unknown as Plan;
    const order = queueItemsOf(planOf(files)).map((item) => item.files[0]);
    expect([...order].sort()).toEqual([...files].sort());
    // path order would put the six new/ files first; a batch of six takes three of them here
    expect(order.slice(0, 6).filter((f) => f!.startsWith('new/'))).toEqual(['new/n1.test.js', 'new/n5.test.js', 'new/n2.test.js']);
    expect(queueItemsOf(planOf([...files].reverse())).map((item) => item.files[0])).toEqual(order);
  });

  it('files with no history go first (their estimates are guesses), the rest longest first; a group only when all its files are new', () => {
    const fresh = new Set(['a.test.js', 'c.test.js', 'g/one.test.js']);
    expect(queueItemsOf(plan, new Map(), fresh).map((item) => item.files[0])).toEqual(['a.test.js', 'c.test.js', 'g/one.test.js', 'b.test.js', 'g/two.test.js', 'g/three.test.js']);
    const groupOf = new Map([['g/one.test.js', 'g'], ['g/two.test.js', 'g']]);
    expect(queueItemsOf(plan, groupOf, fresh).map((item) => item.files)).toEqual([['a.test.js'], ['c.test.js'], ['g/one.test.js', 'g/two.test.js'], ['b.test.js'], ['g/three.test.js']]);
  });
});
