import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileMatcher } from '../../src/junit/match.js';
import { mergeReports } from '../../src/junit/merge.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { settleBatchReport } from '../../src/queue/run-batch.js';
import type { ItemResult, Lease } from '../../src/queue/types.js';
import type { BatchRecord } from '../../src/queue/worker.js';

const dir = mkdtempSync(join(tmpdir(), 'split-tests-settle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FILES = ['x.test.js', 'y.test.js', 'z.test.js'];

/** A batch's report (and its note) as run-batch leaves them: one testcase per file. */
function report(name: string, lease: Lease, results: readonly ItemResult[]): string {
  const cases = lease.items.map((item) => {
    const failed = results.find((r) => r.id === item.id)?.verdict === 'failed';
    return `<testcase name="runs" classname="${item.files[0]}" file="${item.files[0]}" time="1">${failed ? '<failure/>' : ''}</testcase>`;
  });
  const failures = results.filter((r) => r.verdict === 'failed').length;
  writeFileSync(join(dir, name), `<testsuites tests="${cases.length}" failures="${failures}"><testsuite name="q" tests="${cases.length}" failures="${failures}">${cases.join('')}</testsuite></testsuites>\n`);
  const files = lease.items.flatMap((i) => i.files);
  writeFileSync(join(dir, `${name}.split-tests.json`), JSON.stringify({ schemaVersion: 1, index: 1, total: 1, fingerprint: 'p', files, estimatedSeconds: 3, wallSeconds: 3, exitCode: 0, startedAt: '', queue: { id: 'q', worker: 1, batch: lease.batch } }));
  return name;
}

function record(lease: Lease, results: ItemResult[], requeued: number[], first: boolean[], junit: string): BatchRecord {
  return { lease, outcome: { results, wallSeconds: 3, testSeconds: 3, exitCode: 0, junit }, requeued, first };
}

describe('a partly-late batch report', () => {
  it('keeps only the testcases whose verdict came first there: the merge sees every file once', async () => {
    const queue = new MemoryQueue();
    await queue.seed({ items: FILES.map((f) => ({ files: [f], seconds: 1 })), fingerprint: 'p', maxRequeues: 1 });
    const slow = await queue.register('slow');
    const taker = await queue.register('taker');
    // the slow worker's lease expires at once; the taker runs the batch, y fails and goes back
    const lost = (await queue.reserve(slow, 100, 100, -1))!;
    const taken = (await queue.reserveLost(taker, 60_000))!;
    const takerResults: ItemResult[] = [{ id: 0, verdict: 'passed' }, { id: 1, verdict: 'failed' }, { id: 2, verdict: 'passed' }];
    expect(await queue.requeue(taker, taken.batch, [1])).toEqual([1]);
    const takerFirst = await queue.acknowledge(taker, taken.batch, [takerResults[0]!, takerResults[2]!], 3);
    // then the slow worker reports all three: only y's verdict is first
    const slowResults: ItemResult[] = FILES.map((_, id) => ({ id, verdict: 'passed' }));
    const slowFirst = await queue.acknowledge(slow, lost.batch, slowResults, 3);
    expect(slowFirst).toEqual([false, true, false]);
    expect(await queue.snapshot()).toMatchObject({ passed: 3, failed: 0, pending: 1 });

    const slowLine = await settleBatchReport(record(lost, slowResults, [], slowFirst, report('junit-1.xml', lost, slowResults)), dir);
    const takerLine = await settleBatchReport(record(taken, takerResults, [1], takerFirst, report('junit-2.xml', taken, takerResults)), dir);
    expect(slowLine).toBe('2 testcases of 2 files dropped from junit-1.xml (their verdict counts in another batch)');
    expect(takerLine).toBe('1 testcase of 1 file dropped from junit-2.xml (their verdict counts in another batch)');
    const note = JSON.parse(readFileSync(join(dir, 'junit-2.xml.split-tests.json'), 'utf8'));
    expect(note.files).toEqual(['x.test.js', 'z.test.js']);
    expect(note.queue.superseded).toEqual(['y.test.js']);

    const merged = await mergeReports({ inputs: [join(dir, 'junit-1.xml'), join(dir, 'junit-2.xml')], output: join(dir, 'merged.xml'), match: createFileMatcher(FILES) });
    expect([...merged.casesByFile].sort()).toEqual(FILES.map((f) => [f, 1]));
    expect(merged.totals).toMatchObject({ tests: 3, failures: 0 });
    expect(merged.duplicates).toEqual([]);
  });

  it('a batch given back when its worker was stopped is set aside whole', async () => {
    const lease: Lease = { batch: 7, items: [{ id: 0, files: ['x.test.js'], seconds: 1 }] };
    const name = report('junit-7.xml', lease, [{ id: 0, verdict: 'failed' }]);
    const line = await settleBatchReport({ ...record(lease, [{ id: 0, verdict: 'failed' }], [], [], name), released: true }, dir);
    expect(line).toBe('stopped midway, given back to the queue; report set aside as junit-7.xml.stopped');
    expect(readFileSync(join(dir, 'junit-7.xml.stopped'), 'utf8')).toContain('<failure/>');
  });
});

describe('a report the edit cannot follow', () => {
  it('is kept whole, and the worker says the merge will list those testcases twice', async () => {
    const lease: Lease = { batch: 9, items: [{ id: 0, files: ['x.test.js'], seconds: 1 }, { id: 1, files: ['y.test.js'], seconds: 1 }] };
    const xml = '<testsuite tests="2"><testcase name="a" file="x.test.js"/><!-- <testcase name="old"/> --><testcase name="b" file="y.test.js"/></testsuite>\n';
    writeFileSync(join(dir, 'junit-9.xml'), xml);
    const results: ItemResult[] = [{ id: 0, verdict: 'passed' }, { id: 1, verdict: 'passed' }];
    const line = await settleBatchReport(record(lease, results, [], [false, true], 'junit-9.xml'), dir);
    expect(line).toMatch(/^could not drop the testcases of x\.test\.js from junit-9\.xml \(.+\); a merge will list them twice$/);
    expect(readFileSync(join(dir, 'junit-9.xml'), 'utf8')).toBe(xml);
  });
});
