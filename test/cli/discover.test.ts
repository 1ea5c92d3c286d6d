import { afterAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { discoverFiles, parseFileList } from '../../src/cli/discover.js';
import { makeTempDir, removeTempDirs, writeFiles } from '../e2e/helpers.js';

afterAll(removeTempDirs);

function tree(): string {
  const dir = makeTempDir();
  writeFiles(dir, {
    'test/b.test.ts': '',
    'test/a.test.ts': '',
    'test/Z.test.ts': '',
    'test/deep/c.test.ts': '',
    'test/fixtures/f.test.ts': '',
    'test/.hidden/h.test.ts': '',
    'node_modules/pkg/x.test.ts': '',
    'test/node_modules/y.test.ts': '',
    'src/a.ts': '',
  });
  return dir;
}

describe('discoverFiles', () => {
  it('globs files only, skips node_modules and dot folders, sorts by code units', async () => {
    const cwd = tree();
    const found = await discoverFiles({ globs: ['**/*.test.ts'], cwd });
    expect(found.files).toEqual(['test/Z.test.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/deep/c.test.ts', 'test/fixtures/f.test.ts']);
  });

  it('applies config ignore and de-duplicates overlapping globs', async () => {
    const cwd = tree();
    const found = await discoverFiles({ globs: ['test/*.test.ts', './test/a.test.ts', 'test/**/*.test.ts'], ignore: ['test/fixtures/**'], cwd });
    expect(found.files).toEqual(['test/Z.test.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/deep/c.test.ts']);
  });

  it('warns about a glob that matches nothing, fails when nothing matches at all', async () => {
    const cwd = tree();
    const found = await discoverFiles({ globs: ['test/a.test.ts', 'nope/**'], cwd });
    expect(found.warnings).toEqual(["test glob 'nope/**' matched no files"]);
    await expect(discoverFiles({ globs: ['nope/**'], cwd })).rejects.toThrow("no test files found: test glob 'nope/**' matched nothing");
    await expect(discoverFiles({ cwd })).rejects.toThrow(/no test files given/);
  });

  it('uses --files-from when no globs are given, without checking the files exist', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'list.txt': '# comment\r\n./b.ts\r\n\r\na.ts\n  c/d.ts  \n' });
    expect((await discoverFiles({ filesFrom: 'list.txt', cwd })).files).toEqual(['a.ts', 'b.ts', 'c/d.ts']);
    writeFiles(cwd, { 'abs.txt': `${cwd}/x/y.ts\n/spec/z_spec.rb\n` });
    expect((await discoverFiles({ filesFrom: 'abs.txt', cwd })).files).toEqual(['spec/z_spec.rb', 'x/y.ts']);
    const stdin = Readable.from([Buffer.from('y.ts\nx.ts\n')]);
    expect((await discoverFiles({ filesFrom: '-', cwd, stdin })).files).toEqual(['x.ts', 'y.ts']);
    await expect(discoverFiles({ filesFrom: 'missing.txt', cwd })).rejects.toThrow(/--files-from missing\.txt: file not found/);
    writeFiles(cwd, { 'empty.txt': '\n# nothing\n' });
    await expect(discoverFiles({ filesFrom: 'empty.txt', cwd })).rejects.toThrow(/no test files found/);
  });

  it('falls back to config tests, globbed from the config folder and printed relative to cwd', async () => {
    const cwd = tree();
    const found = await discoverFiles({ configTests: ['*.test.ts'], root: `${cwd}/test`, cwd });
    expect(found.files).toEqual(['test/Z.test.ts', 'test/a.test.ts', 'test/b.test.ts']);
  });
});

describe('parseFileList', () => {
  it('skips blanks and comments and trims', () => {
    expect(parseFileList('a\n\n  # x\nb \r\n')).toEqual(['a', 'b']);
  });
});

describe('normaliseAndSort', () => {
  it('matches sortPaths on awkward paths', async () => {
    const { sortPaths } = await import('../../src/paths.js');
    const { normaliseAndSort } = await import('../../src/cli/discover.js');
    const input = ['b', './a', 'a', '/x/y', 'x//y', 'c\\d', 'e/./f', 'Z', 'é', 'a.b/./c', '.hidden/x', '..x/y', 'a/../b', 'ab', 'a b', '\u{1F600}', '\uFFFF'];
    expect(normaliseAndSort(input)).toEqual(sortPaths(input).filter((p) => p !== ''));
  });

  it('returns an already sorted clean list as it is, and still de-duplicates', async () => {
    const { normaliseAndSort } = await import('../../src/cli/discover.js');
    const sorted = ['Z', 'a', 'a b', 'a/b', 'ab', 'é', '\u{1F600}'];
    expect(normaliseAndSort(sorted)).toEqual(sorted);
    expect(normaliseAndSort([...sorted, 'a'])).toEqual(sorted);
    expect(normaliseAndSort(['b', 'a'])).toEqual(['a', 'b']);
  });
});
