import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { historyToRuns, readHistory } from '../../src/timings/history.js';
import { recordReports } from '../../src/timings/record.js';
import { tempTree } from './helpers.js';

function sidecar(index: number, total: number, wallSeconds: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: 1,
    index,
    total,
    fingerprint: 'fp1',
    files: [],
    estimatedSeconds: 10,
    wallSeconds,
    exitCode: 0,
    startedAt: `2026-05-01T10:00:0${index}.000Z`,
    ...extra,
  });
}

describe('recordReports (JSON reports and shard notes)', () => {
  it('sums per file over shards, corrects contention by wall time, and writes the history', async () => {
    const cwd = await tempTree({
      'reports/1.json': JSON.stringify({ 'a.ts': 8, 'b.ts': 12 }),
      'reports/1.json.split-tests.json': sidecar(1, 2, 10, { exitCode: 1 }),
      'reports/2.json': JSON.stringify({ 'b.ts': 1, 'c.ts': 3 }),
      'reports/2.json.split-tests.json': sidecar(2, 2, 30),
    });
    const historyPath = join(cwd, '.split-tests/history.json');
    const result = await recordReports({ reports: ['reports/*.json'], historyPath, env: { GITLAB_CI: 'true', CI_PIPELINE_ID: '77' }, cwd });
    expect(result.reports).toEqual(['reports/1.json', 'reports/2.json']);
    expect(result.runIdSource).toBe('CI_PIPELINE_ID');
    // shard 1 measured 20 s in 10 s of wall time: halved; shard 2 ran sequentially: as measured
    expect(result.contention).toEqual([{ index: 1, factor: 0.5 }]);
    expect(result.run).toMatchObject({
      id: 'gitlab-77',
      time: '2026-05-01T10:00:01.000Z',
      fingerprint: 'fp1',
      shardCount: 2,
      totalSeconds: 14,
      fileCount: 3,
      largestFileSeconds: 7,
      shards: [
        { index: 1, files: 2, estimatedSeconds: 10, measuredSeconds: 10, wallSeconds: 10, passed: false },
        { index: 2, files: 2, estimatedSeconds: 10, measuredSeconds: 4, wallSeconds: 30, passed: true },
      ],
    });
    const stored = await readHistory(historyPath);
    expect(stored).toEqual(result.history);
    // each file keeps the shard it ran on (b.ts ran on both: none), which ties it to that shard's wall
    expect(stored?.files).toEqual({
      'a.ts': [{ run: 'gitlab-77', seconds: 4, shard: 1 }],
      'b.ts': [{ run: 'gitlab-77', seconds: 7 }],
      'c.ts': [{ run: 'gitlab-77', seconds: 3, shard: 2 }],
    });
    // a shard is a wall observation only when all of its files are known (shard 1 lost b.ts)
    expect(historyToRuns(stored!)[0]!.shards).toBeUndefined();
  });

  it("gives the planner each shard's wall and files from the history", async () => {
    const cwd = await tempTree({
      'reports/1.json': JSON.stringify({ 'a.ts': 2, 'b.ts': 3 }),
      'reports/1.json.split-tests.json': sidecar(1, 2, 9),
      'reports/2.json': JSON.stringify({ 'c.ts': 4 }),
      'reports/2.json.split-tests.json': sidecar(2, 2, 6),
    });
    const historyPath = join(cwd, 'h.json');
    await recordReports({ reports: ['reports/*.json'], historyPath, env: {}, runId: 'r1', cwd });
    const [run] = historyToRuns((await readHistory(historyPath))!);
    expect(run!.shards).toEqual([
      { index: 1, wallSeconds: 9, files: ['a.ts', 'b.ts'] },
      { index: 2, wallSeconds: 6, files: ['c.ts'] },
    ]);
  });

  it('adds runs, reports added/removed files, group seconds, stages, and honours limits and --run-id', async () => {
    const cwd = await tempTree({
      'r1/k.json': JSON.stringify({ 'spec/a/x.rb': 1, 'spec/a/y.rb': 2, 'spec/b/z.rb': 3 }),
      'r2/k.json': JSON.stringify({ 'spec/a/x.rb': 2, 'spec/b/z.rb': 4, 'spec/b/w.rb': 1 }),
      'r3/k.json': JSON.stringify({ 'spec/a/x.rb': 3 }),
    });
    const historyPath = join(cwd, 'h.json');
    const common = { historyPath, env: {}, cwd, groups: { kind: 'dir', depth: 2 } as const, limits: { runs: 2 } };
    await recordReports({ ...common, reports: ['r1/k.json'], runId: 'one' });
    const second = await recordReports({ ...common, reports: ['r2/*.json'], runId: 'two', stages: { tests: 40 } });
    expect(second.run).toMatchObject({ added: ['spec/b/w.rb'], removed: ['spec/a/y.rb'], groups: { 'spec/a': 2, 'spec/b': 5 }, stages: { tests: 40 } });
    const third = await recordReports({ ...common, reports: ['r3/k.json'], runId: 'three' });
    expect(third.history.runs.map((r) => r.id)).toEqual(['two', 'three']);
    // y.rb was last seen in run "one", which is no longer kept
    expect(Object.keys(third.history.files)).toEqual(['spec/a/x.rb', 'spec/b/w.rb', 'spec/b/z.rb']);
    expect(third.history.files['spec/a/x.rb']?.map((s) => s.seconds)).toEqual([1, 2, 3]);
  });

  it("records a crashed shard's files as failed without times (its report was synthetic)", async () => {
    const cwd = await tempTree({
      'r0/1.json': JSON.stringify({ 'a.ts': 1, 'b.ts': 2, 'c.ts': 3 }),
      'r1/1.json': JSON.stringify({ 'a.ts': 1.5 }),
      'r1/1.json.split-tests.json': sidecar(1, 2, 5, { files: ['a.ts'] }),
      'r1/2.json': JSON.stringify({ 'b.ts': 50, 'c.ts': 50 }),
      'r1/2.json.split-tests.json': sidecar(2, 2, 100, { files: ['b.ts', 'c.ts'], syntheticReport: true, exitCode: 137 }),
    });
    const historyPath = join(cwd, 'h.json');
    await recordReports({ reports: ['r0/1.json'], historyPath, env: {}, cwd, runId: 'r0' });
    const result = await recordReports({ reports: ['r1/*.json'], historyPath, env: {}, cwd, runId: 'r1' });
    expect(result.run).toMatchObject({ failedFiles: ['b.ts', 'c.ts'], removed: [], fileCount: 1, totalSeconds: 1.5 });
    expect(result.run.shards[1]).toMatchObject({ index: 2, files: 2, wallSeconds: 100, passed: false });
    expect(result.history.files['b.ts']).toEqual([{ run: 'r0', seconds: 2 }]);
    expect(result.warnings.join('\n')).toContain('r1/2.json: written by split-tests');
  });

  it('warns about reports from different plans and bad shard notes', async () => {
    const cwd = await tempTree({
      'r/1.json': JSON.stringify({ 'a.ts': 1 }),
      'r/1.json.split-tests.json': sidecar(1, 2, 5, { fingerprint: 'aaa' }),
      'r/2.json': JSON.stringify({ 'b.ts': 1 }),
      'r/2.json.split-tests.json': sidecar(2, 2, 5, { fingerprint: 'bbb' }),
      'r/3.json': JSON.stringify({ 'c.ts': 1 }),
      'r/3.json.split-tests.json': '{oops',
    });
    const result = await recordReports({ reports: ['r/*.json'], historyPath: join(cwd, 'h.json'), env: {}, cwd, runId: 'x' });
    expect(result.warnings.join('\n')).toContain('2 different plans (fingerprints aaa, bbb)');
    expect(result.warnings.join('\n')).toContain('r/3.json.split-tests.json: malformed JSON');
    expect(result.run.fingerprint).toBeUndefined();
  });

  it('fails with exit 2 when nothing matches, and refuses a history file as a report', async () => {
    const cwd = await tempTree({ 'h.json': JSON.stringify({ version: 1, files: {}, runs: [] }) });
    const none = await recordReports({ reports: ['reports/*.xml'], historyPath: join(cwd, 'x.json'), env: {}, cwd }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(UserError);
    expect((none as UserError).exitCode).toBe(2);
    expect((none as UserError).message).toContain("'reports/*.xml'");
    const history = await recordReports({ reports: ['h.json'], historyPath: join(cwd, 'x.json'), env: {}, cwd }).catch((e: unknown) => e);
    expect((history as UserError).message).toBe('h.json: is a split-tests history file, not a report');
  });
});

describe('recordReports: concurrent writers', () => {
  it('loses no run when several records add to one history at once', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 6; i++) tree[`r${i}/k.json`] = JSON.stringify({ [`f${i}.ts`]: i + 1, 'shared.ts': 1 });
    const cwd = await tempTree(tree);
    const historyPath = join(cwd, '.split-tests/history.json');
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => recordReports({ reports: [`r${i}/k.json`], historyPath, env: {}, cwd, runId: `run-${i}` })));
    const history = await readHistory(historyPath);
    expect(history?.runs.map((r) => r.id).sort()).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5']);
    expect(history?.files['shared.ts']).toHaveLength(6);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(cwd, '.split-tests'))).toEqual(['history.json']);
  });

  it('takes over a lock left by a killed process', async () => {
    const cwd = await tempTree({ 'k.json': JSON.stringify({ 'a.ts': 1 }), '.split-tests/history.json.lock': '999999\n' });
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(join(cwd, '.split-tests/history.json.lock'), old, old);
    const result = await recordReports({ reports: ['k.json'], historyPath: join(cwd, '.split-tests/history.json'), env: {}, cwd, runId: 'x' });
    expect(result.history.runs).toHaveLength(1);
  });
});
