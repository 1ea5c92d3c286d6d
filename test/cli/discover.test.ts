import { afterAll, describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { discoverFiles, parseFileList, testFilePatterns } from '../../src/cli/discover.js';
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
    // an absolute path outside the project cannot be made relative: kept as it is
    expect((await discoverFiles({ filesFrom: 'abs.txt', cwd })).files).toEqual(['/spec/z_spec.rb', 'x/y.ts']);
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
  it('matches sortPaths on awkward paths, but never rewrites a name into another name', async () => {
    const { sortPaths } = await import('../../src/paths.js');
    const { normaliseAndSort } = await import('../../src/cli/discover.js');
    const input = ['b', './a', 'a', 'x//y', 'e/./f', 'Z', 'é', 'a.b/./c', '.hidden/x', '..x/y', 'a/../b', 'ab', 'a b', '\u{1F600}', '\uFFFF', 'd/'];
    expect(normaliseAndSort(input, false)).toEqual(sortPaths(input).filter((p) => p !== ''));
    // a backslash is part of a POSIX file name; a path outside the project keeps its "/"
    expect(normaliseAndSort(['c\\d', '/x//y', '/', './c\\d'], false)).toEqual(['/x/y', 'c\\d']);
    expect(normaliseAndSort(['c\\d', 'C:\\w\\x.ts'], true)).toEqual(['C:/w/x.ts', 'c/d']);
  });

  it('returns an already sorted clean list as it is, and still de-duplicates', async () => {
    const { normaliseAndSort } = await import('../../src/cli/discover.js');
    const sorted = ['Z', 'a', 'a b', 'a/b', 'ab', 'é', '\u{1F600}'];
    expect(normaliseAndSort(sorted)).toEqual(sorted);
    expect(normaliseAndSort([...sorted, 'a'])).toEqual(sorted);
    expect(normaliseAndSort(['b', 'a'])).toEqual(['a', 'b']);
  });
});

describe('discoverFiles: paths that used to mislead', () => {
  it('does not follow folder links back into the project (said once), and lists a file reached twice once', async () => {
    const cwd = makeTempDir();
    const outside = makeTempDir();
    writeFiles(cwd, { 'tests/a.test.ts': '', 'tests/sub/b.test.ts': '' });
    writeFiles(outside, { 'shared.test.ts': '' });
    symlinkSync('..', join(cwd, 'tests/loop'));
    symlinkSync('../..', join(cwd, 'tests/sub/up'));
    symlinkSync('../a.test.ts', join(cwd, 'tests/sub/alias.test.ts'));
    symlinkSync(outside, join(cwd, 'tests/shared'));
    const found = await discoverFiles({ globs: ['tests/**/*.test.ts', '**/*.test.ts'], cwd });
    expect(found.files).toEqual(['tests/a.test.ts', 'tests/shared/shared.test.ts', 'tests/sub/b.test.ts']);
    expect(found.warnings).toEqual([
      'not following 2 folder links that lead back into the project (tests/loop -> ., tests/sub/up -> .): the files there are globbed once, where they are',
    ]);
  });

  it('expands a folder to its test files, with a preset pattern when one is given, and names a folder without any', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'tests/test_a.py': '', 'tests/deep/b_test.py': '', 'tests/c.test.ts': '', 'tests/helper.py': '', 'docs/readme.md': '' });
    expect((await discoverFiles({ globs: ['tests/'], cwd })).files).toEqual(['tests/c.test.ts', 'tests/deep/b_test.py', 'tests/test_a.py']);
    expect((await discoverFiles({ globs: ['tests'], cwd, testPattern: ['**/*.py'] })).files).toEqual(['tests/deep/b_test.py', 'tests/helper.py', 'tests/test_a.py']);
    expect(testFilePatterns(['**/*.py'])).toEqual(['**/*.py']);
    expect(testFilePatterns()).toContain('**/{test_*,*_test}.py');
    await expect(discoverFiles({ globs: ['docs'], cwd })).rejects.toThrow(/^test glob 'docs' is a folder and holds no files matching '\*\*\/\*\.\{test,spec\}/);
  });

  it('refuses a globbed file name with a line break, naming it', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'tests/ok.test.ts': '', 'tests/two\nlines.test.ts': '' });
    await expect(discoverFiles({ globs: ['tests/*.ts'], cwd })).rejects.toThrow('test file name with a line break: "tests/two\\nlines.test.ts"');
    expect((await discoverFiles({ globs: ['tests/*.ts'], ignore: ['**/two*'], cwd })).files).toEqual(['tests/ok.test.ts']);
  });

  it('keeps a backslash in a POSIX name and a path outside the project as they are', async () => {
    const cwd = makeTempDir();
    writeFiles(cwd, { 'list.txt': `/elsewhere/x.test.ts\ntests/back\\slash.test.ts\n${cwd}/tests/a.test.ts\n`, 'tests/back\\slash.test.ts': '' });
    const fromList = await discoverFiles({ filesFrom: 'list.txt', cwd });
    expect(fromList.files).toEqual(['/elsewhere/x.test.ts', 'tests/a.test.ts', 'tests/back\\slash.test.ts']);
    expect((await discoverFiles({ globs: ['tests/*.ts'], cwd })).files).toEqual(['tests/back\\slash.test.ts']);
  });
});
