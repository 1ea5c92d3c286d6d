import { describe, expect, it } from 'vitest';
import { checkCompleteness } from '../../src/junit/completeness.js';
import type { ShardNote } from '../../src/junit/shard-notes.js';

function note(report: string, index: number, files: string[], syntheticReport?: boolean): ShardNote {
  return {
    report,
    meta: { schemaVersion: 1, index, total: 2, fingerprint: 'f', files, estimatedSeconds: 1, wallSeconds: 1, exitCode: 0, startedAt: '2026-01-01T00:00:00Z', ...(syntheticReport ? { syntheticReport } : {}) },
  };
}

describe('checkCompleteness with placeholder reports', () => {
  const planned = ['a.js', 'b.js', 'c.js'];

  it('a placeholder testcase never makes a file count as run; a real one elsewhere still does', () => {
    // b.js: its placeholder and a real testcase from a rerun; c.js: only its placeholder
    const casesByFile = new Map([['a.js', 3], ['b.js', 2], ['c.js', 1]]);
    const placeholders = [{ report: 'r/2.xml', shard: '2/2', files: ['b.js', 'c.js'] }];
    const check = checkCompleteness({ plannedFiles: planned, notes: [], casesByFile, placeholders }, 'plan');
    expect(check.missingFiles).toEqual(['c.js']);
    expect(check.noReport).toEqual(placeholders);
  });

  it('a shard note saying syntheticReport counts the same, once per report even with the marker too', () => {
    const casesByFile = new Map([['a.js', 1], ['b.js', 1], ['c.js', 1]]);
    const notes = [note('r/1.xml', 1, ['a.js']), note('r/2.xml', 2, ['b.js', 'c.js'], true)];
    const fromNotes = checkCompleteness({ plannedFiles: planned, notes, casesByFile }, 'plan');
    expect(fromNotes.missingFiles).toEqual(['b.js', 'c.js']);
    expect(fromNotes.noReport).toEqual([{ report: 'r/2.xml', shard: '2/2', files: ['b.js', 'c.js'] }]);
    const both = checkCompleteness({ plannedFiles: planned, notes, casesByFile, placeholders: fromNotes.noReport }, 'plan');
    expect(both.missingFiles).toEqual(['b.js', 'c.js']);
    expect(both.noReport).toHaveLength(1);
  });

  it('an empty shard (no files, nothing started) is no missing report', () => {
    const check = checkCompleteness({ plannedFiles: ['a.js'], notes: [note('r/1.xml', 1, ['a.js']), note('r/2.xml', 2, [], true)], casesByFile: new Map([['a.js', 1]]) }, 'plan');
    expect(check).toMatchObject({ missingFiles: [], noReport: [] });
  });
});
