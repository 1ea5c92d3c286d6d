import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.js';
import { loadTimings } from '../../src/timings/load.js';
import { tempTree } from './helpers.js';

const historyLike = fc.record(
  {
    version: fc.oneof(fc.constant(1), fc.anything()),
    files: fc.oneof(fc.dictionary(fc.string(), fc.array(fc.record({ run: fc.oneof(fc.string(), fc.integer()), seconds: fc.oneof(fc.double(), fc.string()) }))), fc.anything()),
    runs: fc.oneof(fc.array(fc.anything()), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('loadTimings on arbitrary content', () => {
  it('either reads it or throws a UserError naming the file, never anything else (property)', async () => {
    const cwd = await tempTree({});
    const files = ['a.ts', 'b/c.ts'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), historyLike.map((v) => JSON.stringify(v)), fc.string(), fc.dictionary(fc.string(), fc.double()).map((v) => JSON.stringify(v))),
        async (content) => {
          await writeFile(join(cwd, 't.json'), content);
          try {
            const loaded = await loadTimings(['t.json'], { cwd, files });
            for (const run of loaded.runs) for (const file of run.seconds.keys()) expect(files).toContain(file);
          } catch (error) {
            if (!isUserError(error)) throw error;
            expect(error.message.startsWith('t.json')).toBe(true);
            expect(error.message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
