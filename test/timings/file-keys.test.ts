import { describe, expect, it } from 'vitest';
import { createKeyMapper } from '../../src/timings/file-keys.js';

describe('createKeyMapper: never one file for another', () => {
  it('keeps a POSIX name with a backslash apart from the file its normalised name would be', () => {
    const both = createKeyMapper(['a/b.test.ts', 'a\\b.test.ts']);
    expect(both('a\\b.test.ts')).toBe('a\\b.test.ts');
    expect(both('a/b.test.ts')).toBe('a/b.test.ts');
    expect(both('./a/b.test.ts')).toBe('a/b.test.ts');
    // alone, its time still reaches it (before: mapped to a/b.test.ts, a file not in the plan)
    expect(createKeyMapper(['a\\b.test.ts'])('a\\b.test.ts')).toBe('a\\b.test.ts');
  });

  it('maps a key to a file outside the project by its own absolute name', () => {
    const mapKey = createKeyMapper(['/elsewhere/x.test.ts', 'spec/z_spec.rb']);
    expect(mapKey('/elsewhere/x.test.ts')).toBe('/elsewhere/x.test.ts');
    expect(mapKey('/spec/z_spec.rb')).toBe('spec/z_spec.rb'); // Knapsack's "/" is the project root
  });
});
