import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShardNote } from '../../src/junit/shard-notes.js';
import { trimUnreportedFallbacks } from '../../src/queue/fallback-merge.js';
import type { ShardMeta } from '../../src/run/shard-meta.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const meta = (files: string[], extra: Partial<ShardMeta>): ShardMeta => ({
  schemaVersion: 1, index: 1, total: 2, fingerprint: 'p', files, estimatedSeconds: 1, wallSeconds: 1, exitCode: 0, startedAt: '2026-12-02T00:00:00Z', ...extra,
});

function setup(reported: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'fallback-merge-'));
  dirs.push(dir);
  const report = join(dir, 'junit-1.xml');
  writeFileSync(report, '<testsuites tests="2"><testsuite name="s" tests="2"><testcase name="t" file="a.test.js"/><testcase name="t" file="b.test.js"/></testsuite></testsuites>\n');
  const notes: ShardNote[] = [
    { report, meta: meta(['a.test.js', 'b.test.js'], { queueFallback: { id: 'q', reported } }) },
    { report: join(dir, 'junit-3.xml'), meta: meta(['a.test.js', 'c.test.js'], { queue: { id: 'q', worker: 1, batch: 3 } }) },
    { report: join(dir, 'junit-4.xml'), meta: meta(['b.test.js'], { queue: { id: 'other-pipeline', worker: 1, batch: 4 } }) },
  ];
  return { report, notes, paths: notes.map((n) => n.report) };
}

describe('an unreported fallback shard in a merge', () => {
  it("is merged as a copy without the files its queue's reports hold (and a note without them); the original stays", async () => {
    const { report, notes, paths } = setup(false);
    const trim = await trimUnreportedFallbacks(notes, paths, (p) => p);
    expect(trim.paths[0]).not.toBe(report);
    expect(trim.paths.slice(1)).toEqual(paths.slice(1));
    const copy = readFileSync(trim.paths[0]!, 'utf8');
    expect(copy).not.toContain('a.test.js');
    expect(copy).toContain('<testsuites tests="1"><testsuite name="s" tests="1"><testcase name="t" file="b.test.js"/>');
    expect(JSON.parse(readFileSync(`${trim.paths[0]}.split-tests.json`, 'utf8')).files).toEqual(['b.test.js']);
    expect(trim.lines).toEqual([`${report} is static shard 1/2 of a worker that never reached queue q: 1 of its 2 files also ran in the queue and count from the queue's reports`]);
    expect(readFileSync(report, 'utf8')).toContain('a.test.js');
    await trim.cleanup();
    expect(existsSync(trim.paths[0]!)).toBe(false);
  });

  it('a fallback whose verdicts reached the queue (settled there) is merged as it is', async () => {
    const { notes, paths } = setup(true);
    const trim = await trimUnreportedFallbacks(notes, paths, (p) => p);
    expect(trim.paths).toEqual(paths);
    expect(trim.lines).toEqual([]);
  });
});
