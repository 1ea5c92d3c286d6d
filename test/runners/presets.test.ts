import { describe, expect, it } from 'vitest';
import { commandWithPreset } from '../../src/runners/command.js';
import { RUNNER_NAMES, runnerPreset } from '../../src/runners/index.js';
import { exactJsPattern, exceptJsPattern } from '../../src/runners/patterns.js';
import { UserError } from '../../src/errors.js';

/** The hostile names of fixtures/runners: regex metacharacters, quotes, unicode, a prefix of another. */
const NAMES = ['prefix', 'prefix and more', 'regex .*+?^${}()|[]\\ chars', `quotes "double" and 'single'`, 'unicode café ✓ 日本', 'x prefix'];

describe('runner registry', () => {
  it('knows the eight runners by name', () => {
    expect(RUNNER_NAMES).toEqual(['vitest', 'jest', 'playwright', 'mocha', 'node', 'cucumber-js', 'pytest', 'rspec']);
    for (const name of RUNNER_NAMES) expect(runnerPreset(name).name).toBe(name);
  });

  it('an unknown name is one line that lists the known ones and names where it came from', () => {
    expect(() => runnerPreset('vitset')).toThrow(UserError);
    expect(() => runnerPreset('vitset')).toThrow('--runner "vitset": unknown runner; known runners: vitest, jest, playwright, mocha, node, cucumber-js, pytest, rspec');
    expect(() => runnerPreset('ava', 'split-tests.config.json "runner"')).toThrow(/^split-tests.config.json "runner" "ava": unknown runner/);
  });
});

describe('JavaScript name patterns', () => {
  it.each(NAMES)('selecting %j matches that name and no other', (name) => {
    const re = new RegExp(exactJsPattern([name]));
    expect(NAMES.filter((n) => re.test(n))).toEqual([name]);
    // jest compiles -t with the i flag, playwright with gi, node and mocha plainly: all must hold
    expect(NAMES.filter((n) => new RegExp(exactJsPattern([name]), 'i').test(n))).toEqual([name]);
  });

  it('several names, and every name but these', () => {
    const picked = [NAMES[0]!, NAMES[2]!];
    expect(NAMES.filter((n) => new RegExp(exactJsPattern(picked)).test(n))).toEqual(picked);
    expect(NAMES.filter((n) => new RegExp(exceptJsPattern(picked)).test(n))).toEqual(NAMES.filter((n) => !picked.includes(n)));
  });

  it('compiles under the u flag too', () => {
    expect(() => new RegExp(exactJsPattern(NAMES), 'u')).not.toThrow();
  });
});

describe('commandWithPreset', () => {
  const vitest = runnerPreset('vitest');

  it("without a command: the preset's own, its JUnit reporter before the files", () => {
    expect(commandWithPreset(vitest, undefined, 'reports/junit-{shard}.xml')).toEqual({
      command: ['npx', '--no', '--', 'vitest', 'run', '--reporter=default', '--reporter=junit', '--outputFile.junit={junit}', '{files}'],
      env: {},
    });
  });

  it('a command of the user wins; the preset adds its reporter before {files}, else before the appended files', () => {
    expect(commandWithPreset(vitest, ['pnpm', 'vitest', 'run', '{files}', '--bail=1'], 'r.xml').command).toEqual([
      'pnpm', 'vitest', 'run', '--reporter=default', '--reporter=junit', '--outputFile.junit={junit}', '{files}', '--bail=1',
    ]);
    expect(commandWithPreset(vitest, ['pnpm', 'vitest', 'run'], 'r.xml').command.slice(-2)).toEqual(['--outputFile.junit={junit}', '{files}']);
  });

  it('a command that writes the report itself ({junit} or the --junit path) gets nothing added', () => {
    const own = ['npx', 'vitest', 'run', '--reporter=junit', '--outputFile={junit}'];
    expect(commandWithPreset(vitest, own, 'r-{shard}.xml')).toEqual({ command: own, env: {} });
    const literal = ['npx', 'vitest', 'run', '--outputFile=r-{shard}.xml'];
    expect(commandWithPreset(vitest, literal, 'r-{shard}.xml')).toEqual({ command: literal, env: {} });
  });

  it('without --junit: the runner runs with its own output only', () => {
    expect(commandWithPreset(runnerPreset('pytest'), undefined, undefined)).toEqual({ command: ['python3', '-m', 'pytest', '{files}'], env: {} });
  });

  it('reporter settings that live in the environment keep the {junit} placeholder for each shard', () => {
    expect(commandWithPreset(runnerPreset('jest'), undefined, 'r.xml').env).toMatchObject({ JEST_JUNIT_OUTPUT_FILE: '{junit}', JEST_JUNIT_ADD_FILE_ATTRIBUTE: 'true' });
    expect(commandWithPreset(runnerPreset('playwright'), undefined, 'r.xml').env).toEqual({ PLAYWRIGHT_JUNIT_OUTPUT_FILE: '{junit}' });
  });
});

