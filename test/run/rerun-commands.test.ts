import { describe, expect, it } from 'vitest';
import { rerunCommands, selectionShape } from '../../src/run/rerun-commands.js';
import { RUNNER_NAMES, runnerPreset } from '../../src/runners/index.js';

const preset = (name: string) => runnerPreset(name);
const known = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('how a preset selection combines over files', () => {
  it('every selecting preset has a shape: pytest among files, playwright per file, the rest one global filter', () => {
    const shapes = Object.fromEntries(RUNNER_NAMES.filter((n) => preset(n).selectTests !== undefined).map((n) => [n, selectionShape(preset(n))]));
    expect(shapes).toEqual({ vitest: 'global-filter', jest: 'global-filter', playwright: 'per-file', mocha: 'global-filter', node: 'global-filter', 'cucumber-js': 'global-filter', pytest: 'among-files', rspec: 'global-filter' });
  });
});

describe('the commands of a rerun', () => {
  it('pytest: one command naming every failed test by node id', () => {
    const commands = rerunCommands(preset('pytest'), [{ file: 'a.py', tests: ['t1', 'C::t2'] }, { file: 'b.py', tests: ['t1'] }], known({}));
    expect(commands).toEqual([{ args: ['a.py::t1', 'a.py::C::t2', 'b.py::t1'], files: ['a.py', 'b.py'], tests: [{ file: 'a.py', test: 't1' }, { file: 'a.py', test: 'C::t2' }, { file: 'b.py', test: 't1' }] }]);
  });

  it('vitest: files share one anchored filter when no selected name is a test of another file left out', () => {
    const commands = rerunCommands(preset('vitest'), [{ file: 'x.test.ts', tests: ['cart > adds'] }, { file: 'y.test.ts', tests: ['ab'] }], known({ 'x.test.ts': ['cart > adds', 'cart > adds twice'], 'y.test.ts': ['ab', 'a'] }));
    const filter = preset('vitest').selectTests!('any', ['cart > adds', 'ab']).slice(0, -1);
    expect(commands).toEqual([{ args: [...filter, 'x.test.ts', 'y.test.ts'], files: ['x.test.ts', 'y.test.ts'], tests: [{ file: 'x.test.ts', test: 'cart > adds' }, { file: 'y.test.ts', test: 'ab' }] }]);
  });

  it("vitest: a failed 'a' in one file never reruns another file's passing 'a' (its full name as -t sees it)", () => {
    const commands = rerunCommands(
      preset('vitest'),
      [{ file: 'x.test.ts', tests: ['cart > adds'] }, { file: 'y.test.ts', tests: ['b'] }, { file: 'z.test.ts', tests: ['c'] }],
      known({ 'x.test.ts': ['cart > adds'], 'y.test.ts': ['cart adds', 'b'], 'z.test.ts': ['c'] }),
    );
    expect(commands.map((c) => c.files)).toEqual([['x.test.ts', 'z.test.ts'], ['y.test.ts']]);
    expect(commands[0]!.args).toEqual([...preset('vitest').selectTests!('any', ['cart > adds', 'c']).slice(0, -1), 'x.test.ts', 'z.test.ts']);
  });

  it('the check runs both ways: a file whose left-out test another file selects, and one selecting what a grouped file left out', () => {
    const batches = [{ file: 'x.js', tests: ['a'] }, { file: 'y.js', tests: ['b'] }];
    expect(rerunCommands(preset('mocha'), batches, known({ 'x.js': ['a', 'b'], 'y.js': ['b'] }))).toHaveLength(2);
    expect(rerunCommands(preset('mocha'), batches, known({ 'x.js': ['a'], 'y.js': ['b', 'a'] }))).toHaveLength(2);
    expect(rerunCommands(preset('mocha'), batches, known({ 'x.js': ['a', 'c'], 'y.js': ['b', 'd'] }))).toHaveLength(1);
  });

  it('jest: names that differ only in case select each other (-t is case-insensitive), so they are kept apart', () => {
    const commands = rerunCommands(preset('jest'), [{ file: 'x.test.js', tests: ['Adds'] }, { file: 'y.test.js', tests: ['other'] }], known({ 'x.test.js': ['Adds'], 'y.test.js': ['adds', 'other'] }));
    expect(commands.map((c) => c.files)).toEqual([['x.test.js'], ['y.test.js']]);
  });

  it('rspec and cucumber-js: the same grouping with their own filters', () => {
    const rspec = rerunCommands(preset('rspec'), [{ file: 'a_spec.rb', tests: ['cart adds'] }, { file: 'b_spec.rb', tests: ['x'] }], known({}));
    expect(rspec).toEqual([{ args: ['-E', '\\A(?:cart\\ adds|x)\\z', 'a_spec.rb', 'b_spec.rb'], files: ['a_spec.rb', 'b_spec.rb'], tests: expect.any(Array) as unknown }]);
    const cucumber = rerunCommands(preset('cucumber-js'), [{ file: 'a.feature', tests: ['s'] }, { file: 'b.feature', tests: ['s'] }], known({}));
    expect(cucumber.map((c) => c.args)).toEqual([['--name', '^(?:s)$', 'a.feature', 'b.feature']]);
  });

  it('playwright: its filter names the file, so one command a file', () => {
    const commands = rerunCommands(preset('playwright'), [{ file: 'a.spec.ts', tests: ['t'] }, { file: 'b.spec.ts', tests: ['t'] }], known({}));
    expect(commands.map((c) => c.files)).toEqual([['a.spec.ts'], ['b.spec.ts']]);
    expect(commands[0]!.args).toEqual([...preset('playwright').selectTests!('a.spec.ts', ['t'])]);
  });

  it('nothing failed: no command', () => {
    expect(rerunCommands(preset('vitest'), [], known({}))).toEqual([]);
  });
});

describe('what --rerun-failed needs', () => {
  it('a preset that selects tests; with a name filter over the whole run, a command that writes to {junit}', async () => {
    const { rerunFailedProblem } = await import('../../src/run/rerun-failed.js');
    const { commandWithPreset } = await import('../../src/runners/command.js');
    expect(rerunFailedProblem(undefined, 'r.xml', ['x'], {})?.message).toBe('--rerun-failed needs --runner with test selection (no --runner given)');
    for (const name of RUNNER_NAMES.filter((n) => preset(n).selectTests !== undefined)) {
      const { command, env } = commandWithPreset(preset(name), undefined, 'r.xml');
      expect(rerunFailedProblem(preset(name), 'r.xml', command, env), name).toBeUndefined();
    }
    expect(rerunFailedProblem(preset('vitest'), 'r.xml', ['npx', 'vitest', 'run', '--outputFile=r.xml'], {})?.message).toMatch(/must write its report to \{junit\}/);
    expect(rerunFailedProblem(preset('pytest'), 'r.xml', ['pytest', '--junitxml=r.xml'], {})).toBeUndefined(); // one command a shard
  });
});

describe("twins the preset's filter cannot tell apart", () => {
  it('jest: σ and ς are one name to a case-insensitive -t (both upper-case to Σ): not grouped', () => {
    const commands = rerunCommands(preset('jest'), [{ file: 'x.test.js', tests: ['σ'] }, { file: 'y.test.js', tests: ['other'] }], known({ 'x.test.js': ['σ'], 'y.test.js': ['ς', 'other'] }));
    expect(commands.map((c) => c.files)).toEqual([['x.test.js'], ['y.test.js']]);
  });
});
