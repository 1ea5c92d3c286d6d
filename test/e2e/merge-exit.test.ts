import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const report = (file: string, failing: string): string =>
  `<testsuites><testsuite name="${file}"><testcase classname="${file}" name="ok" time="1"/><testcase classname="${file}" name="bad" time="1">${failing}</testcase></testsuite></testsuites>`;

describe('merge exit codes (built CLI)', () => {
  it('exits 1 when a testcase failed or errored, 0 with --allow-failures; an incomplete merge still exits 1', async () => {
    const dir = makeTempDir();
    writeFiles(dir, {
      'failed.xml': report('tests/a.test.ts', '<failure message="boom"/>'),
      'errored.xml': report('tests/b.test.ts', '<error message="boom"/>'),
      'passed.xml': report('tests/c.test.ts', ''),
      'files.txt': 'tests/a.test.ts\ntests/c.test.ts\ntests/d.test.ts\n',
    });
    for (const input of ['failed.xml', 'errored.xml']) {
      const r = await runCli(['merge', input, '-o', 'm.xml'], { cwd: dir });
      expect(r.exitCode, input).toBe(1);
      expect(r.stderr).toContain('split-tests: failed: 1 testcase failed or errored (exit 1; --allow-failures to exit 0)');
      expect(existsSync(join(dir, 'm.xml'))).toBe(true);
      const allowed = await runCli(['merge', input, '-o', 'm.xml', '--allow-failures'], { cwd: dir });
      expect(allowed.exitCode, input).toBe(0);
    }
    expect((await runCli(['merge', 'passed.xml', '-o', 'm.xml'], { cwd: dir })).exitCode).toBe(0);
    const incomplete = await runCli(['merge', 'failed.xml', 'passed.xml', '-o', 'm.xml', '--files-from', 'files.txt', '--allow-failures'], { cwd: dir });
    expect(incomplete.exitCode).toBe(1);
    expect(incomplete.stderr).toContain('incomplete: 1 of 3 planned files');
  });

  it('--record that fails still writes the merged report, prints the completeness result and the record error, exits non-zero', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'passed.xml': report('tests/c.test.ts', ''), 'files.txt': 'tests/c.test.ts\n' });
    writeFileSync(join(dir, 'h.json'), '{ not json');
    const r = await runCli(['merge', 'passed.xml', '-o', 'm.xml', '--files-from', 'files.txt', '--record', '--history', 'h.json'], { cwd: dir });
    expect(r.exitCode).not.toBe(0);
    expect(existsSync(join(dir, 'm.xml'))).toBe(true);
    expect(r.stderr).toContain('complete: all 1 planned files have testcases');
    expect(r.stderr).toMatch(/split-tests: --record failed \(the merged report was written\): h\.json/);
    const json = await runCli(['merge', 'passed.xml', '-o', 'm.xml', '--files-from', 'files.txt', '--record', '--history', 'h.json', '--json'], { cwd: dir });
    expect(json.exitCode).not.toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: true, recorded: null, recordError: expect.stringContaining('h.json') });
  });
});
