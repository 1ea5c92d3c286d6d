import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResidentRunner, type ResidentOptions } from '../../src/queue/resident.js';

const DRIVER = fileURLToPath(new URL('./fixture-resident.mjs', import.meta.url));

let dir: string;
let lines: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resident-'));
  lines = [];
  await writeFile(join(dir, 'a.test'), '10');
  await writeFile(join(dir, 'b.test'), '10');
  await writeFile(join(dir, 'bad.test'), '10 FAIL');
  await writeFile(join(dir, 'exit.test'), 'EXIT');
  await writeFile(join(dir, 'hang.test'), 'HANG');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runner(overrides: Partial<ResidentOptions> = {}): ResidentRunner {
  return new ResidentRunner({
    command: [process.execPath, DRIVER],
    cwd: dir,
    env: { ...process.env },
    output: { stdout: 'stderr', prefix: '[w1] ' },
    narrate: (line) => lines.push(line),
    ...overrides,
  });
}

const batch = (n: number, files: string[]) => ({ batch: n, args: [...files, '--junit-out', join(dir, `r${n}.xml`)], env: { SPLIT_TESTS_SHARD: `${n}/${n}` }, junit: join(dir, `r${n}.xml`) });
const pidOf = async (n: number): Promise<string> => /name="pid-(\d+)"/.exec(await readFile(join(dir, `r${n}.xml`), 'utf8'))![1]!;

describe('ResidentRunner', () => {
  it('feeds batch after batch to one live driver, with each batch its own report and exit code', async () => {
    const r = runner();
    expect(await r.start()).toBe(true);
    expect(r.startupSeconds).toBeGreaterThan(0);
    expect(await r.runBatch(batch(1, ['a.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    expect(await r.runBatch(batch(2, ['bad.test', 'b.test']))).toEqual({ kind: 'exited', exitCode: 1 });
    expect(await r.runBatch(batch(3, ['b.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    await r.close();
    expect(new Set([await pidOf(1), await pidOf(2), await pidOf(3)]).size).toBe(1);
    expect(await readFile(join(dir, 'r2.xml'), 'utf8')).toContain('<failure');
  });

  it('a driver that dies mid-batch fails that batch like a crashed command, and the next batch starts a new one', async () => {
    const r = runner();
    expect(await r.runBatch(batch(1, ['a.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    // exit 0 mid-batch: the batch has no report, which the shard's report check turns into a failure
    expect(await r.runBatch(batch(2, ['exit.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    expect(lines.join('\n')).toMatch(/exited \(code 0\) in the middle of batch 2/);
    expect(await r.runBatch(batch(3, ['b.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    await r.close();
    expect(await pidOf(3)).not.toBe(await pidOf(1));
  });

  it('a batch over its timeout stops the driver group (exit 124 path) and the next batch gets a new driver', async () => {
    const r = runner();
    expect(await r.runBatch({ ...batch(1, ['hang.test']), timeoutMs: 300 })).toEqual({ kind: 'timeout', timeoutSeconds: 0.3, signal: 'SIGTERM' });
    expect(await r.runBatch(batch(2, ['a.test']))).toEqual({ kind: 'exited', exitCode: 0 });
    await r.close();
  });

  it('a stop mid-batch stops the driver with the stop signal', async () => {
    const stop = new AbortController();
    const r = runner({ stop: stop.signal });
    expect(await r.start()).toBe(true);
    const running = r.runBatch(batch(1, ['hang.test']));
    setTimeout(() => stop.abort('SIGINT'), 100);
    expect(await running).toEqual({ kind: 'cancelled', signal: 'SIGINT' });
    // once stopping, no batch is fed (the caller's own stop handling takes over)
    expect(await r.runBatch(batch(2, ['a.test']))).toBeUndefined();
    await r.close();
  });

  it('a runner that catches the stop (pytest answers "interrupted") still makes the batch cancelled, never a verdict', async () => {
    await writeFile(join(dir, 'catch.test'), 'CATCH');
    const stop = new AbortController();
    const r = runner({ stop: stop.signal });
    expect(await r.start()).toBe(true);
    const running = r.runBatch(batch(1, ['catch.test']));
    setTimeout(() => stop.abort('SIGINT'), 100);
    expect(await running).toEqual({ kind: 'cancelled', signal: 'SIGINT' });
    await r.close();
  });

  it('a driver that cannot start answers undefined (the batch runs as a command) and says so once', async () => {
    const r = runner({ env: { ...process.env, RESIDENT_FIXTURE_NO_READY: '1' } });
    expect(await r.start()).toBe(false);
    expect(await r.runBatch(batch(1, ['a.test']))).toBeUndefined();
    await r.close();
    expect(lines.filter((l) => l.includes('did not start'))).toHaveLength(1);
    expect(lines[0]).toMatch(/exited before it was ready; every batch runs as a command of its own/);
  });

  it('a driver command that does not exist is a start failure, not a crash', async () => {
    const r = runner({ command: [join(dir, 'no-such-driver')] });
    expect(await r.start()).toBe(false);
    await r.close();
    expect(lines.join('\n')).toMatch(/could not start: .*ENOENT/);
  });
});
