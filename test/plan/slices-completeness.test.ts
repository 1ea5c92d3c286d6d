import { describe, expect, it } from 'vitest';
import { checkSlices } from '../../src/junit/slice-completeness.js';

const slices = [
  { file: 'a.py', slice: 1, of: 2, tests: ['t1', 't2'] },
  { file: 'a.py', slice: 2, of: 2, tests: ['t3'] },
];
const ran = (entries: Record<string, number>) => new Map([['a.py', new Map(Object.entries(entries))]]);

describe('merge completeness of split files', () => {
  it('is complete when the slices together ran every planned test once; new tests are welcome', () => {
    expect(checkSlices(slices, ran({ t1: 1, t2: 1, t3: 1, t_new: 1 }))).toEqual({ missingTests: [], duplicateTests: [], slices: 2 });
  });

  it('names a planned test that ran in no slice, unless the run found the file no longer holds it', () => {
    expect(checkSlices(slices, ran({ t1: 1, t3: 1 })).missingTests).toEqual(['a.py::t2']);
    expect(checkSlices(slices, ran({ t1: 1, t3: 1 }), new Set(['a.py::t2'])).missingTests).toEqual([]);
    expect(checkSlices(slices, new Map()).missingTests).toEqual(['a.py::t1', 'a.py::t2', 'a.py::t3']);
  });

  it('calls a test that ran in two slices a duplicate', () => {
    expect(checkSlices(slices, ran({ t1: 1, t2: 1, t3: 2 })).duplicateTests).toEqual([{ test: 'a.py::t3', count: 2 }]);
  });
});
