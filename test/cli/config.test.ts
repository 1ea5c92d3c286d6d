import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closest, loadConfig, parseJson, validateConfig } from '../../src/cli/config.js';
import { UserError } from '../../src/errors.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../e2e/helpers.js';

afterAll(removeTempDirs);

const LABEL = 'split-tests.config.json';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error('expected a UserError');
}

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const config = {
      tests: ['test/**/*.test.ts'],
      ignore: ['test/fixtures/**'],
      timings: ['reports/*.xml'],
      groups: { checkout: ['test/checkout/**'] },
      groupByDir: 2,
      shards: 4,
      history: '.split-tests/history.json',
      historyRunsPerFile: 10,
      historyRuns: 50,
      run: { command: ['npx', 'vitest', 'run', '{files}'], junit: 'reports/{shard}.xml', timeoutSeconds: 600, concurrency: 2, retries: 0 },
      pipeline: { build: 'npm run build', target: '10m', nodeOverheadSeconds: 30 },
    };
    expect(validateConfig(config, LABEL)).toEqual(config);
  });

  it('names the key and the bad value in one line', () => {
    expect(messageOf(() => validateConfig({ shards: 'x' }, LABEL))).toBe(
      'split-tests.config.json: "shards" must be a whole number ≥ 1, got "x"',
    );
    expect(messageOf(() => validateConfig({ shards: 0 }, LABEL))).toMatch(/"shards" must be a whole number ≥ 1, got 0/);
    expect(messageOf(() => validateConfig({ shards: 5000 }, LABEL))).toBe('split-tests.config.json: "shards" must be at most 1000 (each shard is a CI job), got 5000');
    expect(messageOf(() => validateConfig({ tests: 'a' }, LABEL))).toMatch(/"tests" must be an array of strings/);
    expect(messageOf(() => validateConfig({ tests: ['a', 3] }, LABEL))).toMatch(/"tests\[1\]" must be a non-empty string, got 3/);
    expect(messageOf(() => validateConfig({ groups: { a: [] } }, LABEL))).toMatch(/"groups\.a" must be a non-empty array/);
    expect(messageOf(() => validateConfig({ run: { timeoutSeconds: -1 } }, LABEL))).toMatch(/"run\.timeoutSeconds" must be a number > 0/);
    expect(messageOf(() => validateConfig({ run: { retries: 1.5 } }, LABEL))).toMatch(/"run\.retries" must be a whole number ≥ 0, got 1.5/);
    expect(messageOf(() => validateConfig([], LABEL))).toMatch(/must be a JSON object/);
  });

  it('rejects unknown keys with a did-you-mean', () => {
    expect(messageOf(() => validateConfig({ shard: 4 }, LABEL))).toBe('split-tests.config.json: unknown key "shard"; did you mean "shards"?');
    expect(messageOf(() => validateConfig({ run: { comand: ['x'] } }, LABEL))).toMatch(/unknown key "run\.comand"; did you mean "run\.command"\?/);
    expect(messageOf(() => validateConfig({ zzzzzzzz: 1 }, LABEL))).toBe('split-tests.config.json: unknown key "zzzzzzzz"');
  });

  it('finds near keys only', () => {
    expect(closest('groupbydir', ['groupByDir', 'groups'])).toBe('groupByDir');
    expect(closest('timing', ['timings', 'tests'])).toBe('timings');
    expect(closest('banana', ['timings', 'tests'])).toBeUndefined();
  });
});

describe('parseJson', () => {
  it('reports the line and column of a syntax error', () => {
    expect(messageOf(() => parseJson('{\n  "shards": 4,\n}', LABEL))).toMatch(/^split-tests\.config\.json:3:1: invalid JSON/);
  });
});

describe('loadConfig', () => {
  it('prefers split-tests.config.json, then package.json "split-tests", then nothing', async () => {
    const dir = makeTempDir();
    expect(await loadConfig({ cwd: dir })).toEqual({ config: {}, root: dir });
    writeFiles(dir, { 'package.json': JSON.stringify({ name: 'x', 'split-tests': { shards: 3 } }) });
    expect((await loadConfig({ cwd: dir })).config).toEqual({ shards: 3 });
    writeFiles(dir, { 'split-tests.config.json': JSON.stringify({ shards: 5 }) });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config).toEqual({ shards: 5 });
    expect(loaded.path).toBe(join(dir, 'split-tests.config.json'));
  });

  it('names package.json in messages about its "split-tests" key', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'package.json': JSON.stringify({ 'split-tests': { shards: 'x' } }) });
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/^package\.json "split-tests": "shards" must be a whole number/);
  });

  it('--config: reads the named file, resolves its root, and fails clearly when it is missing', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'ci/conf.json': JSON.stringify({ tests: ['t/**'] }) });
    const loaded = await loadConfig({ cwd: dir, path: 'ci/conf.json' });
    expect(loaded.root).toBe(join(dir, 'ci'));
    await expect(loadConfig({ cwd: dir, path: 'nope.json' })).rejects.toThrow(/--config nope\.json: file not found/);
    writeFiles(dir, { 'sub/package.json': JSON.stringify({ name: 'x', 'split-tests': { shards: 2 } }), 'other/package.json': '{"name":"y"}' });
    expect((await loadConfig({ cwd: dir, path: 'sub/package.json' })).config).toEqual({ shards: 2 });
    await expect(loadConfig({ cwd: dir, path: 'other/package.json' })).rejects.toThrow(/no "split-tests" key/);
  });
});
