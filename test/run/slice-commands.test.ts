import { describe, expect, it } from 'vitest';
import type { Plan, ShardSlice } from '../../src/plan/types.js';
import { playwright } from '../../src/runners/playwright.js';
import { vitest } from '../../src/runners/vitest.js';
import { jest } from '../../src/runners/jest.js';
import { keepOwnTests, ownedTests, sliceCommands } from '../../src/run/slice-commands.js';

const FILE = 'tests/heavy.test.js';

function planWith(slices: ShardSlice[][]): Plan {
  return { shards: slices.map((list, i) => ({ index: i + 1, files: [], estimatedSeconds: 1, estimatedTestSeconds: 1, estimatedOverheadSeconds: 0, groups: [], fileSeconds: [], slices: list })) } as unknown as Plan;
}

const slice = (n: number, tests: string[]): ShardSlice => ({ file: FILE, slice: n, of: 3, tests, estimatedSeconds: 1 });
const plan = planWith([[slice(1, ['a'])], [slice(2, ['b', 'c'])], [slice(3, ['d'])]]);

describe('slice commands (runners whose selection filters the whole run)', () => {
  it('slice 1 runs every test but the other slices\' (exclusion), the others select their own', () => {
    const [first] = sliceCommands(plan, 1, vitest);
    expect(first!.args).toEqual(vitest.excludeTests!(FILE, ['b', 'c', 'd']));
    expect([...ownedTests(first!, ['a', 'added later', 'b', 'd'], vitest)].sort()).toEqual(['a', 'added later']);
    const [second] = sliceCommands(plan, 2, vitest);
    expect(second!.args).toEqual(vitest.selectTests!(FILE, ['b', 'c']));
    expect([...ownedTests(second!, ['a', 'b', 'c', 'added later'], vitest)].sort()).toEqual(['b', 'c']);
  });

  it('owns twins as the pattern matched them: a test added since the history that jest cannot tell from another slice\'s runs (and counts) there', () => {
    const twins = planWith([[slice(1, ['a'])], [slice(2, ['Foo'])]]);
    const [first] = sliceCommands(twins, 1, jest);
    const [second] = sliceCommands(twins, 2, jest);
    // "foo" (added since) is excluded from slice 1 with its twin "Foo" and selected by slice 2
    expect(ownedTests(first!, ['a', 'foo'], jest).has('foo')).toBe(false);
    expect(ownedTests(second!, ['Foo', 'foo', 'a'], jest)).toEqual(new Set(['Foo', 'foo']));
    // vitest tells them apart
    expect(ownedTests(sliceCommands(twins, 1, vitest)[0]!, ['a', 'foo'], vitest).has('foo')).toBe(true);
  });

  it('keeps only the slice\'s own testcases of its file; the filter\'s skips and unknown cases stay out or in as they should', () => {
    const xml = `<?xml version="1.0"?>
<testsuites><testsuite name="${FILE}">
<testcase classname="${FILE}" name="b" time="1"></testcase>
<testcase classname="${FILE}" name="a" time="0"><skipped/></testcase>
<testcase classname="${FILE}" name="c" time="1"><failure message="x"/></testcase>
<testcase classname="tests/other.test.js" name="b" time="1"></testcase>
</testsuite></testsuites>`;
    const [second] = sliceCommands(plan, 2, vitest);
    const { text, removed, kept } = keepOwnTests(xml, 'r.xml', second!, vitest);
    expect(text).not.toMatch(/name="a"/);
    expect(text).not.toMatch(/other\.test\.js/);
    expect(text.match(/<testcase /g)).toHaveLength(2);
    expect([...kept].sort()).toEqual(['b', 'c']);
    // the skipped one is the filter's; the other file's ran, and is counted as left out
    expect(removed).toBe(1);
  });

  it('reads playwright\'s testDir-relative file names as the planned file', () => {
    const pw = planWith([[{ ...slice(1, ['x']), file: 'tests/nested/a.spec.js' }], [{ ...slice(2, ['y']), file: 'tests/nested/a.spec.js' }]]);
    const [second] = sliceCommands(pw, 2, playwright);
    const xml = '<testsuites><testsuite name="nested/a.spec.js"><testcase classname="nested/a.spec.js" name="y" time="1"/></testsuite></testsuites>';
    expect([...keepOwnTests(xml, 'r.xml', second!, playwright).kept]).toEqual(['y']);
  });
});
