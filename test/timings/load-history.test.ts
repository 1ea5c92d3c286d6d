import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadTimings } from '../../src/timings/load.js';
import type { History } from '../../src/timings/history-types.js';
import { secondsOf, tempTree } from './helpers.js';

function summary(id: string, time: string) {
  return { id, time, shards: [], totalSeconds: 0, fileCount: 0, largestFileSeconds: 0, added: [], removed: [], failedFiles: [] };
}

const history: History = {
  version: 1,
  files: {
    'a.test.ts': [
      { run: 'old', seconds: 9 },
      { run: 'r1', seconds: 1 },
      { run: 'r2', seconds: 2 },
      { run: 'r3', seconds: 3 },
    ],
    'b.test.ts': [
      { run: 'r2', seconds: 20 },
      { run: 'r3', seconds: 30, status: 'failed' },
    ],
    'gone.test.ts': [{ run: 'r3', seconds: 5 }],
  },
  runs: [summary('r1', '2026-01-01T10:00:00.000Z'), summary('r2', '2026-01-02T10:00:00.000Z'), summary('r3', '2026-01-03T10:00:00.000Z')],
};

describe('loadTimings: history files', () => {
  it('gives one run per run id, oldest first, dated by the summaries', async () => {
    const cwd = await tempTree({ '.split-tests/history.json': JSON.stringify(history) });
    const loaded = await loadTimings(['.split-tests/history.json'], { cwd, files: ['a.test.ts', 'b.test.ts', 'new.test.ts'] });
    expect(loaded.sources).toEqual(['.split-tests/history.json']);
    expect(loaded.runs.map((r) => r.timestamp)).toEqual([undefined, '2026-01-01T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z']);
    expect(loaded.runs.map(secondsOf)).toEqual([
      { 'a.test.ts': 9 },
      { 'a.test.ts': 1 },
      { 'a.test.ts': 2, 'b.test.ts': 20 },
      { 'a.test.ts': 3, 'b.test.ts': 30 },
    ]);
    expect(new Set(loaded.runs.map((r) => r.source)).size).toBe(4);
    expect(loaded.unmappedFiles).toBe(1);
  });

  it('rejects another version with a message naming the file and the fix', async () => {
    const cwd = await tempTree({ 'h.json': JSON.stringify({ ...history, version: 7 }) });
    const error = (await loadTimings(['h.json'], { cwd, files: [] }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('h.json: history version 7 is not supported (this split-tests reads versions 1 to 3)');
    expect(error.hint).toMatch(/delete/);
  });

  it('rejects a history of the wrong shape, naming the key', async () => {
    const broken = { ...history, files: { 'a.test.ts': [{ run: 'r1', seconds: 'x' }] } };
    const cwd = await tempTree({ 'h.json': JSON.stringify(broken) });
    const error = (await loadTimings(['h.json'], { cwd, files: [] }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('h.json');
    expect(error.message).toContain('"files"."a.test.ts"[0].seconds');
  });

  it('still reads a Knapsack map whose test file is called "version"', async () => {
    const cwd = await tempTree({ 'k.json': JSON.stringify({ version: 1, files: 2 }) });
    const loaded = await loadTimings(['k.json'], { cwd, files: [] });
    expect(secondsOf(loaded.runs[0])).toEqual({ version: 1, files: 2 });
  });
});

describe('history shape checks', () => {
  it.each([
    [{ runs: [{ ...summary('r', 't'), shards: [{ index: 'one' }] }] }, '"runs"[0].shards[0] must be an object with an integer "index"'],
    [{ runs: [{ ...summary('r', 't'), shards: [{ index: 1, wallSeconds: -1 }] }] }, '"runs"[0].shards[0].wallSeconds'],
    [{ runs: [{ ...summary('r', 't'), stages: { build: 'fast' } }] }, '"runs"[0].stages must map names'],
    [{ runs: [{ ...summary('r', 't'), added: [1] }] }, '"runs"[0].added must be an array of strings'],
    [{ files: [] }, '"files" must be an object'],
  ])('rejects %j', async (patch, message) => {
    const cwd = await tempTree({ 'h.json': JSON.stringify({ ...history, ...patch }) });
    await expect(loadTimings(['h.json'], { cwd, files: [] })).rejects.toThrow(message);
  });
});
