import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs, runCli, writeFiles } from './helpers.js';

afterAll(removeTempDirs);

const report = '<testsuites><testsuite name="tests/a.test.ts"><testcase classname="tests/a.test.ts" name="one" time="3"/></testsuite><testsuite name="tests/b.test.ts"><testcase classname="tests/b.test.ts" name="two" time="1"/></testsuite></testsuites>';

describe('a byte-identical copy of a report (built CLI)', () => {
  it('record reads it once, naming which report it repeats', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'r/shard-1.xml': report, 'r/shard-1 (1).xml': report, 'tests/a.test.ts': '', 'tests/b.test.ts': '' });
    const r = await runCli(['record', 'r', '--history', 'h.json', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('r/shard-1.xml repeats r/shard-1 (1).xml byte for byte (a report copied twice?): read once');
    const history = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as unknown;
    // 3 s for a.test.ts, as in the one report, not 6 s
    expect(JSON.stringify(history)).not.toMatch(/"seconds":6\b/);
    expect(JSON.stringify(history)).toMatch(/"seconds":3\b/);
  });

  it('--timings reads it once', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { 'r/one.xml': report, 'r/two.xml': report, 'tests/a.test.ts': '', 'tests/b.test.ts': '' });
    const r = await runCli(['plan', '--shards', '2', '--timings', 'r/*.xml', '--json', 'tests/*.test.ts'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('r/two.xml repeats r/one.xml byte for byte (a report copied twice?): read once');
  });
});
