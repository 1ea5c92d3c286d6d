import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadTimings } from '../../src/timings/load.js';
import { secondsOf, tempTree } from './helpers.js';

const files = ['spec/a_spec.rb', 'spec/b_spec.rb', 'tests/test_x.py', 'tests/test_y.py'];

describe('loadTimings: JSON maps', () => {
  it('reads a Knapsack map as one run, normalising keys and keeping only discovered files', async () => {
    const cwd = await tempTree({
      'knapsack_rspec_report.json': JSON.stringify({ './spec/a_spec.rb': 3.5, 'spec/b_spec.rb': 1.25, 'spec/gone_spec.rb': 9 }),
    });
    const loaded = await loadTimings(['knapsack_rspec_report.json'], { cwd, files });
    expect(loaded.sources).toEqual(['knapsack_rspec_report.json']);
    expect(loaded.runs).toHaveLength(1);
    expect(loaded.runs[0]?.source).toBe('knapsack_rspec_report.json');
    expect(loaded.runs[0]?.timestamp).toBeUndefined();
    expect(secondsOf(loaded.runs[0])).toEqual({ 'spec/a_spec.rb': 3.5, 'spec/b_spec.rb': 1.25 });
    expect(loaded.unmappedFiles).toBe(1);
    expect(loaded.unmappedCases).toBe(0);
    expect(loaded.warnings).toEqual([]);
  });

  it('maps keys written on another machine by path suffix', async () => {
    const cwd = await tempTree({ 'k.json': JSON.stringify({ '/builds/acme/shop/spec/a_spec.rb': 2 }) });
    const loaded = await loadTimings(['k.json'], { cwd, files });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'spec/a_spec.rb': 2 });
    expect(loaded.unmappedFiles).toBe(0);
  });

  it('keeps every key when no files are given', async () => {
    const cwd = await tempTree({ 'k.json': JSON.stringify({ './x/one.ts': 1, 'y\\two.ts': 2 }) });
    const loaded = await loadTimings(['k.json'], { cwd, files: [] });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'x/one.ts': 1, 'y/two.ts': 2 });
  });

  it('sums pytest-split test ids per file, from a file without extension', async () => {
    const cwd = await tempTree({
      '.test_durations': JSON.stringify({
        'tests/test_x.py::test_one': 0.5,
        'tests/test_x.py::TestK::test_two[1-2]': 0.25,
        'tests/test_y.py::test_three': 2,
        'tests/test_gone.py::test_four': 1,
        'tests/test_gone.py::test_five': 1,
      }),
    });
    const loaded = await loadTimings(['.test_durations'], { cwd, files });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'tests/test_x.py': 0.75, 'tests/test_y.py': 2 });
    expect(loaded.unmappedFiles).toBe(1);
    expect(loaded.unmappedCases).toBe(2);
  });

  it("reads pytest-split's old list-of-pairs format", async () => {
    const cwd = await tempTree({ d: JSON.stringify([['tests/test_x.py::a', 1], ['tests/test_x.py::b', 2]]) });
    const loaded = await loadTimings(['d'], { cwd, files });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'tests/test_x.py': 3 });
  });

  it('expands globs into one run per file, sorted by code units, and warns on a glob that matches nothing', async () => {
    const cwd = await tempTree({
      'timings/002.json': JSON.stringify({ 'spec/a_spec.rb': 2 }),
      'timings/001.json': JSON.stringify({ 'spec/a_spec.rb': 1 }),
      'timings/B.json': JSON.stringify({ 'spec/a_spec.rb': 3 }),
      'node_modules/pkg/timings/x.json': JSON.stringify({ 'spec/a_spec.rb': 100 }),
    });
    const loaded = await loadTimings(['**/timings/*.json', 'nothing/*.xml', 'timings/001.json'], { cwd, files });
    expect(loaded.sources).toEqual(['timings/001.json', 'timings/002.json', 'timings/B.json']);
    expect(loaded.runs.map((r) => r.source)).toEqual(loaded.sources);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain('nothing/*.xml');
  });

  it('uses a plain path that exists as it is, even with glob characters in its name', async () => {
    const cwd = await tempTree({ 'timings [old]/k(1).json': JSON.stringify({ 'spec/a_spec.rb': 4 }) });
    const loaded = await loadTimings(['timings [old]/k(1).json'], { cwd, files });
    expect(loaded.sources).toEqual(['timings [old]/k(1).json']);
    expect(secondsOf(loaded.runs[0])).toEqual({ 'spec/a_spec.rb': 4 });
  });

  it('reads a folder as the timings files under it, skipping runner sidecars', async () => {
    const cwd = await tempTree({
      'reports/k.json': JSON.stringify({ 'spec/a_spec.rb': 4 }),
      'reports/shard-1.xml.split-tests.json': JSON.stringify({ schemaVersion: 1, index: 1 }),
      'reports/notes.txt': 'hello',
    });
    const loaded = await loadTimings(['reports'], { cwd, files });
    expect(loaded.sources).toEqual(['reports/k.json']);
  });

  it('returns no runs and a warning when nothing matches', async () => {
    const cwd = await tempTree({});
    const loaded = await loadTimings(['reports/*.xml'], { cwd, files });
    expect(loaded.runs).toEqual([]);
    expect(loaded.sources).toEqual([]);
    expect(loaded.warnings).toEqual(["--timings 'reports/*.xml' matched no files"]);
  });
});

