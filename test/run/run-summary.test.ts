import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { ShardOutcome } from '../../src/run/exit-status.js';
import { combinedExitCode, runShards } from '../../src/run/run-parallel.js';
import type { ShardRunResult } from '../../src/run/run-shard.js';
import { renderRunSummary, runSummaryJson } from '../../src/run/run-summary.js';

function result(index: number, outcome: ShardOutcome, exitCode: number, files = ['a.test.ts', 'b.test.ts']): ShardRunResult {
  return { index, total: 3, files, estimatedSeconds: 10 * index, wallSeconds: 9.5 * index, startedAt: '2026-01-01T00:00:00.000Z', outcome, exitCode };
}

const mixed = [
  result(1, { kind: 'exited', exitCode: 0 }, 0),
  result(2, { kind: 'timeout', timeoutSeconds: 60, signal: 'SIGTERM' }, 124),
  result(3, { kind: 'empty' }, 0, []),
];

describe('run summary', () => {
  it('renders one row per shard, a total row and the predicted makespan', () => {
    expect(renderRunSummary(mixed, { wallSeconds: 20.04, concurrency: 2, lowerBoundSeconds: 20 })).toBe(
      [
        'shard  files  estimated  measured  result',
        '1/3        2     10.0 s     9.5 s  passed',
        '2/3        2     20.0 s    19.0 s  timed out (60 s)',
        '3/3        0     30.0 s         -  empty',
        'all        4     60.0 s    20.0 s  1 of 3 shards failed; wall time, 2 at a time',
        'predicted makespan 30.0 s (lower bound 20.0 s)',
        'shard walls: slowest 19.0 s / mean 14.3 s = 1.33 (1.00 when no machine waits for another); predicted 1.33',
        '',
      ].join('\n'),
    );
  });

  it('shows no estimates for a plan split by count', () => {
    const text = renderRunSummary(mixed, { wallSeconds: 20, concurrency: 2, lowerBoundSeconds: 2, estimated: false });
    expect(text).not.toMatch(/predicted|10\.0 s/);
    expect(text.split('\n')[1]).toBe('1/3        2          -     9.5 s  passed');
  });

  it('--json: one document with a status per shard', () => {
    const json = runSummaryJson(mixed, { fingerprint: 'abc', shardCount: 3, exitCode: 124, wallSeconds: 20 });
    expect(json).toMatchObject({ schemaVersion: 1, fingerprint: 'abc', shardCount: 3, exitCode: 124, passed: false });
    expect(json.shards.map((s) => [s.status, s.exitCode, s.signal])).toEqual([
      ['passed', 0, undefined],
      ['timeout', 124, 'SIGTERM'],
      ['empty', 0, undefined],
    ]);
  });

  it('the combined exit code is the lowest-numbered failing shard\'s, whatever the finishing order', () => {
    expect(combinedExitCode(mixed)).toBe(124);
    expect(combinedExitCode([...mixed].reverse())).toBe(124);
    expect(combinedExitCode([mixed[0]!, mixed[2]!])).toBe(0);
    expect(combinedExitCode([result(3, { kind: 'exited', exitCode: 1 }, 1), result(2, { kind: 'signal', signal: 'SIGKILL' }, 137)])).toBe(137);
  });
});

describe('runShards', () => {
  const base = (dir: string) => ({
    total: 3,
    fingerprint: 'f',
    cwd: dir,
    env: { PATH: process.env.PATH },
    stdout: 'stderr' as const,
    narrate: () => {},
  });

  it('runs every shard, returns the results in shard order and passes each its own files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'split-tests-shards-'));
    try {
      const script = "require('fs').writeFileSync('shard-' + process.env.SPLIT_TESTS_SHARD.replace('/', '-'), JSON.stringify(process.argv.slice(1))); process.exit(Number(process.env.SPLIT_TESTS_SHARD[0]) === 2 ? 5 : 0)";
      const results = await runShards({
        ...base(dir),
        command: [process.execPath, '-e', script],
        concurrency: 2,
        shards: [
          { index: 1, files: ['one'], estimatedSeconds: 1 },
          { index: 2, files: ['two', 'two b'], estimatedSeconds: 3 },
          { index: 3, files: [], estimatedSeconds: 0 },
        ],
      });
      expect(results.map((r) => [r.index, r.exitCode, r.outcome.kind])).toEqual([[1, 0, 'exited'], [2, 5, 'exited'], [3, 0, 'empty']]);
      expect(JSON.parse(await readFile(join(dir, 'shard-2-3'), 'utf8'))).toEqual(['two', 'two b']);
      expect(JSON.parse(await readFile(join(dir, 'shard-1-3'), 'utf8'))).toEqual(['one']);
      expect(combinedExitCode(results)).toBe(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a command that cannot start is one UserError, after the other shards finished', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'split-tests-shards-'));
    try {
      const run = runShards({
        ...base(dir),
        command: ['no-such-runner-xyz'],
        concurrency: 3,
        shards: [1, 2, 3].map((index) => ({ index, files: ['x'], estimatedSeconds: 1 })),
      });
      await expect(run).rejects.toBeInstanceOf(UserError);
      await expect(run).rejects.toThrow('command not found: no-such-runner-xyz');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
