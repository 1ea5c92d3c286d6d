import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';

describe('library entry (package.json "main")', () => {
  it('plans with the same function the CLI uses', () => {
    const plan = lib.planShards({
      files: ['b.test.ts', 'a.test.ts', 'c.test.ts'],
      shards: 2,
      runs: [{ source: 'r1', seconds: new Map([['a.test.ts', 4], ['b.test.ts', 2], ['c.test.ts', 2]]) }],
    });
    expect(plan.shards.map((s) => s.files)).toEqual([['a.test.ts'], ['b.test.ts', 'c.test.ts']]);
    expect(plan.lowerBoundSeconds).toBe(4);
  });

  it('exposes the reader, merger, timings and detection', () => {
    for (const name of ['readJUnitFile', 'mergeReports', 'loadTimings', 'readHistory', 'recordReports', 'detectShard', 'parseShardSpec']) {
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
