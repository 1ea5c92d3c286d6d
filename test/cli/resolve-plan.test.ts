import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { groupSpec, resolvePlan } from '../../src/cli/resolve-plan.js';
import type { LoadedConfig } from '../../src/cli/config.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../e2e/helpers.js';

afterAll(removeTempDirs);

const stdinOf = (lines: readonly string[]) => Readable.from([Buffer.from(lines.join('\n'))]);
const env = {};

describe('resolvePlan', () => {
  it('every file exactly once, and the same plan for any order of files and timing sources', async () => {
    const path = fc.stringMatching(/^[a-c]{1,2}\/[a-z0-9_]{1,6}\.test\.ts$/);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(path, { minLength: 1, maxLength: 30 }),
        fc.array(fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 30, maxLength: 30 }), { minLength: 0, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        async (files, runSeconds, shards, seed) => {
          const cwd = makeTempDir();
          const sources = runSeconds.map((seconds, r) => {
            const name = `t${r}.json`;
            // some files unknown, some paths written as "./x" like Knapsack reports
            const map = Object.fromEntries(files.filter((_, i) => (i + r) % 4 !== 0).map((f, i) => [i % 2 ? `./${f}` : f, seconds[i]!]));
            writeFiles(cwd, { [name]: JSON.stringify(map) });
            return name;
          });
          const shuffled = [...files].sort((a, b) => ((hash(a, seed) - hash(b, seed)) || (a < b ? -1 : 1)));
          const a = await resolvePlan({ filesFrom: '-', timings: sources }, { shards, cwd, env, stdin: stdinOf(files) });
          const b = await resolvePlan({ filesFrom: '-', timings: [...sources].reverse() }, { shards, cwd, env, stdin: stdinOf(shuffled) });
          expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
          const planned = a.plan.shards.flatMap((s) => s.files);
          expect(planned.length).toBe(files.length);
          expect(new Set(planned)).toEqual(new Set(files));
          expect(a.plan.shards).toHaveLength(shards);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('narrates: no timings given, estimated files, a timings glob that matched nothing', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 't.json': JSON.stringify({ 'a.test.ts': 3 }) });
    const none = await resolvePlan({ filesFrom: '-' }, { shards: 2, cwd, env, stdin: stdinOf(['a.test.ts', 'b.test.ts']) });
    expect(none.warnings).toEqual(['no timings given (--timings or "timings" in the config): splitting by file count']);
    const some = await resolvePlan({ filesFrom: '-', timings: ['t.json'] }, { shards: 2, cwd, env, stdin: stdinOf(['a.test.ts', 'b.test.ts']) });
    expect(some.warnings).toEqual(['1 of 2 test files have no timings; their time was estimated from the other files']);
    const missing = await resolvePlan({ filesFrom: '-', timings: ['reports/*.xml'] }, { shards: 2, cwd, env, stdin: stdinOf(['a.test.ts']) });
    expect(missing.warnings.at(-1)).toBe('no timings found: splitting by file count');
    expect(missing.warnings.length).toBeGreaterThan(1); // the loader's own line naming the pattern
    // timings read, but none for these files: nothing was estimated "from the other files"
    writeFiles(cwd, { 'other.json': JSON.stringify({ 'elsewhere/a.test.ts': 3, 'gone.test.ts': 1 }) });
    const unrelated = await resolvePlan({ filesFrom: '-', timings: ['other.json'] }, { shards: 2, cwd, env, stdin: stdinOf(['x.test.ts', 'y.test.ts']) });
    expect(unrelated.warnings[0]).toBe(
      'none of the 2 test files is in the timings (1 source read): splitting by file count; they name 2 other paths (written from another folder, or for other files?)',
    );
  });
});

describe('groupSpec', () => {
  const config = (c: LoadedConfig['config']): LoadedConfig => ({ config: c, root: '/' });

  it('flag beats config; config groups beat config groupByDir; else none', () => {
    expect(groupSpec({ groupByDir: 2 }, config({ groups: { a: ['x/**'] } }))).toEqual({ kind: 'dir', depth: 2 });
    expect(groupSpec({}, config({ groups: { b: ['y/**'], a: ['x/**'] }, groupByDir: 1 }))).toEqual({
      kind: 'globs',
      groups: [
        { name: 'b', patterns: ['y/**'] },
        { name: 'a', patterns: ['x/**'] },
      ],
    });
    expect(groupSpec({}, config({ groupByDir: 3 }))).toEqual({ kind: 'dir', depth: 3 });
    expect(groupSpec({}, config({}))).toEqual({ kind: 'none' });
  });

  it('rejects a depth that is not a whole number ≥ 1', () => {
    expect(() => groupSpec({ groupByDir: 0 }, config({}))).toThrow(/--group-by-dir 0/);
    expect(() => groupSpec({ groupByDir: Number.NaN }, config({}))).toThrow(/--group-by-dir \(not a number\)/);
  });
});

function hash(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 2654435761);
  return h >>> 0;
}
