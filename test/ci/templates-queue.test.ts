/**
 * The queue-mode lines `pipeline init --ci gitlab --queue` writes, run as GitLab would run them
 * (bash, one script per job, `npx split-tests` being this build) against a real redis-server: two
 * parallel test jobs share one queue, then the merge job's script waits for the verdict and merges.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplate } from '../../src/ci/pipeline/templates/index.js';
import { cliPath, makeTempDir, removeTempDirs, writeFiles } from '../e2e/helpers.js';
import { startRedis, type TestRedis } from '../queue/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  removeTempDirs();
});

/** A stand-in runner: one testcase per file, failed when the file says FAIL. */
const WRITE_JUNIT = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const [junit, ...files] = process.argv.slice(2);
const cases = files.map((f) => readFileSync(f, 'utf8').includes('FAIL')
  ? \`<testcase classname="\${f}" name="t" file="\${f}" time="0.01"><failure message="no"/></testcase>\`
  : \`<testcase classname="\${f}" name="t" file="\${f}" time="0.01"/>\`);
const failed = cases.filter((c) => c.includes('<failure')).length;
mkdirSync(dirname(junit), { recursive: true });
writeFileSync(junit, \`<testsuites><testsuite name="s" tests="\${files.length}" failures="\${failed}">\${cases.join('')}</testsuite></testsuites>\`);
process.exit(failed > 0 ? 1 : 0);
`;

function project(files: Record<string, string>): { dir: string; jobs: { test: string; build: string[]; merge: string[] } } {
  const dir = makeTempDir('split-tests-queue-template-');
  writeFiles(dir, { 'write-junit.mjs': WRITE_JUNIT, ...files });
  const doc = parse(
    renderTemplate('gitlab', {
      shards: 2,
      testCommand: ['node', 'write-junit.mjs', '{junit}', '{files}'],
      junit: 'reports/junit-{shard}.xml',
      history: '.split-tests/history.json',
      branch: 'main',
      nodeVersion: '22',
      packagePaths: [],
      queue: true,
    }),
  ) as any;
  // `npx split-tests` is this build; `npm ci` and the build step have nothing to do here
  const job = (lines: string[]): string[] =>
    lines.filter((l) => l !== 'npm ci' && !l.startsWith('npm run build')).map((l) => l.replaceAll('npx split-tests', `node ${cliPath}`));
  const test = job(doc.test.script);
  expect(test).toHaveLength(1);
  return { dir, jobs: { test: test[0] ?? '', build: job(doc.build.script), merge: job(doc.merge.script) } };
}

function bash(script: string, dir: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1', SPLIT_TESTS_REDIS_URL: redis.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function pipeline(dir: string, jobs: { test: string; build: string[]; merge: string[] }, id: string) {
  const ci = { CI_PIPELINE_ID: id, CI_NODE_TOTAL: '2' };
  const build = await bash(jobs.build.join('\n'), dir, ci);
  expect(build.code, build.output).toBe(0);
  const workers = await Promise.all(['1', '2'].map((k) => bash(jobs.test, dir, { ...ci, CI_NODE_INDEX: k, CI_JOB_ID: `job-${k}` })));
  const merge = await bash(jobs.merge.join('\n'), dir, ci);
  return { workers, merge };
}

const tests = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => [`tests/${n}.test.js`, 'ok\n']));
const config = JSON.stringify({ tests: ['tests/*.test.js'] });

describe('the GitLab queue-mode template, run against a real Redis', () => {
  it('two jobs share one queue: every file runs once, merge waits, merges complete and passes', async () => {
    const { dir, jobs } = project({ ...tests, 'split-tests.config.json': config });
    const { workers, merge } = await pipeline(dir, jobs, '101');
    for (const worker of workers) {
      expect(worker.code, worker.output).toBe(0);
      expect(worker.output).toMatch(/queue gitlab-101 on redis:\/\/127\.0\.0\.1:\d+\/0: (seeded|joined)/);
    }
    expect(merge.code, merge.output).toBe(0);
    expect(merge.output).toMatch(/complete: all 6 planned files have testcases/);
    const merged = readFileSync(join(dir, 'reports', 'merged.xml'), 'utf8');
    expect(merged.match(/<testcase /g)).toHaveLength(6);
  });

  it('a failing test: the merge job still merges and publishes, and fails', async () => {
    const { dir, jobs } = project({ ...tests, 'tests/c.test.js': 'FAIL\n', 'split-tests.config.json': config });
    const { workers, merge } = await pipeline(dir, jobs, '102');
    expect(workers.some((w) => w.code !== 0)).toBe(true);
    expect(merge.code).not.toBe(0);
    expect(readFileSync(join(dir, 'reports', 'merged.xml'), 'utf8')).toMatch(/<failure/);
  });
});
