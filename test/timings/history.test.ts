import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { addRun, historyToRuns, readHistory, writeHistory, type RunInput } from '../../src/timings/history.js';
import type { History } from '../../src/timings/history-types.js';
import { secondsOf, tempTree } from './helpers.js';

function run(id: string, time: string, files: Record<string, number>, failed: string[] = []): RunInput {
  return {
    id,
    time,
    files: new Map(Object.entries(files).map(([f, s]) => [f, { seconds: s, status: failed.includes(f) ? 'failed' : 'passed' }])),
  };
}

describe('addRun', () => {
  it('appends samples and a summary with totals, added, removed and failed files', () => {
    const h1 = addRun(undefined, run('r1', '2026-01-01T00:00:00.000Z', { 'a.ts': 1, 'b.ts': 2 }));
    expect(h1.runs[0]).toMatchObject({ id: 'r1', totalSeconds: 3, fileCount: 2, largestFileSeconds: 2, added: [], removed: [], failedFiles: [] });
    const h2 = addRun(h1, { ...run('r2', '2026-01-02T00:00:00.000Z', { 'b.ts': 4, 'c.ts': 1 }, ['c.ts']), fingerprint: 'f00', shardCount: 2, stages: { tests: 9 } });
    expect(h2.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(h2.runs[1]).toMatchObject({ added: ['c.ts'], removed: ['a.ts'], failedFiles: ['c.ts'], fingerprint: 'f00', shardCount: 2, stages: { tests: 9 } });
    expect(h2.files['b.ts']).toEqual([
      { run: 'r1', seconds: 2, status: 'passed' },
      { run: 'r2', seconds: 4, status: 'passed' },
    ]);
    expect(historyToRuns(h2).map(secondsOf)).toEqual([
      { 'a.ts': 1, 'b.ts': 2 },
      { 'b.ts': 4, 'c.ts': 1 },
    ]);
  });

  it('merges a re-recorded run id instead of adding it twice', () => {
    const h1 = addRun(undefined, run('r1', '2026-01-01T00:00:00.000Z', { 'a.ts': 1 }));
    const h2 = addRun(h1, { ...run('r1', '2026-01-01T00:01:00.000Z', { 'b.ts': 2 }), shards: [{ index: 2, wallSeconds: 2 }] });
    const h3 = addRun(h2, { ...run('r1', '2026-01-01T00:01:00.000Z', { 'b.ts': 2 }), shards: [{ index: 2, wallSeconds: 2 }] });
    expect(h3).toEqual(h2);
    expect(h2.runs).toHaveLength(1);
    expect(h2.runs[0]).toMatchObject({ time: '2026-01-01T00:00:00.000Z', totalSeconds: 3, fileCount: 2 });
  });

  it('rejects limits below one', () => {
    expect(() => addRun(undefined, run('r', 't', {}), { runs: 0, runsPerFile: 3 })).toThrow(UserError);
  });

  it('keeps the last K samples per file and the last M summaries, and drops files not seen in them (property)', () => {
    const arbRun = fc.dictionary(fc.constantFrom('a.ts', 'b.ts', 'c.ts', 'd/e.ts', 'f.ts'), fc.double({ min: 0, max: 100, noNaN: true }), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(arbRun, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (runs, k, m) => {
        let h: History | undefined;
        runs.forEach((files, i) => {
          h = addRun(h, run(`run-${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), files), { runsPerFile: k, runs: m });
        });
        const history = h!;
        expect(history.runs.length).toBe(Math.min(m, runs.length));
        expect(history.runs.at(-1)?.id).toBe(`run-${runs.length - 1}`);
        const kept = new Set(history.runs.map((r) => r.id));
        for (const file of Object.keys(runs.at(-1)!)) expect(history.files[file]?.at(-1)?.run).toBe(`run-${runs.length - 1}`);
        for (const [file, samples] of Object.entries(history.files)) {
          expect(samples.length).toBeGreaterThan(0);
          expect(samples.length).toBeLessThanOrEqual(k);
          expect(kept.has(samples.at(-1)!.run)).toBe(true);
          // samples stay oldest first and are the file's most recent ones
          const expected = runs
            .map((files, i) => [i, files[file]] as const)
            .filter(([, s]) => s !== undefined)
            .slice(-k)
            .map(([i]) => `run-${i}`);
          // (a file dropped while absent from the kept runs restarts, so a suffix of them)
          const got = samples.map((s) => s.run);
          expect(expected.slice(expected.length - got.length)).toEqual(got);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('readHistory / writeHistory', () => {
  it('returns undefined for a missing file and round-trips a written one, creating folders', async () => {
    const cwd = await tempTree({});
    const path = join(cwd, 'deep/er/history.json');
    expect(await readHistory(path)).toBeUndefined();
    const h = addRun(undefined, run('r1', '2026-01-01T00:00:00.000Z', { 'z.ts': 1, 'a b "c".ts': 0.5 }));
    await writeHistory(path, h);
    expect(await readHistory(path)).toEqual(h);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(h);
    expect(await readdir(join(cwd, 'deep/er'))).toEqual(['history.json']);
  });

  it('names the file, position and fix for a corrupt or foreign file', async () => {
    const cwd = await tempTree({ 'trunc.json': '{"version": 1, "files": {', 'map.json': '{"a.ts": 1}', 'v4.json': '{"version": 4, "files": {}, "runs": []}' });
    const errors = await Promise.all(['trunc.json', 'map.json', 'v4.json'].map((f) => readHistory(join(cwd, f)).catch((e: unknown) => e as UserError)));
    for (const e of errors) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).hint).toMatch(/delete/);
    }
    expect((errors[0] as UserError).message).toBe(`${join(cwd, 'trunc.json')}:1:26: malformed history file: unexpected end of input`);
    expect((errors[1] as UserError).message).toContain('not a split-tests history file');
    expect((errors[2] as UserError).message).toContain('history version 4 is not supported');
  });

  it('two concurrent writers leave one whole, valid file and no temporary files (property)', async () => {
    const cwd = await tempTree({});
    const path = join(cwd, '.split-tests/history.json');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 200 }), async (xs, ys) => {
        const a = addRun(undefined, run('a', '2026-01-01T00:00:00.000Z', Object.fromEntries(xs.map((s, i) => [`a/${i}.ts`, s]))));
        const b = addRun(undefined, run('b', '2026-01-01T00:00:00.000Z', Object.fromEntries(ys.map((s, i) => [`b/${i}.ts`, s]))));
        await Promise.all([writeHistory(path, a), writeHistory(path, b)]);
        const read = await readHistory(path);
        expect([a, b]).toContainEqual(read);
        expect(await readdir(join(cwd, '.split-tests'))).toEqual(['history.json']);
      }),
      { numRuns: 30 },
    );
  });

  it('a file overwritten by a half-written write is reported, not half-read', async () => {
    const cwd = await tempTree({});
    const path = join(cwd, 'h.json');
    await writeHistory(path, addRun(undefined, run('r', '2026-01-01T00:00:00.000Z', { 'a.ts': 1 })));
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    await expect(readHistory(path)).rejects.toThrow(/malformed history file/);
  });
});
