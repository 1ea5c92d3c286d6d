import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePath } from '../../src/paths.js';
import { cleanPath } from '../../src/timings/clean-path.js';

describe('cleanPath', () => {
  it('equals normalisePath on any path (property)', () => {
    const path = fc.array(fc.constantFrom('a', 'b', '/', '.', '\\', ' '), { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(fc.property(path, (p) => {
        expect(cleanPath(p)).toBe(normalisePath(p));
      }), { numRuns: 5000 });
  });
});