describe('testcases back to (file, test id)', () => {
  it('pytest: the node id after the file, classes from the class name less the module', () => {
    const pytest = runnerPreset('pytest');
    expect(pytest.testOf({ name: 'test_adds_an_item', classname: 'tests.test_cart.TestCart.TestItems', file: 'tests/test_cart.py', suites: [], seconds: 0, status: 'passed' }))
      .toEqual({ file: 'tests/test_cart.py', test: 'TestCart::TestItems::test_adds_an_item' });
    expect(pytest.testOf({ name: 'test_names[a::b [c]]', classname: 'tests.nested.test_h', file: 'tests/nested/test_h.py', suites: [], seconds: 0, status: 'passed' }))
      .toEqual({ file: 'tests/nested/test_h.py', test: 'test_names[a::b [c]]' });
    expect(pytest.selectTests!('tests/test_cart.py', ['TestCart::test_totals'])).toEqual(['tests/test_cart.py::TestCart::test_totals']);
  });

  it("jest: the full name without the leading space of a test outside describe; mocha: its class and name", () => {
    expect(runnerPreset('jest').testOf({ name: ' top level', classname: 'a.test.js', file: 'a.test.js', suites: [], seconds: 0, status: 'passed' })?.test).toBe('top level');
    expect(runnerPreset('mocha').testOf({ name: 'adds', classname: 'cart items', file: 't/a.test.js', suites: [], seconds: 0, status: 'passed' })).toEqual({ file: 't/a.test.js', test: 'cart items adds' });
    expect(runnerPreset('mocha').testOf({ name: 'top', classname: '', file: 't/a.test.js', suites: [], seconds: 0, status: 'passed' })?.test).toBe('top');
  });

  it('vitest and playwright select by their full names, joined the way their filters see them', () => {
    expect(runnerPreset('vitest').selectTests!('t/a.test.ts', ['cart > items > adds'])).toEqual(['-t', '^(?:cart (?:> )*items (?:> )*adds)$', 't/a.test.ts']);
    const [pass, flag, grep, file] = runnerPreset('playwright').selectTests!('tests/a b/c.spec.ts', ['cart › adds (1)']);
    // a slice whose tests are all gone since the history runs nothing, not "No tests found" (exit 1)
    expect(pass).toBe('--pass-with-no-tests');
    expect(flag).toBe('--grep');
    expect(new RegExp(grep!).test('chromium a b/c.spec.ts cart adds (1)')).toBe(true);
    expect(new RegExp(grep!).test('chromium a b/c.spec.ts x cart adds (1)')).toBe(false);
    expect(new RegExp(file!.slice(1, -1)).test('/home/ci/tests/a b/c.spec.ts')).toBe(true);
    expect(new RegExp(file!.slice(1, -1)).test('/home/ci/tests/a b/xc.spec.ts')).toBe(false);
  });

  it('capabilities a runner lacks are undefined', () => {
    expect(runnerPreset('node').excludeTests).toBeUndefined();
    expect(runnerPreset('node').listTests).toBeUndefined();
    // --deselect takes node id prefixes: deselecting test_prefix would drop test_prefix_and_more too
    expect(runnerPreset('pytest').excludeTests).toBeUndefined();
    expect(runnerPreset('rspec').excludeTests).toBeDefined();
  });
});