describe('loadTimings: bad input', () => {
  async function failure(content: string, name = 'bad.json'): Promise<UserError> {
    const cwd = await tempTree({ [name]: content });
    const error = await loadTimings([name], { cwd, files }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }

  it('names the file, line and column of malformed JSON, exit 2', async () => {
    const error = await failure('{\n  "spec/a_spec.rb": 1,\n  "spec/b_spec.rb": tru\n}');
    expect(error.message).toMatch(/^bad\.json:3:21: malformed JSON/);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toBeTruthy();
  });

  it('points at the end of truncated JSON', async () => {
    const error = await failure('{\n  "spec/a_spec.rb": 1,\n');
    expect(error.message).toMatch(/^bad\.json:3:1: malformed JSON: unexpected end of input/);
  });

  it('points at a missing comma', async () => {
    const error = await failure('{"a": 1\n "b": 2}');
    expect(error.message).toMatch(/^bad\.json:2:2: malformed JSON: expected ',' or '}'/);
  });

  it('rejects a value that is not a number of seconds, naming the key', async () => {
    const error = await failure(JSON.stringify({ 'spec/a_spec.rb': 'slow' }));
    expect(error.message).toContain('bad.json');
    expect(error.message).toContain('"spec/a_spec.rb"');
    expect((await failure(JSON.stringify({ x: -1 }))).message).toContain('-1');
  });

  it('rejects an empty file and a file that is neither XML nor JSON', async () => {
    expect((await failure('')).message).toBe('bad.json: the timings file is empty');
    expect((await failure('path,seconds\na,1\n', 't.csv')).message).toMatch(/^t\.csv:1:1: neither JUnit XML nor JSON/);
    expect((await failure('42')).message).toMatch(/^bad\.json:1:1: neither/);
  });

  it('names an unreadable file', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const cwd = await tempTree({ 'locked.json': '{}' });
    await chmod(join(cwd, 'locked.json'), 0o000);
    const error = await loadTimings(['locked.json'], { cwd, files }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('locked.json: cannot read the timings file (permission denied)');
  });
});

describe('loadTimings: keys that are class names', () => {
  it('maps a class-name key (a history recorded without a file list) but never a path to another file', async () => {
    const cwd = await tempTree({ 'k.json': JSON.stringify({ 'com.acme.CartTest': 3, 'src/test/java/com/acme/GoneTest.java': 4 }) });
    const loaded = await loadTimings(['k.json'], { cwd, files: ['src/test/java/com/acme/CartTest.java', 'src/test/java/com/acme/Gone.java'] });
    expect(secondsOf(loaded.runs[0])).toEqual({ 'src/test/java/com/acme/CartTest.java': 3 });
    expect(loaded.unmappedFiles).toBe(1);
  });
});
